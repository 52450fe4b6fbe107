"""How the line mode ends: no terminal, end of input, Ctrl-C at a question; help; NO_COLOR.

These run on the in-memory world of the engine tests (``tests/flow/fakes.py``): what is
checked here is the front end's behaviour, not the adapters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sesdmarc_tui.cli import cli
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.plain.look import make_console, prompt_style
from sesdmarc_tui.plain.render import status_text
from sesdmarc_tui.plain.run import run_line_mode, run_wizard
from tests.flow.fakes import DOMAIN, FakeZone, World, fake_context
from tests.support.piped import CLEAR, CTRL_C, ENTER, answered, flat, recording_console

THROUGH_DOMAIN = [
    ENTER, ENTER,  # profile, region
    ENTER, ENTER,  # Confirm, Next
    f"{CLEAR}{DOMAIN}{ENTER}",
    ENTER, ENTER, ENTER,  # provider, Route 53 profile, zone ID
    ENTER, ENTER,  # Confirm, Next
]  # fmt: skip


@pytest.fixture
def ctx(tmp_path: Path) -> FlowContext:
    return fake_context(tmp_path, World(FakeZone(DOMAIN)))[0]


def test_no_terminal_points_at_apply(capsys: pytest.CaptureFixture[str]) -> None:
    def never() -> FlowContext:
        raise AssertionError("nothing may start without a terminal")

    assert run_wizard(never) == 2
    err = capsys.readouterr().err
    assert "needs an interactive terminal" in err and "sesdmarc apply --config" in err


@pytest.mark.parametrize("args", [["--plain"], ["demo", "--plain"]])
def test_cli_without_a_terminal(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "sesdmarc apply --config" in result.stderr
    assert "Traceback" not in result.output


def test_help_then_end_of_input(ctx: FlowContext) -> None:
    console, out = recording_console()
    code = answered(["?", ENTER, ENTER], lambda: run_line_mode(console, ctx))
    text = flat(out.getvalue())
    assert code == 2
    assert "Pick the AWS profile of the account that will own the domain identity" in text
    assert "Input ended before the wizard finished" in text
    assert "sesdmarc apply --config setup.toml" in text
    assert "Nothing was saved yet" in text


def test_ctrl_c_before_anything_is_saved(ctx: FlowContext) -> None:
    console, out = recording_console()
    keys = [*THROUGH_DOMAIN[:5], CTRL_C]
    assert answered(keys, lambda: run_line_mode(console, ctx)) == 130
    assert "Nothing was saved yet, and nothing was changed" in flat(out.getvalue())
    assert not (ctx.state_dir / "sessions").exists()


def test_ctrl_c_at_a_confirmation_then_resume(ctx: FlowContext) -> None:
    console, out = recording_console()
    keys = [*THROUGH_DOMAIN, ENTER, CTRL_C]  # DKIM: Apply, then Ctrl-C instead of y/n
    assert answered(keys, lambda: run_line_mode(console, ctx)) == 130
    text = flat(out.getvalue())
    assert "Stopped. Every finished action is recorded" in text
    [path] = list((ctx.state_dir / "sessions").glob("*.json"))
    assert str(path) in out.getvalue().replace("\n", "")
    state = ctx.store.load(path)
    assert state.domain == DOMAIN and state.current_step == "dkim"
    assert list(ctx.audit.entries()) == []  # the identity was not created

    console, out = recording_console()
    keys = [ENTER, ENTER, "y"]  # resume the saved setup; DKIM: Apply, yes; then input ends
    assert answered(keys, lambda: run_line_mode(console, ctx)) == 2
    text = flat(out.getvalue())
    assert f"Resume {DOMAIN}" not in text  # the offer is a question, not printed
    assert "Step 3 of 9 · DKIM and verification" in text
    assert "Step 1 of 9" not in text
    assert [e["action"] for e in ctx.audit.entries()] == ["dkim.create_identity"]


def test_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from sesdmarc_tui.flow.model import StepStatus

    monkeypatch.setenv("NO_COLOR", "1")
    console = make_console()
    assert console.no_color
    with console.capture() as captured:
        console.print(status_text(StepStatus("attention", "Broken.", "Fix it.")))
    assert "\x1b[3" not in captured.get() and "\x1b[9" not in captured.get()
    assert not any("ansi" in style for _, style in prompt_style().style_rules)

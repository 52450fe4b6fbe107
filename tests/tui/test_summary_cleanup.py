"""The Summary's cleanup entry in the sandbox, and its report export.

The setup is made by the engine (the walk tests drive it through the screens already); the
cleanup is driven through the Summary's dialog: the plan lists exactly what was created, Delete
removes exactly that (AWS writes counted with botocore hooks, DNS writes at the provider), and
a second cleanup finds nothing and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Checkbox

from screens.app import SesdmarcApp
from screens.export import write_report
from screens.steps.cleanup import CleanupScreen
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.steps.summary import cleanup_plan
from tests.support.sandbox_flow import Writes, sandbox_context
from tests.tui import drive
from tests.tui.states import at_step

DOMAIN = "example.com"
REGION = "eu-west-1"
SIZE = (100, 32)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    pytest.importorskip("moto")
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box


def set_up(box: Any, wizard: Wizard) -> None:
    assert not wizard.set_inputs("accounts", {"profile": box.profiles.owner, "region": REGION})
    wizard.run_step("accounts")
    assert not wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"})
    wizard.run_step("domain")
    wizard.run_step("dkim")
    assert wizard.wait_until_done("dkim", timeout=20).done
    wizard.run_step("mail_from")
    assert wizard.wait_until_done("mail_from", timeout=20).done
    wizard.run_step("reports")  # skipped
    wizard.run_step("dmarc")
    assert not wizard.set_inputs("authorization", {"scope": "organization"})
    assert wizard.run_step("authorization").status.done
    wizard.go_to("summary")


async def open_cleanup(pilot: Any) -> CleanupScreen:
    pilot.app.screen.query_one("#cleanup", Button).press()
    await drive.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CleanupScreen)
    return screen


async def test_cleanup_removes_exactly_what_was_created(sandbox: Any, tmp_path: Path) -> None:
    writes = Writes()
    wizard = Wizard(sandbox_context(sandbox, tmp_path / "data", writes))
    set_up(sandbox, wizard)
    created_aws, created_dns = writes.ops(), {(n, t) for n, t, *_ in writes.dns}
    assert created_aws.count("ChangeResourceRecordSets") == len(created_dns) == 6
    aws_before, dns_before = len(writes.aws), len(writes.dns)

    app = SesdmarcApp(wizard, blink=False, board_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert drive.screen_step(pilot) == "summary"
        dialog = await open_cleanup(pilot)
        ids = [a.id for a in dialog.plan.actions] if dialog.plan is not None else []
        assert len(ids) == 8 and "cleanup.reset_mail_from" in ids  # policy, MAIL FROM, 6 sets
        dialog.query_one("#cleanup-identity", Checkbox).value = True
        await drive.settle(pilot)
        ids = [a.id for a in dialog.plan.actions] if dialog.plan is not None else []
        # The identity (and its MAIL FROM setting with it) instead of the MAIL FROM reset.
        assert len(ids) == 8 and "cleanup.delete_identity" in ids
        assert (len(writes.aws), len(writes.dns)) == (aws_before, dns_before)  # planning reads
        apply = dialog.query_one("#cleanup-apply", Button)
        assert str(apply.label) == "Delete 8" and not apply.disabled
        apply.press()
        await drive.settle(pilot)
        assert dialog.report is not None and len(dialog.report.results) == 8
        assert dialog.plan is not None and dialog.plan.empty  # read again: nothing left
        assert dialog.query_one("#cleanup-apply", Button).disabled
        await drive.press(pilot, "escape")
        assert drive.screen_step(pilot) == "summary"
        assert app.wizard.status("dkim").kind == "todo"  # the checklist tells the truth

        removed_aws = writes.ops()[aws_before:]
        removed_dns = {(n, t) for n, t, *_ in writes.dns[dns_before:]}
        assert removed_dns == created_dns
        assert sorted(removed_aws) == sorted(
            ["DeleteEmailIdentityPolicy", "DeleteEmailIdentity"]
            + ["ChangeResourceRecordSets"] * len(created_dns)
        )

        # A second cleanup finds nothing and writes nothing.
        again_aws, again_dns = len(writes.aws), len(writes.dns)
        dialog = await open_cleanup(pilot)
        assert dialog.plan is not None and dialog.plan.empty
        assert dialog.query_one("#cleanup-apply", Button).disabled
        await drive.press(pilot, "escape")
    assert cleanup_plan(wizard.ctx, wizard.state, delete_identity=True).empty
    assert (len(writes.aws), len(writes.dns)) == (again_aws, again_dns)
    assert [e["step"] for e in wizard.ctx.audit.entries()].count("cleanup") == 8


def test_report_export_has_the_checklist_the_stage_and_the_files(tmp_path: Path) -> None:
    _tui, wizard = at_step("export", "summary")
    md, html = write_report(wizard, tmp_path)
    domain = wizard.state.domain
    assert (md.name, html.name) == (
        f"sesdmarc-report-{domain}.md",
        f"sesdmarc-report-{domain}.html",
    )
    assert md.stat().st_mode & 0o777 == 0o600 and html.stat().st_mode & 0o777 == 0o600
    text, page = md.read_text(), html.read_text()
    for step in wizard.steps[:-1]:
        assert f"| {step.title} | Done |" in text
        assert f"<td>{step.title}</td><td>Done</td>" in page
    review = wizard.inspect("summary").next_review  # type: ignore[attr-defined]
    assert review and f"- **Consider the next stage from**: {review}" in text
    assert "- **Stage**: 1 " in text and "Consider the next stage from" in page
    state_path, audit_path = str(wizard.state_path), str(wizard.audit_path)
    assert f"- **Session file**: `{state_path}`" in text and state_path in page
    assert f"- **Audit log**: `{audit_path}`" in text and audit_path in page
    assert "<script" not in page and page.startswith("<!DOCTYPE html>")

"""Mutated values in every CLI option ``tests/cli/test_cli_hostile_input.py`` does not reach.

That file puts fixed hostile strings and random text into the DMARC, SPF, check and
verify-message arguments. This one mutates valid values of the remaining options (regions,
profiles, --since, --threshold, --known, --stage, --trusted-authserv-id, SPF --sender/--helo,
the session --domain of export and init-config, cleanup's domain) and mutates saved DMARC
report files (XML, gzip, zip, .eml, mbox) as `sesdmarc reports` reads them. Every run: exit
0, 1 or 2, no traceback or "Internal error", and nothing written (the data directories and the
working directory hold only what the test put there). AWS has no credentials and an endpoint
on a closed port; DNS answers from a table.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.cli import cli
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.troubleshoot import inspect
from tests.fuzz.mutate import mutated_bytes, mutated_text
from tests.support.dmarc_reports import gz, mbox, message, report, xml, zipped
from tests.support.knot import free_port

MESSAGE = (
    b"From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n"
    b"Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=mail.example.com\r\n"
    b"\r\nbody\r\n"
)
# (argv with "{}" where the mutated value goes, valid seeds for it)
TEMPLATES: list[tuple[list[str], list[str]]] = [
    (["check", "example.com", "--region", "{}", "--json"], ["eu-west-1", "us-east-1"]),
    (["check", "example.com", "--profile", "{}", "--json"], ["owner", "default"]),
    (["check", "example.com", "--mail-from", "{}", "--json"], ["mail.example.com"]),
    (["cleanup", "{}", "--json"], ["example.com", "bücher.example"]),
    (["cleanup", "example.com", "--region", "{}", "--json"], ["eu-west-1"]),
    (["reports", "r.xml", "--domain", "{}", "--json"], ["example.com"]),
    (["reports", "r.xml", "--mail-from", "{}", "--json"], ["mail.example.com"]),
    (["reports", "r.xml", "--since", "{}", "--json"], ["7d", "2026-01-01", "30d"]),
    (["reports", "r.xml", "--threshold", "{}", "--json"], ["days=14", "aligned=98"]),
    (["reports", "r.xml", "--known", "{}", "--json"], ["crm=192.0.2.0/24", "esp=example.net"]),
    (["reports", "r.xml", "--stage", "{}", "--json"], ["1", "5"]),
    (["reports", "{}", "--json"], ["s3://dmarc-bucket/dmarc/example.com/", "r.xml"]),
    (["export", "--format", "zone", "--domain", "{}"], ["example.com"]),
    (["export", "--format", "terraform", "--domain", "{}"], ["bücher.example"]),
    (["init-config", "--from-session", "--domain", "{}"], ["example.com"]),
    (["verify-message", "m.eml", "--trusted-authserv-id", "{}", "--json"], ["mx.google.com"]),
    (["verify-message", "m.eml", "--expected-mail-from", "{}"], ["mail.example.com"]),
    (
        ["spf", "check", "example.com", "--ip", "192.0.2.1", "--sender", "{}", "--json"],
        ["bounce@mail.example.com", "postmaster@example.com"],
    ),
    (
        ["spf", "check", "example.com", "--ip", "192.0.2.1", "--helo", "{}", "--json"],
        ["mail.example.com"],
    ),
    (
        ["dmarc", "lint", "{}", "--domain", "example.com", "--json"],
        [
            "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
            "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=r; aspf=r; "
            "rua=mailto:a@example.com,mailto:b@reports.example.net; ruf=mailto:f@example.com; "
            "fo=1:d:s; t=y; psd=n",
        ],
    ),
    (
        ["spf", "merge", "--add", "include:amazonses.com", "--existing", "{}", "--json"],
        ["v=spf1 include:_spf.google.com ip4:192.0.2.0/24 ~all", "v=spf1 -all"],
    ),
    (
        [
            "dmarc",
            "evaluate",
            "--from",
            "example.com",
            "--mail-from",
            "mail.example.com",
            "--spf",
            "pass",
            "--dkim",
            "{}",
            "--json",
        ],
        ["example.com:pass", "amazonses.com:pass"],
    ),
]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty working directory with a report and a message, and nowhere to reach."""
    data = tmp_path / "xdg"
    data.mkdir()
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(data))
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("SESDMARC_NAMESERVER", f"127.0.0.1:{free_port()}")
    table = StaticLookup({("example.com", "TXT"): ["v=spf1 include:amazonses.com -all"]})
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    # `check` also asks name servers directly (not through the lookup): give it none to ask,
    # rather than a closed port whose every query waits out the timeout.
    real_run_dns = inspect.run_dns

    def quick_run_dns(*args: Any, **kwargs: Any) -> Any:
        return real_run_dns(*args, **{**kwargs, "resolvers": (), "authoritative": ()})

    monkeypatch.setattr(inspect, "run_dns", quick_run_dns)
    work = tmp_path / "work"
    work.mkdir()
    (work / "r.xml").write_bytes(xml(report(0)))
    (work / "m.eml").write_bytes(MESSAGE)
    monkeypatch.chdir(work)
    yield work


def _written(world: Path) -> list[str]:
    here = sorted(str(p.relative_to(world)) for p in world.rglob("*"))
    there = sorted(str(p) for p in (world.parent / "xdg").rglob("*"))
    return [p for p in here if p not in ("r.xml", "m.eml")] + there


def invoke(args: list[str], stdin: bytes = b"") -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args!r} raised {result.exception!r}") from result.exception
    text = result.output
    assert "Traceback" not in text and "Internal error" not in text, text[-2000:]
    assert result.exit_code in (0, 1, 2), (result.exit_code, text[-2000:])
    return result.exit_code, text


@st.composite
def cli_case(draw: st.DrawFn) -> list[str]:
    template, seeds = draw(st.sampled_from(TEMPLATES))
    value = draw(mutated_text(seeds, max_edits=3))
    return [value if part == "{}" else part for part in template]


def _safe_path(args: list[str]) -> bool:
    # `reports PATH` reads a whole folder tree: never let a mutation point it at "/" or "..".
    if args[0] != "reports" or args[1] in ("r.xml",):
        return True
    value = args[1].strip()
    try:
        return not value.startswith(("/", "~", "..")) and not Path(value).resolve().is_dir()
    except (OSError, ValueError):
        return True


@pytest.mark.parametrize(("template", "seeds"), TEMPLATES, ids=lambda v: " ".join(v)[:40])
def test_the_seeds_run(template: list[str], seeds: list[str], world: Path) -> None:
    for seed in seeds:
        invoke([seed if part == "{}" else part for part in template])
    assert _written(world) == []


@FUZZ
@given(args=cli_case())
def test_mutated_option_values_never_traceback_or_write(args: list[str], world: Path) -> None:
    if not _safe_path(args):
        return
    invoke(args)
    assert _written(world) == [], args


def _report_files() -> list[bytes]:
    document = xml(report(0))
    return [document, gz(document), zipped(document), message(gz(document)), mbox(MESSAGE)]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(data=mutated_bytes(_report_files(), runs=(64, 1_000)))
def test_mutated_report_files_are_reported_not_fatal(data: bytes, world: Path) -> None:
    (world / "r.xml").write_bytes(data)
    invoke(["reports", "r.xml", "--json"])
    assert _written(world) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutated_bytes([MESSAGE], runs=(64, 1_000)))
def test_pasted_messages_on_stdin(data: bytes, world: Path) -> None:
    invoke(["verify-message", "-", "--json"], stdin=data)
    assert _written(world) == []


def test_the_environment_cannot_reach_aws(world: Path) -> None:
    # The guard the whole file relies on: no credentials and a closed endpoint.
    assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    code, text = invoke(["cleanup", "example.com", "--json"])
    assert code in (1, 2) and text

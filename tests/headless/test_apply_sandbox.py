"""Headless apply in the sandbox (moto + SES shim + real DNS servers), in process.

AWS writes are counted with botocore event hooks on every session the run builds (owner and
delegate), DNS writes at the provider's ``apply`` (tests/support/sandbox_flow.py). The dry run
writes nothing, not even a session file; apply reaches a verified setup (DKIM and MAIL FROM
SUCCESS, DMARC published, the policy in place, the test email delivered and passing DMARC);
a second apply writes nothing and says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sesdmarc_tui.aws.pacing import shared_ses_pacer
from sesdmarc_tui.cli import cli
from sesdmarc_tui.export import build_facts
from sesdmarc_tui.headless.dry_run import dry_run
from sesdmarc_tui.headless.run import apply_config
from sesdmarc_tui.report.apply import PrintListener, summary_lines
from sesdmarc_tui.setup_config import parse_config
from sesdmarc_tui.setup_config.validate import validate_config
from tests.headless.conftest import DOMAIN, setup_toml
from tests.support.sandbox_flow import Writes, sandbox_context

FIRST_RUN = [
    "CreateEmailIdentity",
    *["ChangeResourceRecordSets"] * 5,  # three DKIM CNAMEs, the MAIL FROM MX and SPF
    "PutEmailIdentityMailFromAttributes",
    "ChangeResourceRecordSets",  # DMARC
    "CreateEmailIdentityPolicy",
    "SendEmail",
]


def run(box: Any, data: Path, text: str, *, dry: bool = False, **options: Any) -> Any:
    config = parse_config(text)
    validated = validate_config(config)
    writes = Writes()
    ctx = sandbox_context(box, data, writes)
    if dry:
        return dry_run(ctx, config, validated), writes
    return apply_config(ctx, config, validated, **options), writes


def test_dry_run_then_apply_then_nothing_to_do(sandbox: Any, tmp_path: Path) -> None:
    data, text = tmp_path / "data", setup_toml(sandbox)

    planned, writes = run(sandbox, data, text, dry=True)
    assert writes.aws == [] and writes.dns == [] and writes.calls  # it did read
    assert planned.error is None and planned.exit_code == 0
    states = {s.step_id: s.state for s in planned.steps}
    assert states == {
        "accounts": "done",
        "domain": "done",
        "dkim": "planned",
        "mail_from": "after_earlier",  # needs the identity DKIM creates
        "reports": "done",  # not in the config: the optional collection is skipped, no plan
        "dmarc": "planned",
        "authorization": "after_earlier",
        "test_email": "planned",
    }
    calls = [a.call for s in planned.steps for p in s.plans for a in p.actions]
    assert any(c.startswith("sesv2 CreateEmailIdentity(EmailIdentity=example.com") for c in calls)
    assert any("UPSERT TXT _dmarc.example.com" in c for c in calls)
    assert not (data / "sessions").exists() and not (data / "audit.jsonl").exists()

    applied, writes = run(sandbox, data, text)
    assert applied.error is None, applied.error
    assert writes.ops() == FIRST_RUN and len(writes.dns) == 6
    assert applied.complete and applied.finished and applied.writes == 10
    assert {s.state for s in applied.steps} == {"done"}
    [reports] = [s for s in applied.steps if s.step_id == "reports"]
    assert not reports.results and reports.status is not None and reports.status.done
    test_email = applied.steps[-1]
    assert test_email.step_id == "test_email" and test_email.status is not None
    assert test_email.status.message.startswith("Delivered and verified: DMARC pass")
    entries = [json.loads(line) for line in (data / "audit.jsonl").read_text().splitlines()]
    assert len(entries) == 10 and {e["result"] for e in entries} == {"ok"}
    session = json.loads(Path(applied.session).read_text())
    assert session["finished"] is True and session["domain"] == DOMAIN

    again, writes = run(sandbox, data, text)
    assert writes.aws == [] and writes.dns == []
    assert again.nothing_to_do and again.error is None and again.complete
    assert any("Nothing to do" in line for line in summary_lines(again))
    assert len((data / "audit.jsonl").read_text().splitlines()) == 10

    replanned, writes = run(sandbox, data, text, dry=True)
    assert writes.aws == [] and replanned.nothing_to_do

    # The session exports exactly what was published (no AWS call needed).
    facts = build_facts(json_state(applied.session), source="session", from_session=True)
    exported = {(r.record.name, r.record.rtype, *r.record.values) for r in facts.records}
    published = {
        tuple(entry["parameters"][k] for k in ("name", "type"))
        for entry in entries
        if entry["call"].startswith("route53")
    }
    assert {(name, rtype) for name, rtype, *_ in exported} == published


def json_state(path: str) -> Any:
    from sesdmarc_tui.flow.state import SessionState

    return SessionState.from_json(json.loads(Path(path).read_text()))


def test_a_changed_config_changes_only_what_differs(sandbox: Any, tmp_path: Path) -> None:
    data, text = tmp_path / "data", setup_toml(sandbox, test_email=False)
    first, _ = run(sandbox, data, text)
    assert first.error is None and not first.finished  # no test email: not finished
    stage_two = text.replace("stage = 1", "stage = 2")
    second, writes = run(sandbox, data, stage_two)
    assert second.error is None
    assert writes.ops() == ["ChangeResourceRecordSets"]
    [(name, rtype, value)] = writes.dns
    assert (name, rtype) == (f"_dmarc.{DOMAIN}", "TXT")
    assert "p=quarantine" in value and "t=y" in value


def test_no_wait_stops_after_publishing_and_says_what_is_pending(
    sandbox: Any, tmp_path: Path
) -> None:
    # With manual DNS nothing gets published by the tool, so SES keeps DKIM PENDING.
    data, text = tmp_path / "data", setup_toml(sandbox, provider="manual")
    outcome, writes = run(sandbox, data, text, wait=False)
    assert outcome.error is None and outcome.exit_code == 0 and not outcome.complete
    assert writes.ops() == [  # no ChangeResourceRecordSets: the records are for the operator
        "CreateEmailIdentity",
        "PutEmailIdentityMailFromAttributes",
        "CreateEmailIdentityPolicy",
    ]
    states = {s.step_id: s.state for s in outcome.steps}
    assert states["dkim"] == states["mail_from"] == states["dmarc"] == "to_check"
    assert states["test_email"] == "not_started"
    dkim = next(s for s in outcome.steps if s.step_id == "dkim")
    assert any("_domainkey" in m or "record" in m.lower() for m in dkim.messages)
    lines = "\n".join(summary_lines(outcome))
    assert "Pending: Test email" in lines and "To do: DKIM and verification" in lines

    timed_out, writes = run(sandbox, data, text, wait=True, timeout=0.3)
    assert writes.aws == [] and timed_out.exit_code == 1
    assert timed_out.error is not None and timed_out.error.kind == "timeout"
    assert "Still waiting" in timed_out.error.message


@pytest.fixture
def fast_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI builds its own adapters on the shared pacer: one SES call a second is right
    # against AWS and only slows the sandbox down.
    monkeypatch.setattr(shared_ses_pacer(), "interval", 0.0)


def test_cli_json_dry_run_and_config_errors(
    sandbox: Any, tmp_path: Path, fast_pacing: None
) -> None:
    config = tmp_path / "setup.toml"
    config.write_text(setup_toml(sandbox))
    runner = CliRunner()
    result = runner.invoke(cli, ["apply", "--config", str(config), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["dry_run"] is True and payload["writes"] == 3 and payload["error"] is None
    assert [s["step"] for s in payload["steps"]][:3] == ["accounts", "domain", "dkim"]
    dkim = payload["steps"][2]
    assert dkim["state"] == "planned"
    assert dkim["plans"][0]["actions"][0]["call"].startswith("sesv2 CreateEmailIdentity")
    assert "== DKIM and verification" in result.stderr  # progress stays off stdout

    config.write_text(setup_toml(sandbox).replace("stage = 1", "stage = 8"))
    result = runner.invoke(cli, ["apply", "--config", str(config), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "config" and error["problems"][0]["key"] == "dmarc.stage"
    assert f"Error: {config}: dmarc.stage:" in result.stderr

    config.write_text(setup_toml(sandbox).replace(sandbox.profiles.owner, "nobody"))
    result = runner.invoke(cli, ["apply", "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}: accounts.profile:" in result.stderr and "'nobody'" in result.stderr
    # A wrong delegate profile is found before any change, not at the test email.
    delegate = sandbox.profiles.delegate_for("marketing")
    config.write_text(setup_toml(sandbox).replace(delegate, "marketing-typo"))
    result = runner.invoke(cli, ["apply", "--config", str(config)])
    assert result.exit_code == 2 and "test_email.delegate_profile:" in result.stderr
    assert not (tmp_path / "xdg" / "sesdmarc" / "audit.jsonl").exists()


def test_rfc2136_with_a_bind_key_file_keeps_the_secret_out_of_every_output(
    sandbox: Any, tmp_path: Path
) -> None:
    host, port = sandbox.dns.auth_address
    text = setup_toml(sandbox, provider="rfc2136", test_email=False) + (
        f'[domain.rfc2136]\nserver = "{host}"\nport = {port}\n'
        f'secret_file = "{sandbox.tsig_key_file}"\n'
    )
    secret = sandbox.dns.tsig.secret
    data, shown = tmp_path / "data", []
    config = parse_config(text)
    validated = validate_config(config)
    assert validated.value("domain", "rfc2136_key_name")  # taken from the key file
    for _ in range(2):
        writes = Writes()
        ctx = sandbox_context(sandbox, data, writes)
        outcome = apply_config(ctx, config, validated, PrintListener(shown.append))
        assert outcome.error is None, outcome.error
        shown += summary_lines(outcome)
        shown.append(json.dumps(outcome.to_json()))
    assert outcome.nothing_to_do and writes.aws == [] and writes.dns == []
    assert "rfc2136: NOERROR" in "\n".join(shown)
    for path in data.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(), path
    assert all(secret not in line for line in shown)

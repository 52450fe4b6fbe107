"""``sesdmarc cleanup`` in the sandbox: the plan first, a refusal changes nothing, ``--yes``
deletes, and the JSON says what was done."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.cli import cli
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.store import default_data_dir
from tests.support.sandbox_setup import (
    DOMAIN,
    REGION,
    put_foreign_policy,
    route53_records,
    sandbox_context,
    ses_policies,
    set_up,
)


@pytest.fixture(autouse=True)
def _unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sesdmarc_tui.aws.ses_calls.shared_ses_pacer", lambda: Pacer(0.0))


def test_plan_refusal_then_yes(sandbox: Any) -> None:
    ctx = sandbox_context(sandbox, default_data_dir())  # where the command looks
    wizard = Wizard(ctx)
    set_up(wizard, sandbox)
    put_foreign_policy(sandbox)
    before = route53_records(sandbox)
    runner = CliRunner()
    args = ["cleanup", DOMAIN, "--region", REGION]

    declined = runner.invoke(cli, args, input="n\n")
    assert declined.exit_code == 1, declined.output
    assert "To delete (8):" in declined.stdout
    assert "Left in place:" in declined.stdout and "other-team" in declined.stdout
    assert "Nothing was deleted." in declined.stderr
    assert route53_records(sandbox) == before
    assert set(ses_policies(sandbox)) == {"sesdmarc-delegated-sending", "other-team"}

    typed = runner.invoke(cli, [*args, "--delete-identity"], input="wrong.example\n")
    assert typed.exit_code == 1 and route53_records(sandbox) == before

    done = runner.invoke(cli, [*args, "--yes", "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert payload["applied"] is True and payload["plan"]["source"] == "state"
    assert len(payload["report"]["results"]) == 8
    assert all(r["ok"] for r in payload["report"]["results"])
    assert set(ses_policies(sandbox)) == {"other-team"}
    assert not [k for k in route53_records(sandbox) if "_domainkey" in k[0]]
    audit = [e for e in ctx.audit.entries() if e["step"] == "cleanup"]
    assert len(audit) == 8

    nothing = runner.invoke(cli, [*args, "--json"])
    assert nothing.exit_code == 0 and json.loads(nothing.stdout)["plan"]["actions"] == []


def test_bad_input_is_a_usage_error(sandbox: Any) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["cleanup", "not a domain"]).exit_code == 2
    bad_region = runner.invoke(cli, ["cleanup", DOMAIN, "--region", "mars-1"])
    assert bad_region.exit_code == 2 and "--region" in bad_region.stderr
    missing = runner.invoke(cli, ["cleanup", DOMAIN, "--state", "/nonexistent/x.json"])
    assert missing.exit_code == 2 and "cannot be read" in missing.stderr

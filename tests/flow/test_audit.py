"""The audit log: one valid JSON line per change, private, with secrets redacted."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sesdmarc_tui.flow.audit import REDACTED, AuditLog, redact
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from tests.flow.fakes import DOMAIN, OWNER, REGION, FakeProvider


def test_each_record_is_one_json_line_with_every_field(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    for result in ("ok", "error"):
        log.record(
            now=1_800_000_000.0,
            account=OWNER,
            region=REGION,
            domain=DOMAIN,
            step="dkim",
            action="dkim.create_identity",
            call="sesv2 CreateEmailIdentity(EmailIdentity=example.com)",
            parameters={"identity": DOMAIN},
            result=result,
            message="done" if result == "ok" else "AccessDenied",
        )
    lines = log.path.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["time"] == "2027-01-15T08:00:00Z"
    assert {k: first[k] for k in ("account", "region", "step", "action", "result")} == {
        "account": OWNER,
        "region": REGION,
        "step": "dkim",
        "action": "dkim.create_identity",
        "result": "ok",
    }
    assert first["parameters"] == {"identity": DOMAIN}
    assert json.loads(lines[1])["result"] == "error"
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert [e["result"] for e in log.entries()] == ["ok", "error"]


def test_redaction_of_secret_keys_known_values_and_access_keys() -> None:
    cleaned = redact(
        {
            "tsig_secret": "abc",
            "nested": [{"SessionToken": "x"}],
            "message": "TSIG hunter2hunter2 refused for AKIAIOSFODNN7EXAMPLE",
            "name": "mail.example.com",
        },
        ["hunter2hunter2"],
    )
    assert cleaned == {
        "tsig_secret": REDACTED,
        "nested": [{"SessionToken": REDACTED}],
        "message": f"TSIG {REDACTED} refused for <access-key-id>",
        "name": "mail.example.com",
    }


def test_every_write_of_a_run_is_audited(fake: tuple[FlowContext, FakeProvider]) -> None:
    ctx, _dns = fake
    wizard = Wizard(ctx)
    wizard.set_inputs("accounts", {"profile": "owner", "region": REGION})
    wizard.run_step("accounts")
    wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"})
    wizard.run_step("domain")
    wizard.run_step("dkim")
    entries = list(ctx.audit.entries())
    assert [e["action"] for e in entries[:1]] == ["dkim.create_identity"]
    assert str(entries[0]["call"]).startswith("sesv2 CreateEmailIdentity")
    assert {str(e["action"]).split(".")[2] for e in entries[1:]} == {"cname"}
    assert len(entries) == 4
    assert [e["result"] for e in entries] == ["ok"] * 4
    assert all(e["account"] == OWNER and e["region"] == REGION for e in entries)

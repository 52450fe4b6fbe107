"""The audit log: one valid JSON line per change, private, with secrets redacted."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from sesdmarc_tui.flow.audit import REDACTED, AuditLog, redact
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.state import StateError
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


def _record(log: AuditLog) -> None:
    log.record(
        now=1_800_000_000.0,
        account=OWNER,
        region=REGION,
        domain=DOMAIN,
        step="dkim",
        action="dkim.create_identity",
        call="sesv2 CreateEmailIdentity",
        parameters={},
        result="ok",
    )


def test_a_symlinked_audit_log_is_refused_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.log"
    target.write_text("someone else's file\n")
    (tmp_path / "data").mkdir()
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    log.path.symlink_to(target)
    for attempt in (lambda: _record(log), log.check_writable, lambda: list(log.entries())):
        with pytest.raises(StateError) as caught:
            attempt()
        assert caught.value.kind == "symlink" and "refuses to follow it" in str(caught.value)
    assert target.read_text() == "someone else's file\n"


def test_a_full_disk_is_a_readable_error_and_keeps_earlier_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    _record(log)
    before = log.path.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StateError) as caught:
        _record(log)
    monkeypatch.undo()
    assert caught.value.kind == "unwritable"
    assert caught.value.message == (
        f"The audit log {log.path} could not be written: No space left on device."
    )
    assert log.path.read_bytes().startswith(before)
    assert len(list(log.entries())) >= 1


def test_a_wide_log_and_directory_are_made_private(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir(mode=0o755)
    os.chmod(tmp_path / "data", 0o755)
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    log.path.write_text("")
    os.chmod(log.path, 0o644)
    _record(log)
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700

"""`sesdmarc verify-message`: the JSON contract (C6), exit codes, stdin, odd and huge inputs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.cli import cli
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.message.message import MAX_MESSAGE_BYTES
from tests.unit.message._support import BASE, add_header_top, key_name, replace_once, rsa_key, sign

CONTRACT_KEYS = [
    "from_domain",
    "signatures",
    "dkim_aligned_pass_relaxed",
    "dkim_aligned_pass_strict",
    "return_path_domain",
    "authentication_results",
]
EXTRA_KEYS = [
    "verdict",
    "findings",
    "dmarc",
    "spf",
    "assumptions",
    "notes",
    "ignored_authentication_results",
    "input",
]
SIGNATURE_KEYS = ["index", "d", "s", "result", "detail", "aligned_relaxed", "aligned_strict"]
GMAIL = (
    b"Authentication-Results: mx.google.com; dkim=pass header.i=@example.test header.s=sel; "
    b"spf=pass (google.com: domain of bounce@mail.example.test designates 54.240.8.1 as "
    b"permitted sender) smtp.mailfrom=bounce@mail.example.test; "
    b"dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.test"
)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> StaticLookup:
    table = StaticLookup(
        {
            (key_name("sel"), "TXT"): [rsa_key().record()],
            ("_dmarc.example.test", "TXT"): ["v=DMARC1; p=reject; rua=mailto:d@example.test"],
        }
    )
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    return table


def run(*args: str, stdin: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, ["verify-message", *args], input=stdin, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def run_json(*args: str, stdin: bytes | None = None) -> tuple[int, dict[str, Any]]:
    result = run(*args, "--json", stdin=stdin)
    return result.exit_code, json.loads(result.stdout)


def good() -> bytes:
    return add_header_top(sign(BASE, rsa_key()), GMAIL)


def test_contract_keys_and_exit_zero(dns: StaticLookup, tmp_path: Path) -> None:
    path = tmp_path / "good.eml"
    path.write_bytes(good())
    code, payload = run_json(str(path), "--trusted-authserv-id", "mx.google.com")
    assert code == 0 and list(payload) == CONTRACT_KEYS + EXTRA_KEYS
    assert payload["from_domain"] == "example.test"
    assert payload["return_path_domain"] == "mail.example.test"
    assert (
        payload["dkim_aligned_pass_relaxed"] is True and payload["dkim_aligned_pass_strict"] is True
    )
    sig = payload["signatures"][0]
    assert list(sig)[:7] == SIGNATURE_KEYS
    assert (sig["index"], sig["d"], sig["s"], sig["result"]) == (0, "example.test", "sel", "pass")
    assert (sig["aligned_relaxed"], sig["aligned_strict"]) == (True, True)
    ar = payload["authentication_results"]
    assert list(ar)[:5] == ["authserv_id", "dkim", "spf", "dmarc", "aligned"]
    assert ar["authserv_id"] == "mx.google.com"
    assert ar["dkim"] == [{"domain": "example.test", "header.i": "@example.test", "result": "pass"}]
    assert ar["spf"] == {
        "domain": "mail.example.test",
        "result": "pass",
        "smtp.mailfrom": "bounce@mail.example.test",
    }
    assert ar["dmarc"] == {
        "header.from": "example.test",
        "policy_comment": "p=REJECT sp=REJECT dis=NONE",
        "result": "pass",
    }
    assert ar["aligned"] == {"dkim": True, "spf": True}
    assert payload["verdict"] == "ok" and payload["assumptions"] == []
    assert {"check", "status", "message", "fix"} == set(payload["findings"][0])
    assert (
        payload["dmarc"]["ours"] == "pass" and payload["dmarc"]["org_domain_psl"] == "example.test"
    )


def test_stdin(dns: StaticLookup) -> None:
    code, payload = run_json("-", stdin=good().replace(b"\r\n", b"\n"))
    assert code == 0 and payload["signatures"][0]["result"] == "pass"
    assert payload["input"]["line_endings"] == "lf"
    assert payload["assumptions"]  # the authserv-id was inferred, and said so


def test_dmarc_failure_exits_one_with_fixes(dns: StaticLookup) -> None:
    changed = replace_once(sign(BASE, rsa_key()), b"Hello Bob", b"Hello Eve")
    code, payload = run_json("-", stdin=changed)
    assert code == 1 and payload["verdict"] == "error"
    assert payload["signatures"][0]["detail"].startswith("body changed")
    assert all(f["fix"] for f in payload["findings"] if f["status"] == "error")


def test_multiple_from_headers_is_a_verdict(dns: StaticLookup) -> None:
    message = replace_once(good(), b"To:", b"From: other@evil.test\r\nTo:")
    code, payload = run_json("-", stdin=message)
    assert code == 1 and payload["from_domain"] is None
    assert payload["signatures"][0]["aligned_relaxed"] is None
    assert any("2 From headers" in f["message"] for f in payload["findings"])


def test_headers_only_is_not_checkable(dns: StaticLookup) -> None:
    headers = good().split(b"\r\n\r\n")[0]
    code, payload = run_json("-", stdin=headers)
    assert code == 0 and payload["input"]["headers_only"] is True
    assert payload["signatures"][0]["result"] == "none"
    assert payload["signatures"][0]["detail"].startswith("not checkable")


def test_missing_file_is_a_one_line_usage_error(dns: StaticLookup, tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.eml"), "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr


def test_directory_and_bad_option_are_usage_errors(dns: StaticLookup, tmp_path: Path) -> None:
    assert run(str(tmp_path)).exit_code == 2
    bad = run("-", "--expected-mail-from", "not a domain", stdin=good())
    assert bad.exit_code == 2 and "--expected-mail-from" in bad.stderr
    assert run().exit_code == 2  # no FILE


def test_expected_mail_from(dns: StaticLookup) -> None:
    code, payload = run_json("-", "--expected-mail-from", "bounces.example.test", stdin=good())
    assert code == 0 and payload["spf"]["custom_mail_from_active"] is False
    assert any("not the expected bounces.example.test" in f["message"] for f in payload["findings"])


def test_human_output(dns: StaticLookup) -> None:
    result = run("-", stdin=good())
    assert result.exit_code == 0 and "Verdict: OK" in result.stdout
    assert "DKIM signatures" in result.stdout


def test_25_mb_message_gets_a_verdict(dns: StaticLookup) -> None:
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\r\n"
    big = BASE + line * (25 * 1024 * 1024 // len(line))
    # simple/simple keeps signing and verifying 25 MB fast; the parsing path is the same.
    message = sign(big, rsa_key(), canonicalize=(b"simple", b"simple"))
    start = time.monotonic()
    code, payload = run_json("-", stdin=message)
    assert payload["input"]["size"] > 25 * 1024 * 1024
    assert code == 0 and payload["signatures"][0]["result"] == "pass"
    assert time.monotonic() - start < 20


def test_over_the_limit_is_refused_with_a_verdict(dns: StaticLookup) -> None:
    code, payload = run_json("-", stdin=b"x" * (MAX_MESSAGE_BYTES + 10))
    assert code == 1 and payload["verdict"] == "error"
    assert "40 MB" in payload["findings"][0]["message"]


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00garbage", b"From: \x1b[31m@\r\n\r\n", b"Subject: only\r\n"]
)
def test_odd_inputs(dns: StaticLookup, data: bytes) -> None:
    code, payload = run_json("-", stdin=data)
    assert code in (0, 1) and payload["verdict"] in ("warn", "error")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=1500), st.sampled_from([b"", b"\r\n\r\n", b"\n\n"]))
def test_fuzz_never_raises(dns: StaticLookup, noise: bytes, joint: bytes) -> None:
    for data in (noise, good()[: len(noise)] + joint + noise):
        result = CliRunner().invoke(cli, ["verify-message", "-", "--json"], input=data)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code in (0, 1)
        json.loads(result.stdout)

"""`sesdmarc dmarc lint|discover|evaluate`: JSON contracts, exit codes, hostile arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sesdmarc_tui.cli import cli
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.core.lookup import StaticLookup

ORG = "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:dmarc@example.com"

LINT_KEYS = ["valid", "valid_rfc7489", "verdict", "tags", "effective", "errors", "warnings"]
DISCOVER_KEYS = [
    "author_domain",
    "organizational_domain",
    "policy_domain",
    "policy_record",
    "policy",
    "applied_policy",
    "dmarc_applies",
    "queries",
    "rfc7489",
    # beyond the contract: what went wrong, and why
    "dns_errors",
    "multiple_records",
    "notes",
]
EVALUATE_KEYS = [
    "dmarc",
    "dkim_aligned",
    "spf_aligned",
    "policy_domain",
    "disposition",
    # beyond the contract: the details behind the verdict
    "policy",
    "applied_policy",
    "organizational_domain",
    "adkim",
    "aspf",
    "testing",
    "dkim",
    "spf",
    "dns_errors",
    "notes",
]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> StaticLookup:
    table = StaticLookup(
        {
            ("_dmarc.example.com", "TXT"): [ORG],
            ("_dmarc.twice.example", "TXT"): ["v=DMARC1; p=none", "v=DMARC1; p=reject"],
            ("example.com._report._dmarc.partner.example.net", "TXT"): ["v=DMARC1;"],
        },
        errors={("_dmarc.broken.example", "TXT"): "SERVFAIL"},
    )
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    return table


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run(*args, "--json")
    return result.exit_code, json.loads(result.output)


# --- lint ---------------------------------------------------------------------------------------


def test_lint_ok(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "lint", "v=DMARC1; p=none; rua=mailto:dmarc@example.com")
    assert code == 0 and list(payload) == LINT_KEYS
    assert payload["verdict"] == "ok" and payload["valid"] and payload["valid_rfc7489"]
    assert dns.queries == []  # no --domain, no DNS


def test_lint_warnings_exit_zero(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "lint", "v=DMARC1; p=none")
    assert code == 0 and payload["verdict"] == "warn"
    assert payload["warnings"][0] == {
        "kind": "no_rua",
        "message": payload["warnings"][0]["message"],
    }


def test_lint_errors_exit_one(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "lint", "v=DMARC1 p=none")
    assert code == 1 and payload["tags"] is None and payload["errors"][0]["kind"] == "not_dmarc"


def test_lint_with_domain_checks_destinations(dns: StaticLookup) -> None:
    record = (
        "v=DMARC1; p=none; rua=mailto:dmarc@example.com,"
        "mailto:r@partner.example.net,mailto:x@other.example.org"
    )
    code, payload = run_json("dmarc", "lint", record, "--domain", "Example.COM.")
    assert code == 0 and list(payload) == [*LINT_KEYS, "external_destinations"]
    dests = payload["external_destinations"]
    assert [d["authorized"] for d in dests] == [None, True, False]
    assert [d["verification_query"] for d in dests] == [
        None,
        "example.com._report._dmarc.partner.example.net",
        "example.com._report._dmarc.other.example.org",
    ]
    for dest in dests:
        assert {"uri", "host", "authorized", "verification_query"} <= set(dest)
    assert "external_destination_needs_authorization" in [w["kind"] for w in payload["warnings"]]


def test_lint_domain_may_be_the_record_name(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "lint", "v=DMARC1; p=none", "--domain", "_dmarc.example.com")
    assert code == 0 and payload["external_destinations"] == []


def test_lint_human_output(dns: StaticLookup) -> None:
    result = run("dmarc", "lint", "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@example.com")
    assert result.exit_code == 0
    assert "Verdict: WARN" in result.output and "sp_weaker_than_p" in result.output
    result = run("dmarc", "lint", "v=DMARC1")
    assert result.exit_code == 1 and "Verdict: ERROR" in result.output


@pytest.mark.parametrize("domain", ["", "not a domain", "x" * 10_000, "\x01", "\udcff", "a..b"])
def test_lint_bad_domain_is_usage_error(dns: StaticLookup, domain: str) -> None:
    result = run("dmarc", "lint", "v=DMARC1; p=none", "--domain", domain)
    assert result.exit_code == 2 and "--domain" in result.output
    assert len(result.output.strip().splitlines()) == 1 and len(result.output) < 400


# --- discover -------------------------------------------------------------------------------------


def test_discover_json(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "discover", "news.example.com")
    assert code == 0 and list(payload) == DISCOVER_KEYS
    assert payload["policy_domain"] == "example.com" and payload["applied_policy"] == "sp"
    assert payload["policy"] == "quarantine" and payload["dmarc_applies"] is True
    assert payload["queries"] == ["_dmarc.news.example.com", "_dmarc.example.com", "_dmarc.com"]
    assert payload["rfc7489"] == {
        "organizational_domain": "example.com",
        "policy_domain": "example.com",
        "policy": "quarantine",
    }


def test_discover_author_domain_missing(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "discover", "nx.example.com", "--author-domain-missing")
    assert code == 0 and (payload["applied_policy"], payload["policy"]) == ("np", "reject")


def test_discover_nothing(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "discover", "example.org")
    assert code == 0 and payload["dmarc_applies"] is False and payload["applied_policy"] is None


def test_discover_multiple_records_exit_one(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "discover", "twice.example")
    assert code == 1 and payload["multiple_records"] == ["_dmarc.twice.example"]
    assert payload["dmarc_applies"] is False


def test_discover_dns_error_exit_one(dns: StaticLookup) -> None:
    code, payload = run_json("dmarc", "discover", "broken.example")
    assert code == 1
    assert payload["dns_errors"] == [{"query": "_dmarc.broken.example", "error": "SERVFAIL"}]


def test_discover_human(dns: StaticLookup) -> None:
    result = run("dmarc", "discover", "news.example.com")
    assert result.exit_code == 0 and "DMARC applies: yes" in result.output
    assert "_dmarc.news.example.com" in result.output


@pytest.mark.parametrize(
    "domain", ["", " ", "x" * 10_000, "a\x00b", "\udcff.example", "http://x.com/"]
)
def test_discover_bad_domain(dns: StaticLookup, domain: str) -> None:
    result = run("dmarc", "discover", domain, "--json")
    assert result.exit_code == 2 and result.output.startswith("Error: DOMAIN:")
    assert dns.queries == []


# --- evaluate -------------------------------------------------------------------------------------

SES_OK = ["--from", "example.com", "--mail-from", "mail.example.com", "--spf", "pass"]


def test_evaluate_pass(dns: StaticLookup) -> None:
    code, payload = run_json(
        "dmarc", "evaluate", *SES_OK, "--dkim", "example.com:pass", "--dkim", "amazonses.com:pass"
    )
    assert code == 0 and list(payload) == EVALUATE_KEYS
    assert (payload["dmarc"], payload["dkim_aligned"], payload["spf_aligned"]) == (
        "pass",
        True,
        True,
    )
    assert (payload["policy_domain"], payload["disposition"]) == ("example.com", "none")


def test_evaluate_fail_exit_one(dns: StaticLookup) -> None:
    mail_from = "bounce@us-east-1.amazonses.com"
    code, payload = run_json(
        "dmarc", "evaluate", "--from", "example.com", "--mail-from", mail_from,
        "--spf", "PASS", "--dkim", "amazonses.com:pass",
    )  # fmt: skip
    assert code == 1 and payload["dmarc"] == "fail" and payload["disposition"] == "reject"
    assert payload["spf"]["domain"] == "us-east-1.amazonses.com"


def test_evaluate_subdomain_np(dns: StaticLookup) -> None:
    code, payload = run_json(
        "dmarc", "evaluate", "--from", "nx.example.com", "--mail-from", "x.example.net",
        "--spf", "fail", "--author-domain-missing",
    )  # fmt: skip
    assert code == 1 and payload["disposition"] == "reject" and payload["applied_policy"] == "np"


def test_evaluate_none_exit_zero(dns: StaticLookup) -> None:
    code, payload = run_json(
        "dmarc", "evaluate", "--from", "example.org", "--mail-from", "example.org", "--spf", "fail"
    )
    assert code == 0 and payload["dmarc"] == "none" and payload["disposition"] == "none"


def test_evaluate_temperror_exit_one(dns: StaticLookup) -> None:
    code, payload = run_json(
        "dmarc",
        "evaluate",
        "--from",
        "broken.example",
        "--mail-from",
        "broken.example",
        "--spf",
        "pass",
    )
    assert code == 1 and payload["dmarc"] == "temperror"


def test_evaluate_human(dns: StaticLookup) -> None:
    result = run("dmarc", "evaluate", *SES_OK, "--dkim", "example.com:pass")
    assert result.exit_code == 0 and "DMARC: PASS" in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "example.com", "--mail-from", "mail.example.com", "--spf", "maybe"], "--spf"),
        ([*SES_OK, "--dkim", "example.com"], "DOMAIN:RESULT"),
        ([*SES_OK, "--dkim", "example.com:ok"], "--dkim"),
        ([*SES_OK, "--dkim", ":pass"], "--dkim"),
        (["--from", "", "--mail-from", "mail.example.com", "--spf", "pass"], "--from"),
        (["--from", "example.com", "--mail-from", "\udcff", "--spf", "pass"], "--mail-from"),
        (["--from", "x" * 10_000, "--mail-from", "m.example.com", "--spf", "pass"], "--from"),
        (["--from", "example.com", "--mail-from", "m.example.com", "--spf", "\x1b[2J"], "--spf"),
    ],
)
def test_evaluate_bad_arguments(dns: StaticLookup, args: list[str], needle: str) -> None:
    result = run("dmarc", "evaluate", *args, "--json")
    assert result.exit_code == 2 and needle in result.output
    assert len(result.output.strip().splitlines()) == 1 and "\x1b" not in result.output


def test_evaluate_missing_option_is_usage(dns: StaticLookup) -> None:
    assert run("dmarc", "evaluate", "--from", "example.com").exit_code == 2


# --- hostile records ------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "v=DMARC1; " + "p=none; " * 1500,
    "\x01\x02\x1b[31m\x7f",
    "\udcff\udcfe",
    ";;;===,,,",
]


@pytest.mark.parametrize("record", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("as_json", [True, False])
def test_lint_hostile_records(dns: StaticLookup, record: str, as_json: bool) -> None:
    args = ["dmarc", "lint", record] + (["--json"] if as_json else [])
    result = run(*args)
    assert result.exit_code in (0, 1)
    assert "\x1b" not in result.output
    if as_json:
        assert json.loads(result.output)["verdict"] in ("ok", "warn", "error")


# --- a real process: argv bytes that are not UTF-8 ------------------------------------------------

SESDMARC = str(Path(sys.executable).parent / "sesdmarc")


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        ([b"dmarc", b"lint", b"\xff\xfe v=DMARC1; p=none \xc3\x28", b"--json"], (1,)),
        ([b"dmarc", b"lint", b"v=DMARC1; p=none; rua=mailto:\xff@example.com"], (1,)),
        ([b"dmarc", b"lint", b"v=DMARC1; p=none", b"--domain", b"\xff.example", b"--json"], (2,)),
        ([b"dmarc", b"discover", b"\xff.example"], (2,)),
        (
            [b"dmarc", b"evaluate", b"--from", b"\xff", b"--mail-from", b"x", b"--spf", b"pass"],
            (2,),
        ),
    ],
)
def test_non_utf8_argv(args: list[bytes], codes: tuple[int, ...]) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        [SESDMARC.encode(), *args], capture_output=True, env=env, timeout=60, check=False
    )
    text = (proc.stdout + proc.stderr).decode(errors="replace")
    assert "Traceback" not in text and "Internal error" not in text
    assert proc.returncode in codes, text
    if b"--json" in args and proc.returncode != 2:
        json.loads(proc.stdout)

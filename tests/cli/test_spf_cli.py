"""``sesdmarc spf check|merge``: JSON contract, exit codes, human output, bad arguments."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sesdmarc_tui.cli import cli
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.core.lookup import StaticLookup

CHECK_KEYS = {"domain", "records", "valid", "dns_lookups", "void_lookups", "error_kind", "warnings"}
MERGE_KEYS = {"record", "changed", "error_kind", "dns_lookups"}

ZONE = {
    ("example.com", "TXT"): [
        "v=spf1 include:_spf.example.com mx ~all",
        "google-site-verification=x",
    ],
    ("_spf.example.com", "TXT"): ["v=spf1 ip4:192.0.2.0/24 -all"],
    ("example.com", "MX"): ["10 mx.example.com."],
    ("mx.example.com", "A"): ["198.51.100.1"],
    ("amazonses.com", "TXT"): ["v=spf1 ip4:199.255.192.0/22 -all"],
    ("two.example", "TXT"): ["v=spf1 -all", "v=spf1 +all"],
    ("voids.example", "TXT"): [
        "v=spf1 a:x1.voids.example a:x2.voids.example a:x3.voids.example -all"
    ],
    ("ptr.example", "TXT"): ["v=spf1 ptr +all"],
    ("syntax.example", "TXT"): ["v=spf1 include: amazonses.com -all"],
    ("inc.example", "TXT"): ["v=spf1 include:nothing.example -all"],
    ("big.example", "TXT"): [
        "v=spf1 " + " ".join("include:_spf.example.com" for _ in range(11)) + " -all"
    ],
}


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> StaticLookup:
    table = StaticLookup(ZONE, errors={("broken.example", "TXT"): "timed out"})
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    return table


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def run_json(*args: str) -> tuple[dict[str, Any], int]:
    result = run(*args, "--json")
    return json.loads(result.stdout), result.exit_code


def test_check_valid_record(zone: StaticLookup) -> None:
    payload, code = run_json("spf", "check", "Example.COM.")
    assert set(payload) == CHECK_KEYS
    assert payload == {
        "domain": "example.com",
        "records": ["v=spf1 include:_spf.example.com mx ~all"],
        "valid": True,
        "dns_lookups": 2,
        "void_lookups": 0,
        "error_kind": None,
        "warnings": [],
    }
    assert code == 0


@pytest.mark.parametrize(
    ("domain", "error_kind"),
    [
        ("two.example", "multiple_spf_records"),
        ("voids.example", "too_many_void_lookups"),
        ("syntax.example", "syntax"),
        ("inc.example", "include_target_has_no_spf"),
        ("big.example", "too_many_dns_lookups"),
        ("nothing.example", "no_spf_record"),
        ("broken.example", "dns_error"),
    ],
)
def test_check_errors_exit_1(zone: StaticLookup, domain: str, error_kind: str) -> None:
    payload, code = run_json("spf", "check", domain)
    assert set(payload) == CHECK_KEYS
    assert (payload["valid"], payload["error_kind"], code) == (False, error_kind, 1)


def test_check_warnings_exit_0(zone: StaticLookup) -> None:
    payload, code = run_json("spf", "check", "ptr.example")
    kinds = {w["kind"] for w in payload["warnings"]}
    assert kinds == {"ptr_mechanism_discouraged", "plus_all_allows_everyone"}
    assert all(set(w) == {"kind", "message"} for w in payload["warnings"])
    assert code == 0


def test_check_dns_error_in_include_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    table = StaticLookup(
        {("example.com", "TXT"): ["v=spf1 include:slow.example -all"]},
        errors={("slow.example", "TXT"): "timed out"},
    )
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    payload, code = run_json("spf", "check", "example.com")
    assert (payload["valid"], payload["void_lookups"], code) == (True, 0, 0)
    assert [w["kind"] for w in payload["warnings"]] == ["dns_error"]


@pytest.mark.parametrize(
    ("ip", "extra", "result"),
    [
        ("192.0.2.7", [], "pass"),
        ("198.51.100.1", ["--sender", "bounce@EXAMPLE.com.", "--helo", "mta.example.net"], "pass"),
        ("203.0.113.5", [], "softfail"),
        ("2001:db8::1", [], "softfail"),
    ],
)
def test_check_with_evaluation(zone: StaticLookup, ip: str, extra: list[str], result: str) -> None:
    payload, code = run_json("spf", "check", "example.com", "--ip", ip, *extra)
    assert set(payload) == CHECK_KEYS | {"evaluation"}
    assert payload["evaluation"] == {"ip": ip, "result": result}
    assert code == 0


def test_evaluation_of_a_permerror_domain(zone: StaticLookup) -> None:
    payload, code = run_json("spf", "check", "two.example", "--ip", "192.0.2.1")
    assert payload["evaluation"] == {"ip": "192.0.2.1", "result": "permerror"}
    assert code == 1


def test_check_human_output(zone: StaticLookup) -> None:
    result = run("spf", "check", "example.com", "--ip", "192.0.2.7")
    assert result.exit_code == 0
    assert "Record: v=spf1 include:_spf.example.com mx ~all" in result.output
    assert "DNS lookups: 2 of at most 10" in result.output
    assert "pass" in result.output and "Verdict: valid" in result.output
    bad = run("spf", "check", "two.example")
    assert bad.exit_code == 1
    assert "Merge them into one" in " ".join(bad.output.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["spf", "check", ""], "empty"),
        (["spf", "check", "exa mple.com"], "not a bare domain"),
        (["spf", "check", "x" * 10_000], "longer than a domain name"),
        (["spf", "check", "\x01\x02"], "control characters"),
        (["spf", "check", "\udcff.example"], "not a valid internationalised"),
        (["spf", "check", "example.com", "--ip", "300.1.1.1"], "not an IP address"),
        (["spf", "check", "example.com", "--ip", "fe80::1%eth0"], "not an IP address"),
        (["spf", "check", "example.com", "--ip", "\udcff"], "not an IP address"),
        (["spf", "check", "example.com", "--sender", "a@example.com"], "add --ip"),
        (
            ["spf", "check", "example.com", "--ip", "192.0.2.1", "--sender", "a@b@example.com"],
            "not an address",
        ),
        (
            ["spf", "check", "example.com", "--ip", "192.0.2.1", "--sender", "nobody"],
            "not an address",
        ),
        (
            ["spf", "check", "example.com", "--ip", "192.0.2.1", "--sender", "a@other.example"],
            "spf check other.example",
        ),
        (["spf", "check", "example.com", "--ip", "192.0.2.1", "--helo", "bad name"], "--helo"),
        (["spf", "merge", "--add", "include: amazonses.com"], "write include:amazonses.com"),
        (["spf", "merge", "--add", "-all"], "all term"),
        (["spf", "merge", "--add", "v=spf1 include:x.example"], "not a whole record"),
        (["spf", "merge", "--add", ""], "empty"),
        (["spf", "merge", "--add", "include:\udcff"], "not a valid SPF term"),
    ],
)
def test_bad_arguments_exit_2(zone: StaticLookup, args: list[str], message: str) -> None:
    for extra in ([], ["--json"]):
        result = run(*args, *extra)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert result.stderr.startswith("Error: ")
        assert result.stdout == ""


def test_merge_new_record() -> None:
    payload, code = run_json("spf", "merge")
    assert set(payload) == MERGE_KEYS
    assert payload == {
        "record": "v=spf1 include:amazonses.com ~all",
        "changed": True,
        "error_kind": None,
        "dns_lookups": 1,
    }
    assert code == 0


@pytest.mark.parametrize(
    ("existing", "record", "changed"),
    [
        (["google-site-verification=abc"], "v=spf1 include:amazonses.com ~all", True),
        (["v=spf1 mx -all"], "v=spf1 mx include:amazonses.com -all", True),
        (
            ["v=spf1 mx redirect=_spf.example.com"],
            "v=spf1 mx include:amazonses.com redirect=_spf.example.com",
            True,
        ),
        (["v=spf1 ip4:192.0.2.1"], "v=spf1 ip4:192.0.2.1 include:amazonses.com", True),
        (["x=1", "v=spf1 Include:AMAZONSES.com ~all"], "v=spf1 Include:AMAZONSES.com ~all", False),
    ],
)
def test_merge_cases(existing: list[str], record: str, changed: bool) -> None:
    args = ["spf", "merge", "--add", "include:amazonses.com"]
    for value in existing:
        args += ["--existing", value]
    payload, code = run_json(*args)
    assert (payload["record"], payload["changed"], payload["error_kind"], code) == (
        record,
        changed,
        None,
        0,
    )


@pytest.mark.parametrize(
    ("existing", "error_kind", "lookups"),
    [
        (["v=spf1 -all", "v=spf1 +all"], "multiple_spf_records", 0),
        (["v=spf1 " + "a " * 10 + "-all"], "too_many_dns_lookups", 11),
        (["v=spf1 include: x.example -all"], "syntax", 0),
    ],
)
def test_merge_refusals_exit_1(existing: list[str], error_kind: str, lookups: int) -> None:
    args = ["spf", "merge"]
    for value in existing:
        args += ["--existing", value]
    payload, code = run_json(*args)
    assert set(payload) == MERGE_KEYS
    assert payload == {
        "record": None,
        "changed": False,
        "error_kind": error_kind,
        "dns_lookups": lookups,
    }
    assert code == 1


def test_merge_resolve_uses_dns(zone: StaticLookup) -> None:
    existing = "v=spf1 " + " ".join("include:_spf.example.com" for _ in range(8)) + " mx -all"
    payload, code = run_json("spf", "merge", "--existing", existing, "--resolve")
    assert (payload["dns_lookups"], payload["error_kind"], code) == (10, None, 0)
    assert ("amazonses.com.", "TXT") in zone.queries
    human = run("spf", "merge", "--existing", existing, "--resolve")
    assert "counted through DNS" in human.output


def test_merge_without_resolve_makes_no_query(zone: StaticLookup) -> None:
    human = run("spf", "merge", "--existing", "v=spf1 include:_spf.example.com -all")
    assert zone.queries == []
    assert "lower bound" in human.output
    assert "New record: v=spf1 include:_spf.example.com include:amazonses.com -all" in human.output


def test_merge_human_output_for_hostile_existing_values() -> None:
    result = run(
        "spf", "merge", "--existing", "v=spf1 \x1b[2J\udcff -all", "--existing", "\udcff" * 50
    )
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "syntax" in result.output


@pytest.mark.parametrize(
    "value", ["", " ", "x" * 10_000, "\x01\x02\x1b[31m", "\udcff\udcfe", "v=spf1 " + "a " * 3000]
)
def test_hostile_values_never_traceback(zone: StaticLookup, value: str) -> None:
    for args in (
        ["spf", "check", value],
        ["spf", "check", "example.com", "--ip", value],
        ["spf", "merge", "--add", value],
        ["spf", "merge", "--existing", value],
        ["spf", "merge", "--existing", value, "--resolve"],
    ):
        for extra in ([], ["--json"]):
            result = run(*args, *extra)
            assert result.exit_code in (0, 1, 2)

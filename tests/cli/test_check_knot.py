"""``sesdmarc check`` against real knotd zones, without AWS credentials.

The DNS half runs and the SES half is listed as skipped; exit code 1 when any finding is an
error, 0 with warnings only, 2 for bad arguments. Two tests run the installed console script
in a child process, the rest go through click's runner in-process (same code, faster).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sesdmarc_tui.cli import cli
from tests.support import check_world as w
from tests.support.knot import KnotServer

pytestmark = pytest.mark.realdns

SESDMARC = Path(sys.executable).parent / "sesdmarc"
MISTAKES = [
    'example.test. 300 IN TXT "v=spf1 include:amazonses.com -all"',
    'example.test. 300 IN TXT "v=spf1 mx -all"',
    "mail 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
    "mail 300 IN MX 20 inbound.example.test.",
    'mail 300 IN TXT "v=spf1 -all include:amazonses.com"',
    '_dmarc.example.test.example.test. 300 IN TXT "v=DMARC1; p=none"',
]


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials anywhere, and no instance-metadata probe (it would leave the machine)."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def servers(
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> Callable[..., list[str]]:
    """``servers(zone_lines)`` -> ``--nameserver`` values for example.test and amazonses.com."""

    def start(lines: list[str]) -> list[str]:
        zone = knot_server_factory("example.test.", lines)
        ses = knot_server_factory("amazonses.com.", w.AMAZONSES_ZONE)
        return [f"{s.host}:{s.port}" for s in (zone, ses)]

    return start


def run(nameservers: list[str], *args: str) -> Result:
    options = [x for ns in nameservers for x in ("--nameserver", ns)]
    result = CliRunner().invoke(cli, [*options, "check", *args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def spawn(nameservers: list[str], *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    options = [x for ns in nameservers for x in ("--nameserver", ns)]
    return subprocess.run(
        [str(SESDMARC), *options, "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100", **env},
    )


def by_id(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in payload["findings"]}


def test_healthy_zone_exits_0_and_lists_what_was_skipped(
    servers: Callable[..., list[str]],
) -> None:
    done = spawn(servers(w.HEALTHY), "example.test", "--region", "us-east-1", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) >= {"domain", "regions", "findings", "skipped", "summary"}
    assert payload["domain"] == "example.test"
    assert payload["summary"]["errors"] == payload["summary"]["warnings"] == 0
    assert {"mail_from_dns_ok", "spf_valid", "dmarc_published"} <= set(by_id(payload))
    skipped = {s["area"]: s["reason"] for s in payload["skipped"]}
    assert set(skipped) == {"ses", "dkim", "authorization", "mail_from"}
    assert "No AWS credentials" in skipped["ses"]
    assert "tokens" in skipped["dkim"]


def test_mistakes_exit_1_each_with_its_fix(servers: Callable[..., list[str]]) -> None:
    done = spawn([], "example.test", "--json", SESDMARC_NAMESERVER=",".join(servers(MISTAKES)))
    assert done.returncode == 1, done.stderr
    found = by_id(json.loads(done.stdout))
    expected = {
        "spf_multiple_spf_records": "Merge them into one v=spf1 record",
        "mail_from_extra_mx": "Delete every MX record at mail.example.test except",
        "spf_include_after_all": "Move include:amazonses.com before the all term",
        "dmarc_doubled_zone": "Rename the record to _dmarc.example.test",
    }
    for item_id, fix in expected.items():
        assert found[item_id]["severity"] == "error"
        assert fix in found[item_id]["fix"]


def test_human_checklist_groups_areas_with_fixes(servers: Callable[..., list[str]]) -> None:
    result = run(servers(MISTAKES), "example.test")
    assert result.exit_code == 1
    out = result.output
    for heading in ("SES identity", "DKIM records", "Custom MAIL FROM", "SPF", "DMARC"):
        assert f"\n{heading}\n" in out
    assert "ERROR" in out and "Fix: " in out and "SKIP" in out
    assert "Summary: " in out and "check(s) skipped" in out


def test_warnings_only_exit_0(servers: Callable[..., list[str]]) -> None:
    lines = [
        *w.HEALTHY[:-1],
        '_dmarc 300 IN TXT "v=DMARC1; p=none; aspf=s; rua=mailto:d@example.test"',
    ]
    result = run(servers(lines), "example.test", "--json")
    assert result.exit_code == 0
    assert by_id(json.loads(result.output))["dmarc_aspf_strict"]["severity"] == "warning"


def test_mail_from_option_names_the_domain_to_check(servers: Callable[..., list[str]]) -> None:
    lines = [
        w.APEX_SPF,
        w.DMARC,
        "bounce 300 IN MX 10 feedback-smtp.eu-west-1.amazonses.com.",
        'bounce 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    ]
    result = run(servers(lines), "example.test", "--mail-from", "bounce.example.test", "--json")
    assert result.exit_code == 0, result.output
    ok = by_id(json.loads(result.output))["mail_from_dns_ok"]
    assert ok["title"] == "The MAIL FROM MX at bounce.example.test points at SES in eu-west-1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["example.test", "--region", "us-east-9"], "--region"),
        (["example.test", "--region", "ap-east-1"], "not available in ap-east-1"),
        (["not a domain"], "DOMAIN"),
        (["example.test", "--mail-from", "-x-"], "--mail-from"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output

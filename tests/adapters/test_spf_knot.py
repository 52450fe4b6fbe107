"""SPF counting through nested includes against a real knotd on loopback.

The zone exercises what an in-memory table cannot: dnspython's real answers for TXT records
split into several strings, NXDOMAIN versus NODATA from an authoritative server, and the CLI's
``--nameserver`` routing in a separate process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sesdmarc_tui.core.spf import check_spf
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.dns.spf_eval import evaluate_spf
from tests.support.knot import free_port

pytestmark = pytest.mark.realdns

ORIGIN = "example.test."
# A long record (> 255 octets) published as two character-strings; the split is inside the
# run of ip4 terms, right after a space, so joining without a space gives the record back.
LONG_TERMS = " ".join(f"ip4:198.51.100.{i}" for i in range(1, 21))
LONG_RECORD = f"v=spf1 {LONG_TERMS} include:l1.example.test -all"
LONG_SPLIT = LONG_RECORD.index("ip4:198.51.100.15")

ZONE = [
    # 3 levels of nested includes under the apex: apex -> l1 -> l2 -> l3
    'example.test. 300 IN TXT "v=spf1 include:l1.example.test mx -all"',
    'example.test. 300 IN TXT "google-site-verification=abc"',
    "example.test. 300 IN MX 10 mx.example.test.",
    "mx.example.test. 300 IN A 192.0.2.25",
    'l1.example.test. 300 IN TXT "v=spf1 include:l2.example.test a:web.example.test ~all"',
    "web.example.test. 300 IN A 192.0.2.80",
    'l2.example.test. 300 IN TXT "v=spf1 include:l3.example.test ~all"',
    'l3.example.test. 300 IN TXT "v=spf1 ip4:203.0.113.0/24 -all"',
    # void lookups: one NXDOMAIN, one NODATA (name exists, no A/AAAA), one MX-less name
    'voids.example.test. 300 IN TXT "v=spf1 a:gone.example.test a:txtonly.example.test '
    'mx:txtonly.example.test -all"',
    'txtonly.example.test. 300 IN TXT "hello"',
    'twovoids.example.test. 300 IN TXT "v=spf1 a:gone.example.test mx:txtonly.example.test '
    'ip4:192.0.2.1 -all"',
    f'long.example.test. 300 IN TXT "{LONG_RECORD[:LONG_SPLIT]}" "{LONG_RECORD[LONG_SPLIT:]}"',
    'noinc.example.test. 300 IN TXT "v=spf1 include:gone.example.test -all"',
]

SESDMARC = Path(sys.executable).parent / "sesdmarc"


@pytest.fixture
def server(knot_zone: Callable[[str, list[str]], tuple[str, int]]) -> tuple[str, int]:
    return knot_zone(ORIGIN, ZONE)


def _cli(server: tuple[str, int], *args: str) -> tuple[dict[str, Any], int]:
    host, port = server
    command = [str(SESDMARC)] if SESDMARC.exists() else [sys.executable, "-m", "sesdmarc_tui.cli"]
    proc = subprocess.run(
        [*command, "--nameserver", f"{host}:{port}", "spf", "check", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout), proc.returncode


def test_nested_includes_counted_through_real_dns(server: tuple[str, int]) -> None:
    result = check_spf("example.test", make_lookup([server], timeout=2.0))
    assert result.records == ("v=spf1 include:l1.example.test mx -all",)
    # apex: include + mx; l1: include + a; l2: include; l3: none
    assert (result.dns_lookups, result.void_lookups, result.error_kind) == (5, 0, None)
    levels = []
    node = result.count.tree
    while node.children:
        node = node.children[0]
        levels.append(node.domain)
    assert levels == ["l1.example.test", "l2.example.test", "l3.example.test"]


def test_cli_counts_nested_includes_via_nameserver(server: tuple[str, int]) -> None:
    payload, code = _cli(server, "example.test")
    assert payload["dns_lookups"] == 5
    assert payload["valid"] is True and payload["error_kind"] is None
    assert code == 0


def test_cli_evaluates_through_the_include_chain(server: tuple[str, int]) -> None:
    payload, code = _cli(server, "example.test", "--ip", "203.0.113.9")
    assert payload["evaluation"] == {"ip": "203.0.113.9", "result": "pass"}
    assert code == 0
    payload, _ = _cli(server, "example.test", "--ip", "198.51.100.200")
    assert payload["evaluation"] == {"ip": "198.51.100.200", "result": "fail"}


def test_void_lookups_nxdomain_and_nodata(server: tuple[str, int]) -> None:
    lookup = make_lookup([server], timeout=2.0)
    over = check_spf("voids.example.test", lookup)
    assert (over.void_lookups, over.error_kind) == (3, "too_many_void_lookups")
    at_limit = check_spf("twovoids.example.test", lookup)
    assert (at_limit.void_lookups, at_limit.error_kind) == (2, None)
    payload, code = _cli(server, "voids.example.test")
    assert (payload["void_lookups"], payload["error_kind"], code) == (3, "too_many_void_lookups", 1)


def test_include_of_nxdomain(server: tuple[str, int]) -> None:
    payload, code = _cli(server, "noinc.example.test")
    assert (payload["error_kind"], payload["void_lookups"], code) == (
        "include_target_has_no_spf",
        1,
        1,
    )


def test_long_txt_strings_are_joined(server: tuple[str, int]) -> None:
    lookup = make_lookup([server], timeout=2.0)
    result = check_spf("long.example.test", lookup)
    assert len(LONG_RECORD) > 255
    assert result.records == (LONG_RECORD,)
    assert result.valid
    assert result.dns_lookups == 1 + 3  # its own include + l1 (include, a) + l2 (include)
    assert evaluate_spf("198.51.100.17", "x@long.example.test", "h.example.test", lookup) == "pass"
    payload, code = _cli(server, "long.example.test")
    assert payload["records"] == [LONG_RECORD]
    assert code == 0


def test_unreachable_server_is_a_dns_error_not_a_void() -> None:
    lookup = make_lookup([("127.0.0.1", free_port())], timeout=0.3)
    result = check_spf("example.test", lookup)
    assert (result.error_kind, result.void_lookups, result.valid) == ("dns_error", 0, False)

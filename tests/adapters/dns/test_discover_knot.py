"""Finding a zone's authoritative servers, with knotd standing in for the resolvers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sesdmarc_tui.dns.board import DiscoveryError, discover_authoritative
from sesdmarc_tui.dns.discover import discover_zone
from sesdmarc_tui.dns.query import Server, ServerKind
from tests.adapters.dns._support import ORIGIN, recursive
from tests.support.knot import KnotServer

pytestmark = pytest.mark.realdns

MORE_NS = [
    "@ 3600 IN NS ns2.example.test.",
    "@ 3600 IN NS ns3.example.test.",
    "ns2 3600 IN A 127.0.0.2",
    "ns2 3600 IN AAAA ::1",
    "ns3 3600 IN AAAA ::1",
    "@ 3600 IN NS ns4.example.test.",
]


async def test_ns_then_addresses(knot: KnotServer) -> None:
    servers = await discover_authoritative(ORIGIN, [recursive(knot)], port=knot.port)
    assert servers == [Server("127.0.0.1", knot.port, ServerKind.AUTHORITATIVE, "ns1.example.test")]


async def test_ipv6_only_for_hosts_without_ipv4_and_unresolved_listed(
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> None:
    knot = knot_server_factory(ORIGIN, MORE_NS)
    found = await discover_zone("example.test", [recursive(knot)], port=knot.port)
    assert [(s.label, s.address) for s in found.servers] == [
        ("ns1.example.test", "127.0.0.1"),
        ("ns2.example.test", "127.0.0.2"),
        ("ns3.example.test", "::1"),
    ]
    assert found.unresolved == ("ns4.example.test.",)
    both = await discover_zone(ORIGIN, [recursive(knot)], port=knot.port, include_ipv6=True)
    assert ("ns2.example.test", "::1") in [(s.label, s.address) for s in both.servers]


async def test_a_name_that_is_not_a_zone_is_explained(knot: KnotServer) -> None:
    with pytest.raises(DiscoveryError, match="not a zone of its own"):
        await discover_authoritative("host.example.test", [recursive(knot)], port=knot.port)
    with pytest.raises(DiscoveryError, match="does not exist"):
        await discover_authoritative("nope.example.test", [recursive(knot)], port=knot.port)


async def test_no_answer_is_explained(silent_port: int) -> None:
    silent = Server("127.0.0.1", silent_port)
    with pytest.raises(DiscoveryError, match="No resolver answered"):
        await discover_authoritative(ORIGIN, [silent], timeout=0.2)
    with pytest.raises(DiscoveryError, match="No resolver"):
        await discover_authoritative(ORIGIN, [])


async def test_one_failing_resolver_does_not_hide_the_others(
    knot: KnotServer, silent_port: int
) -> None:
    resolvers = [Server("127.0.0.1", silent_port), recursive(knot)]
    servers = await discover_authoritative(ORIGIN, resolvers, port=knot.port, timeout=0.3)
    assert [s.label for s in servers] == ["ns1.example.test"]

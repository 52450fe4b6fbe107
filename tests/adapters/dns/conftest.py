"""Fixtures for the live-DNS engine tests: knot zones, silent and slow servers, loopback guard."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import dns.asyncquery
import pytest

from sesdmarc_tui.dns.burst import Burst
from tests.adapters.dns._support import ORIGIN, ZONE, LatencyFactory
from tests.support.knot import KnotServer
from tests.support.latency_dns import LatencyDNS


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that would send a query off this machine (say, to DEFAULT_RESOLVERS)."""
    for fn in ("udp", "tcp"):
        real = getattr(dns.asyncquery, fn)

        async def guarded(q: Any, where: str, *args: Any, _real: Any = real, **kw: Any) -> Any:
            assert ipaddress.ip_address(where).is_loopback, f"test queried {where}"
            return await _real(q, where, *args, **kw)

        monkeypatch.setattr(dns.asyncquery, fn, guarded)
    real_burst = Burst._udp

    async def guarded_burst(
        self: Burst, request: Any, wire: bytes, server: Any, *a: Any, **kw: Any
    ) -> Any:
        assert ipaddress.ip_address(server.address).is_loopback, f"test queried {server}"
        return await real_burst(self, request, wire, server, *a, **kw)

    monkeypatch.setattr(Burst, "_udp", guarded_burst)


@pytest.fixture
def knot(knot_server_factory: Callable[[str, list[str]], KnotServer]) -> KnotServer:
    return knot_server_factory(ORIGIN, ZONE)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A bound UDP port that never answers: queries to it can only time out."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.fixture
async def latency_dns() -> AsyncIterator[LatencyFactory]:
    """``await latency_dns(lines, latency=0.05, authoritative=True)``; all stopped at teardown."""
    servers: list[LatencyDNS] = []

    async def start(lines: list[str], **kw: Any) -> LatencyDNS:
        server = LatencyDNS(ORIGIN, lines, **kw)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()

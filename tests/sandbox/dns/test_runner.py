"""SandboxDns: start-up time, the resolver list, the TSIG key, and a clean stop."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.dns.discover import discover_zone
from sesdmarc_tui.dns.result import Server, ServerKind
from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.resolver import SimulatedResolver
from sesdmarc_tui.sandbox.dns.runner import SandboxDns, SandboxTsig
from tests.sandbox.dns._support import auth_lookup, resolver_lookup


def _listening_tcp_ports() -> set[int]:
    ports: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _ports(sandbox: SandboxDns) -> list[int]:
    return [sandbox.auth_address[1], *(port for _, _, port in sandbox.resolver_addresses)]


def _assert_released(ports: list[int]) -> None:
    assert not set(ports) & _listening_tcp_ports()
    for port in ports:  # both protocols can be bound again at once
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            # SO_REUSEADDR, as any server sets: a connection the sandbox closed itself
            # lingers in TIME_WAIT, which is not a listening socket.
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind(("127.0.0.1", port))
            tcp.listen()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", port))


def test_starts_fast_with_four_resolvers_that_all_answer(clock: DemoClock) -> None:
    started = time.perf_counter()
    sandbox = SandboxDns.start(clock)
    elapsed = time.perf_counter() - started
    try:
        assert elapsed < 1.0, f"start took {elapsed:.3f} s"  # ~10 ms measured; loose for CI
        labels = [label for label, _, _ in sandbox.resolver_addresses]
        assert labels == ["resolver-a", "resolver-b", "resolver-c", "resolver-d"]
        assert len(set(_ports(sandbox))) == 5
        assert all(host == "127.0.0.1" for _, host, _ in sandbox.resolver_addresses)
        for label in labels:
            answer = resolver_lookup(sandbox, label)("example.com", "MX")
            assert answer.values == ("10 mail.example.com.",)
    finally:
        sandbox.stop()


def test_stop_closes_every_socket_and_the_thread(clock: DemoClock) -> None:
    threads_before = threading.active_count()
    sandbox = SandboxDns.start(clock)
    ports = _ports(sandbox)
    assert set(ports) <= _listening_tcp_ports() or not Path("/proc/net/tcp").exists()
    # An open TCP connection must not keep the server alive.
    idle = socket.create_connection(sandbox.auth_address, timeout=2)
    started = time.perf_counter()
    sandbox.stop()
    assert time.perf_counter() - started < 1.0
    idle.close()
    _assert_released(ports)
    assert threading.active_count() == threads_before
    sandbox.stop()  # twice is harmless


def test_context_manager_stops_on_error(clock: DemoClock) -> None:
    with pytest.raises(RuntimeError), SandboxDns.start(clock) as sandbox:
        ports = _ports(sandbox)
        raise RuntimeError("boom")
    _assert_released(ports)


def test_a_failed_start_leaves_nothing_behind(
    clock: DemoClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads_before = threading.active_count()

    async def broken(self: SimulatedResolver) -> int:
        raise OSError("no port for you")

    monkeypatch.setattr(SimulatedResolver, "start", broken)
    with pytest.raises(OSError, match="no port for you"):
        SandboxDns.start(clock)
    assert threading.active_count() == threads_before


def test_the_tsig_key_is_fresh_random_and_never_shown() -> None:
    one, two = SandboxTsig.generate(), SandboxTsig.generate()
    assert one.secret != two.secret
    assert len(base64.b64decode(one.secret)) == 32
    assert one.secret not in repr(one)
    assert (one.name, one.algorithm) == ("sesdmarc-demo.", "hmac-sha256")


def test_records_set_from_other_threads_are_served(clock: DemoClock) -> None:
    with SandboxDns.start(clock) as sandbox:
        worker = threading.Thread(
            target=sandbox.set_rrset, args=("_dmarc.example.com", "TXT", 300, ["v=DMARC1; p=none"])
        )
        worker.start()
        worker.join()
        assert auth_lookup(sandbox)("_dmarc.example.com", "TXT").kind is AnswerKind.OK
        assert sandbox.delete_rrset("_dmarc.example.com", "TXT")
        assert auth_lookup(sandbox)("_dmarc.example.com", "TXT").kind is AnswerKind.NXDOMAIN


def test_extra_zones_and_a_custom_demo_domain(sandbox_factory: Callable[..., SandboxDns]) -> None:
    sandbox = sandbox_factory(
        domain="shop.example.net", regions=["us-east-1"], zones=["partner.example.org"]
    )
    assert sandbox.store.zones() == (
        "amazonses.com",
        "dkim.amazonses.com",
        "partner.example.org",
        "shop.example.net",
    )
    with pytest.raises(KeyError):
        sandbox.resolver("resolver-z")


async def test_the_products_zone_discovery_finds_the_sandbox_server(clock: DemoClock) -> None:
    """The board finds authoritative servers through the resolvers; the sandbox supplies the port."""
    import asyncio

    sandbox = await asyncio.to_thread(SandboxDns.start, clock)
    try:
        resolvers = [
            Server(host, port, ServerKind.RECURSIVE, label)
            for label, host, port in sandbox.resolver_addresses
        ]
        found = await discover_zone(
            "example.com", resolvers, port=sandbox.auth_address[1], timeout=2.0
        )
        assert found.ns_names == ("ns1.example.com.",)
        assert [(s.address, s.port) for s in found.servers] == [sandbox.auth_address]
    finally:
        await asyncio.to_thread(sandbox.stop)

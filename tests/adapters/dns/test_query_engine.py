"""Query engine behaviour that needs a scripted server: lame answers, SERVFAIL, spoofing, cache."""

from __future__ import annotations

import asyncio
from typing import Any

import dns.message
import dns.name
import dns.rcode
import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.dns.burst import Burst
from sesdmarc_tui.dns.query import QueryCache, QueryResult, Server, ServerKind, query
from tests.adapters.dns._support import LatencyFactory, auth, recursive
from tests.support.latency_dns import LatencyDNS

LINES = ['mail 300 IN TXT "v=spf1 include:amazonses.com ~all"']


async def test_authoritative_answer_without_aa_is_not_evidence(
    latency_dns: LatencyFactory,
) -> None:
    lame = await latency_dns(LINES, latency=0, authoritative=False)
    result = await query(auth(lame), "mail.example.test", "TXT", 1.0)
    assert result.kind is AnswerKind.ERROR
    assert result.error_kind == "not_authoritative"
    # The same answer from a resolver is an ordinary answer.
    ok = await query(recursive(lame), "mail.example.test", "TXT", 1.0)
    assert ok.values == ("v=spf1 include:amazonses.com ~all",)
    assert ok.aa is False


class _Failing(LatencyDNS):
    def _fill(self, response: dns.message.Message, qname: dns.name.Name, rdtype: int) -> None:
        response.set_rcode(dns.rcode.SERVFAIL)


async def test_servfail_is_an_error() -> None:
    server = _Failing("example.test.", LINES, latency=0)
    await server.start()
    try:
        async with Burst() as burst:
            for ask in (query, burst.query):
                result = await ask(auth(server), "mail.example.test", "TXT", 1.0)
                assert result.error_kind == "servfail"
                assert result.rcode == "SERVFAIL"
    finally:
        await server.stop()


class _Spoofer(asyncio.DatagramProtocol):
    """Answers every query twice: first for another question with the same ID, then truly."""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        request = dns.message.from_wire(data)
        forged = dns.message.make_query("evil.example.test.", "TXT")
        forged.id = request.id
        bogus = dns.message.make_response(forged)
        bogus.answer.append(dns.rrset.from_text("evil.example.test.", 60, "IN", "TXT", '"x"'))
        self.transport.sendto(bogus.to_wire(), addr)
        real = dns.message.make_response(request)
        real.flags |= dns.flags.AA
        real.answer.append(dns.rrset.from_text(request.question[0].name, 60, "IN", "TXT", '"ok"'))
        self.transport.sendto(real.to_wire(), addr)


async def test_burst_ignores_an_answer_to_another_question() -> None:
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(_Spoofer, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    try:
        async with Burst() as burst:
            server = Server("127.0.0.1", port, ServerKind.AUTHORITATIVE)
            result = await burst.query(server, "good.example.test", "TXT", 1.0)
        assert result.values == ("ok",)
    finally:
        transport.close()


def test_server_address_is_checked_and_canonical() -> None:
    assert Server("0:0::1").address == "::1"
    assert Server("::1", 5300).endpoint == "[::1]:5300"
    with pytest.raises(ValueError):
        Server("ns1.example.com")
    with pytest.raises(ValueError):
        Server("192.0.2.1", 0)


def _result(kind: AnswerKind, **kw: Any) -> QueryResult:
    return QueryResult(Server("127.0.0.1"), "a.example.test.", "TXT", kind, **kw)


def test_cache_keeps_answers_for_their_ttl() -> None:
    now = [1000.0]
    cache = QueryCache(clock=lambda: now[0])
    cache.put(_result(AnswerKind.OK, values=("x",), ttl=300))
    cache.put(_result(AnswerKind.ERROR, error="timeout"))
    hit = cache.get(Server("127.0.0.1"), "A.example.test", "txt")
    assert hit is not None and hit.from_cache and hit.values == ("x",)
    now[0] += 301
    assert cache.get(Server("127.0.0.1"), "a.example.test.", "TXT") is None
    assert len(cache) == 0


def test_cache_keeps_absence_for_the_negative_ttl_and_never_errors() -> None:
    now = [0.0]
    cache = QueryCache(clock=lambda: now[0], max_entries=2)
    cache.put(_result(AnswerKind.NXDOMAIN, negative_ttl=60))
    assert cache.get(Server("127.0.0.1"), "a.example.test", "TXT") is not None
    now[0] = 61
    assert cache.get(Server("127.0.0.1"), "a.example.test", "TXT") is None
    cache.put(_result(AnswerKind.ERROR, error="SERVFAIL"))
    assert len(cache) == 0


async def test_query_uses_a_cache_only_when_given(latency_dns: LatencyFactory) -> None:
    server = await latency_dns(LINES, latency=0)
    for _ in range(2):
        await query(auth(server), "mail.example.test", "TXT", 1.0)
    assert server.queries == 2
    cache = QueryCache()
    first = await query(auth(server), "mail.example.test", "TXT", 1.0, cache=cache)
    second = await query(auth(server), "mail.example.test", "TXT", 1.0, cache=cache)
    assert server.queries == 3
    assert not first.from_cache and second.from_cache


async def test_burst_send_error_fails_its_query_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from sesdmarc_tui.dns import burst as burst_module

    def unreachable(self: Any, wire: bytes, address: tuple[str, int]) -> None:
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(burst_module._Socket, "send", unreachable)
    async with Burst() as burst:
        result = await burst.query(Server("::1", 5300), "example.test", "TXT", 5.0)
    assert result.error_kind == "network"
    assert result.error == "network error: Network is unreachable"
    assert result.elapsed < 1.0

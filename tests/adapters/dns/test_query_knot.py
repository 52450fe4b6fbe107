"""The async query engine against a real authoritative server (knotd on loopback).

Both transports run every case: ``query`` (a socket per question, dnspython's asyncquery) and
``Burst`` (one socket for a round) must give the same results for the same answers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import dns.asyncquery
import dns.flags
import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.dns.burst import Burst
from sesdmarc_tui.dns.query import QueryResult, Server, ServerKind, query
from tests.adapters.dns._support import BIG, LONG, auth, recursive
from tests.support.knot import KnotServer

pytestmark = pytest.mark.realdns

Ask = Callable[[Server, str, str, float], Awaitable[QueryResult]]


@pytest.fixture(params=["query", "burst"])
async def ask(request: pytest.FixtureRequest) -> AsyncIterator[Ask]:
    if request.param == "query":
        yield query
        return
    async with Burst() as burst:
        yield burst.query


async def test_cname_answer_is_recorded_with_aa(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "tok1._domainkey.example.test", "CNAME", 2.0)
    assert result.kind is AnswerKind.OK
    assert result.values == ("tok1.dkim.amazonses.com.",)
    assert result.aa is True
    assert result.ttl == 1800
    assert result.transport == "udp"
    assert result.name == "tok1._domainkey.example.test."


async def test_mx_values_are_normalised(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "MAIL2.Example.Test.", "mx", 2.0)
    assert result.values == (
        "10 feedback-smtp.us-east-1.amazonses.com.",
        "20 mx.other.test.",
    )


async def test_long_txt_strings_are_joined(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "byo._domainkey.example.test", "TXT", 2.0)
    assert result.values == (LONG,)


async def test_nxdomain_carries_negative_ttl(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "nope.example.test", "TXT", 2.0)
    assert result.kind is AnswerKind.NXDOMAIN
    assert result.negative_ttl == 300  # min(SOA TTL 3600, MINIMUM 300)
    assert result.is_missing and not result.name_exists


async def test_nodata_carries_negative_ttl(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "host.example.test", "TXT", 2.0)
    assert result.kind is AnswerKind.NODATA
    assert result.negative_ttl == 300
    assert result.name_exists


async def test_refused_outside_the_zone_is_an_error(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "example.org", "TXT", 2.0)
    assert result.kind is AnswerKind.ERROR
    assert result.error_kind == "refused"
    assert result.rcode == "REFUSED"
    assert "does not serve this zone" in (result.error or "")


async def test_silent_server_times_out(silent_port: int, ask: Ask) -> None:
    server = Server("127.0.0.1", silent_port, ServerKind.AUTHORITATIVE)
    result = await ask(server, "example.test", "TXT", 0.2)
    assert result.kind is AnswerKind.ERROR
    assert result.error_kind == "timeout"
    assert 0.15 < result.elapsed < 1.0


async def test_truncated_answer_is_retried_over_tcp(knot: KnotServer, ask: Ask) -> None:
    result = await ask(auth(knot), "big.example.test", "TXT", 2.0)
    assert result.transport == "tcp"
    assert result.values == tuple(sorted(BIG))


async def test_rd_flag_follows_server_kind(
    knot: KnotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []
    real = dns.asyncquery.udp

    async def spy(q: Any, *args: Any, **kw: Any) -> Any:
        sent.append(q.flags)
        return await real(q, *args, **kw)

    monkeypatch.setattr(dns.asyncquery, "udp", spy)
    await query(auth(knot), "mail.example.test", "MX", 2.0)
    await query(recursive(knot), "mail.example.test", "MX", 2.0)
    assert not sent[0] & dns.flags.RD
    assert sent[1] & dns.flags.RD


async def test_in_zone_cname_is_chased_and_recorded(
    knot_server_factory: Callable[[str, list[str]], KnotServer], ask: Ask
) -> None:
    server = knot_server_factory(
        "example.test.",
        ["alias 300 IN CNAME real.example.test.", 'real 300 IN TXT "hello"'],
    )
    result = await ask(auth(server), "alias.example.test", "TXT", 2.0)
    assert result.values == ("hello",)
    assert result.cname_chain == ("real.example.test.",)

"""Simulated recursive resolvers: TTL caching and RFC 2308 negative caching on the demo clock."""

from __future__ import annotations

import time

import dns.flags
import dns.rcode
import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.resolver import SimulatedResolver
from sesdmarc_tui.sandbox.dns.runner import SandboxDns
from sesdmarc_tui.sandbox.dns.zones import ZoneStore
from tests.sandbox.dns._support import ask, auth_lookup, resolver_lookup

DMARC = "_dmarc.example.test"


def test_negative_cache_effect_missing_until_the_negative_ttl_passes(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    """Acceptance (issue 4): asked before publishing, a resolver reports missing until
    min(SOA TTL, SOA MINIMUM) = 300 s of demo time have passed, then the new value."""
    resolver = resolver_lookup(sandbox)
    before = resolver(DMARC, "TXT")
    assert (before.kind, before.negative_ttl) == (AnswerKind.NXDOMAIN, 300)

    store.set_rrset(DMARC, "TXT", 300, ["v=DMARC1; p=none"])
    assert auth_lookup(sandbox)(DMARC, "TXT").values == ("v=DMARC1; p=none",)  # published

    clock.advance(200)
    still = resolver(DMARC, "TXT")
    assert (still.kind, still.negative_ttl) == (AnswerKind.NXDOMAIN, 100)  # counting down

    clock.advance(99)
    assert resolver(DMARC, "TXT").kind is AnswerKind.NXDOMAIN  # 1 s left

    clock.advance(1)
    after = resolver(DMARC, "TXT")
    assert (after.kind, after.values) == (AnswerKind.OK, ("v=DMARC1; p=none",))


def test_nodata_is_cached_negatively_too(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    store.set_rrset("mail.example.test", "TXT", 300, ["v=spf1 include:amazonses.com ~all"])
    resolver = resolver_lookup(sandbox)
    assert resolver("mail.example.test", "MX").kind is AnswerKind.NODATA
    store.set_rrset("mail.example.test", "MX", 300, ["10 feedback-smtp.us-east-1.amazonses.com."])
    assert resolver("mail.example.test", "MX").kind is AnswerKind.NODATA
    clock.advance(300)
    assert resolver("mail.example.test", "MX").values == (
        "10 feedback-smtp.us-east-1.amazonses.com.",
    )


def test_nxdomain_hides_every_type_at_the_name(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    resolver = resolver_lookup(sandbox)
    assert resolver("bounce.example.test", "TXT").kind is AnswerKind.NXDOMAIN
    store.set_rrset("bounce.example.test", "MX", 300, ["10 feedback-smtp.us-east-1.amazonses.com."])
    clock.advance(10)
    never_asked = resolver("bounce.example.test", "MX")  # the name was cached as gone
    assert (never_asked.kind, never_asked.negative_ttl) == (AnswerKind.NXDOMAIN, 290)
    clock.advance(290)
    assert resolver("bounce.example.test", "MX").kind is AnswerKind.OK


def test_a_resolver_never_asked_sees_the_record_at_once(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    resolver_lookup(sandbox, "resolver-a")(DMARC, "TXT")
    store.set_rrset(DMARC, "TXT", 300, ["v=DMARC1; p=none"])
    assert resolver_lookup(sandbox, "resolver-b")(DMARC, "TXT").kind is AnswerKind.OK
    assert resolver_lookup(sandbox, "resolver-a")(DMARC, "TXT").kind is AnswerKind.NXDOMAIN


def test_positive_answers_are_cached_and_their_ttl_counts_down(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    store.set_rrset("a.example.test", "A", 120, ["192.0.2.1"])
    resolver = resolver_lookup(sandbox)
    first = resolver("a.example.test", "A")
    assert (first.values, first.ttl) == (("192.0.2.1",), 120)
    upstream = sandbox.resolver("resolver-a").upstream_queries

    store.set_rrset("a.example.test", "A", 120, ["192.0.2.99"])
    clock.advance(45)
    cached = resolver("a.example.test", "A")
    assert (cached.values, cached.ttl) == (("192.0.2.1",), 75)  # old value, 75 s left
    assert sandbox.resolver("resolver-a").upstream_queries == upstream  # from the cache

    clock.advance(75)
    fresh = resolver("a.example.test", "A")
    assert (fresh.values, fresh.ttl) == (("192.0.2.99",), 120)


def test_resolver_answers_recursively_without_aa(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
    response = ask(sandbox.resolver("resolver-a").address, "a.example.test.", "A", rd=True)
    assert response.flags & dns.flags.RA
    assert not response.flags & dns.flags.AA


def test_a_cname_chain_is_cached_for_its_shortest_ttl(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    store.add_zone("keys.example.net")
    store.set_rrset("k._domainkey.example.test", "CNAME", 60, ["k.keys.example.net."])
    store.set_rrset("k.keys.example.net", "TXT", 1800, ["p=KEY1"])
    resolver = resolver_lookup(sandbox)
    first = resolver("k._domainkey.example.test", "TXT")
    assert (first.values, first.cname_chain) == (("p=KEY1",), ("k.keys.example.net.",))
    store.set_rrset("k.keys.example.net", "TXT", 1800, ["p=KEY2"])
    clock.advance(60)
    assert resolver("k._domainkey.example.test", "TXT").values == ("p=KEY2",)


def test_a_cname_out_of_the_served_world_ends_in_nxdomain(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    store.set_rrset("away.example.test", "CNAME", 300, ["target.example.org."])
    assert resolver_lookup(sandbox)("away.example.test", "TXT").kind is AnswerKind.NXDOMAIN
    response = ask(sandbox.resolver("resolver-a").address, "away.example.test.", "TXT", rd=True)
    assert response.rcode() == dns.rcode.NXDOMAIN  # RFC 6604: the rcode of the chain's end
    assert [str(r[0].target) for r in response.answer] == ["target.example.org."]


def test_names_outside_every_zone_do_not_exist(sandbox: SandboxDns) -> None:
    answer = resolver_lookup(sandbox)("_dmarc.com", "TXT")
    assert answer.kind is AnswerKind.NXDOMAIN
    assert answer.negative_ttl == 3 * 3600  # the root's SOA, capped as BIND's max-ncache-ttl


def test_a_lagging_resolver_keeps_answers_past_their_ttl(
    sandbox: SandboxDns, store: ZoneStore, clock: DemoClock
) -> None:
    resolver = resolver_lookup(sandbox, "resolver-b")  # lag_seconds=600
    assert resolver(DMARC, "TXT").kind is AnswerKind.NXDOMAIN
    store.set_rrset(DMARC, "TXT", 300, ["v=DMARC1; p=none"])
    clock.advance(300)
    stale = resolver(DMARC, "TXT")
    assert (stale.kind, stale.negative_ttl) == (AnswerKind.NXDOMAIN, 0)
    assert resolver_lookup(sandbox, "resolver-a")(DMARC, "TXT").kind is AnswerKind.OK
    clock.advance(600)
    assert resolver(DMARC, "TXT").kind is AnswerKind.OK


def test_flush_forgets_the_cache(sandbox: SandboxDns, store: ZoneStore) -> None:
    resolver = resolver_lookup(sandbox)
    assert resolver(DMARC, "TXT").kind is AnswerKind.NXDOMAIN
    store.set_rrset(DMARC, "TXT", 300, ["v=DMARC1; p=none"])
    sandbox.flush_resolvers()
    assert resolver(DMARC, "TXT").kind is AnswerKind.OK


def test_demo_time_runs_faster_than_real_time(store: ZoneStore) -> None:
    fast = DemoClock(speed=3000.0)  # 300 demo seconds in 0.1 s
    with SandboxDns.start(fast, store=store) as sandbox:
        resolver = resolver_lookup(sandbox)
        assert resolver(DMARC, "TXT").kind is AnswerKind.NXDOMAIN
        store.set_rrset(DMARC, "TXT", 300, ["v=DMARC1; p=none"])
        deadline = time.monotonic() + 2.0
        while resolver(DMARC, "TXT").kind is not AnswerKind.OK:
            assert time.monotonic() < deadline, "the negative TTL never ran out"
            time.sleep(0.02)


async def test_upstream_down_gives_servfail_that_is_not_cached(clock: DemoClock) -> None:
    from tests.support.knot import free_port

    resolver = SimulatedResolver("lonely", ("127.0.0.1", free_port()), clock, timeout=0.2)
    await resolver.start()
    try:
        import dns.asyncquery
        import dns.message

        query = dns.message.make_query("example.test.", "SOA")
        host, port = resolver.address
        response = await dns.asyncquery.udp(query, host, port=port, timeout=2)
        assert response.rcode() == dns.rcode.SERVFAIL
        assert len(resolver.cache) == 0
    finally:
        await resolver.stop()


@pytest.mark.parametrize("latency", [0.15])
async def test_latency_delays_each_reply(
    clock: DemoClock, store: ZoneStore, latency: float
) -> None:
    import dns.asyncquery
    import dns.message

    from sesdmarc_tui.sandbox.dns.auth_server import AuthServer

    auth = AuthServer(store)
    await auth.start()
    resolver = SimulatedResolver("slow", auth.address, clock, latency=latency)
    await resolver.start()
    try:
        host, port = resolver.address
        start = time.monotonic()
        query = dns.message.make_query("example.test.", "SOA")
        response = await dns.asyncquery.udp(query, host, port=port, timeout=2)
        assert response.rcode() == dns.rcode.NOERROR
        assert time.monotonic() - start >= latency
    finally:
        await resolver.stop()
        await auth.stop()

"""A simulated recursive resolver: its own loopback port, a cache on the demo clock.

It answers every query by asking the sandbox's authoritative server (RD=0) and caches the result
by TTL, and negative results by min(SOA TTL, SOA MINIMUM) (RFC 2308). So a name looked up
before it was published stays missing here until that negative TTL has passed on the demo
clock, which is the effect the propagation board must show. A CNAME chain that leaves the
served zones is followed with further questions, as a recursive resolver does.

The sandbox is the whole internet: a name outside every served zone (the auth server answers
REFUSED) does not exist, so it gets NXDOMAIN under a root-style SOA rather than SERVFAIL; a DMARC
tree walk up to ``_dmarc.com`` then ends as it would on the internet. Queries with RD=0 are
answered like recursive ones: nothing in the product asks a resolver without recursion.
"""

from __future__ import annotations

import asyncio

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.resolver_cache import MAX_NEGATIVE_TTL, CachedAnswer, ResolverCache
from sesdmarc_tui.sandbox.dns.transport import DnsEndpoint

MAX_CNAME_STEPS = 8
UPSTREAM_PAYLOAD = 1232
# The root's SOA as a resolver hands it out from its cache: TTL capped by max-ncache-ttl.
ROOT_SOA = dns.rrset.from_text(
    ".",
    MAX_NEGATIVE_TTL,
    "IN",
    "SOA",
    "a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400",
)
SERVFAIL = CachedAnswer(dns.rcode.SERVFAIL, (), ())


def dangling_target(
    qname: dns.name.Name, rdtype: int, rrsets: list[dns.rrset.RRset]
) -> dns.name.Name | None:
    """Where a CNAME chain in ``rrsets`` stops without data (the next name to ask), if it does."""
    if rdtype in (dns.rdatatype.CNAME, dns.rdatatype.ANY):
        return None
    current = qname
    for _ in range(len(rrsets) + 1):
        if any(r.name == current and r.rdtype == rdtype for r in rrsets):
            return None
        cname = next(
            (r for r in rrsets if r.name == current and r.rdtype == dns.rdatatype.CNAME), None
        )
        if cname is None:
            return current if current != qname else None
        current = cname[0].target
    return None  # a CNAME loop inside one answer: nothing sensible to chase


class SimulatedResolver:
    """``port = await SimulatedResolver("resolver-a", (host, port), clock).start()``.

    ``lag_seconds`` (demo seconds) keeps every answer that much longer than its TTL, for a
    resolver that lags behind the others; ``latency`` (real seconds) delays every reply.
    """

    def __init__(
        self,
        name: str,
        upstream: tuple[str, int],
        clock: DemoClock,
        *,
        lag_seconds: float = 0.0,
        latency: float = 0.0,
        timeout: float = 2.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.name = name
        self.upstream = upstream
        self.clock = clock
        self.latency = latency
        self.timeout = timeout
        self.cache = ResolverCache(clock, extra_seconds=lag_seconds)
        self.upstream_queries = 0
        self._endpoint = DnsEndpoint(self.handle, host)

    @property
    def address(self) -> tuple[str, int]:
        return self._endpoint.host, self._endpoint.port

    async def start(self) -> int:
        return await self._endpoint.start()

    async def stop(self) -> None:
        await self._endpoint.stop()

    def flush(self) -> None:
        """Forget every cached answer (any thread)."""
        self.cache.flush()

    async def handle(self, wire: bytes) -> dns.message.Message | None:
        try:
            request = dns.message.from_wire(wire)
        except (dns.exception.DNSException, ValueError):
            return None
        if request.flags & dns.flags.QR:
            return None
        response = dns.message.make_response(request, recursion_available=True)
        if request.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
            return response
        if len(request.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = request.question[0]
        if question.rdclass != dns.rdataclass.IN or question.rdtype in (
            dns.rdatatype.AXFR,
            dns.rdatatype.IXFR,
        ):
            response.set_rcode(dns.rcode.REFUSED)
            return response
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        result = await self.resolve(question.name, question.rdtype)
        response.set_rcode(result.rcode)
        response.answer.extend(result.answer)
        response.authority.extend(result.authority)
        return response

    async def resolve(self, qname: dns.name.Name, rdtype: int) -> CachedAnswer:
        cached = self.cache.get(qname, rdtype)
        if cached is not None:
            return cached
        result = await self._recurse(qname, rdtype)
        if result.rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            self.cache.put(qname, rdtype, result)
        return result

    async def _recurse(self, qname: dns.name.Name, rdtype: int) -> CachedAnswer:
        answer: list[dns.rrset.RRset] = []
        name = qname
        for _ in range(MAX_CNAME_STEPS):
            response = await self._ask(name, rdtype)
            if response is None:
                return SERVFAIL
            rcode = response.rcode()
            if rcode == dns.rcode.REFUSED:
                return CachedAnswer(dns.rcode.NXDOMAIN, tuple(answer), (ROOT_SOA,))
            if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                return SERVFAIL
            answer.extend(response.answer)
            soa = tuple(r for r in response.authority if r.rdtype == dns.rdatatype.SOA)
            target = dangling_target(name, rdtype, response.answer)
            if target is None or soa or rcode == dns.rcode.NXDOMAIN:
                return CachedAnswer(rcode, tuple(answer), soa)
            name = target
        return SERVFAIL

    async def _ask(self, name: dns.name.Name, rdtype: int) -> dns.message.Message | None:
        query = dns.message.make_query(
            name, dns.rdatatype.RdataType.make(rdtype), use_edns=0, payload=UPSTREAM_PAYLOAD
        )
        query.flags &= ~dns.flags.RD  # ask the server for its own data, as recursion does
        host, port = self.upstream
        self.upstream_queries += 1
        try:
            response, _ = await dns.asyncquery.udp_with_fallback(
                query, host, timeout=self.timeout, port=port
            )
        except (dns.exception.DNSException, OSError):
            return None  # the caller answers SERVFAIL, which real resolvers do not cache long
        return response

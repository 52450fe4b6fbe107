"""Requests and responses on the wire, turned into ``QueryResult`` the same way for every transport.

What an answer means: SERVFAIL, REFUSED and other error codes are errors (the server said
nothing about the record); an authoritative server answering without the AA flag does not hold
the zone, so its silence is no evidence either; NXDOMAIN and NODATA carry the RFC 2308 negative
TTL from the SOA in the authority section.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.dns.result import ErrorKind, QueryResult, Server, Transport
from sesdmarc_tui.dns.values import negative_ttl, value_text

if TYPE_CHECKING:
    import dns.message

# DNS Flag Day 2020: 1232 octets avoids IP fragmentation and still fits a 2048-bit DKIM key.
EDNS_PAYLOAD = 1232


def make_request(server: Server, qname: str, rdtype: str) -> dns.message.QueryMessage:
    import dns.flags
    import dns.message

    request = dns.message.make_query(qname, rdtype, use_edns=0, payload=EDNS_PAYLOAD)
    if server.authoritative:
        # RD=0: an authoritative server must answer from its own zone data, never recurse.
        request.flags &= ~dns.flags.RD
    return request


def started(server: Server, qname: str, rdtype: str) -> tuple[QueryResult, float]:
    """The result skeleton (an error until an answer arrives) and the monotonic start time."""
    return QueryResult(server, qname, rdtype, AnswerKind.ERROR, queried_at=time.time()), (
        time.monotonic()
    )


def failed(
    base: QueryResult, start: float, transport: Transport, kind: ErrorKind, detail: str
) -> QueryResult:
    elapsed = time.monotonic() - start
    return replace(base, error=detail, error_kind=kind, transport=transport, elapsed=elapsed)


def from_exception(
    base: QueryResult, start: float, transport: Transport, exc: Exception, timeout: float
) -> QueryResult:
    """Map a transport failure; re-raise anything that is not a network or DNS problem."""
    import dns.exception

    # Only a truncated UDP answer sends a query over TCP: say so, or "connection refused" on a
    # server that answered a moment ago over UDP reads like a contradiction.
    retry = "the UDP answer was truncated and the TCP retry failed: " if transport == "tcp" else ""
    if isinstance(exc, dns.exception.Timeout | TimeoutError):
        return failed(base, start, transport, "timeout", f"{retry}no answer within {timeout:g} s")
    if isinstance(exc, OSError):
        return failed(base, start, transport, "network", f"{retry}network error: {_os_error(exc)}")
    if isinstance(exc, dns.exception.DNSException):
        detail = str(exc) or type(exc).__name__
        return failed(base, start, transport, "bad", f"{retry}unusable response: {detail}")
    raise exc


def _os_error(exc: OSError) -> str:
    """The system's words for the error: asyncio's own text adds the address, shown elsewhere."""
    if exc.errno is not None:
        return os.strerror(exc.errno)
    return exc.strerror or str(exc) or type(exc).__name__


def interpret(
    base: QueryResult,
    response: dns.message.Message,
    start: float,
    transport: Transport,
) -> QueryResult:
    import dns.exception
    import dns.flags
    import dns.message
    import dns.rcode

    rcode = response.rcode()
    aa = bool(response.flags & dns.flags.AA)
    base = replace(
        base,
        rcode=dns.rcode.to_text(rcode),
        aa=aa,
        transport=transport,
        elapsed=time.monotonic() - start,
    )
    if rcode == dns.rcode.SERVFAIL:
        return replace(base, error="the server failed (SERVFAIL)", error_kind="servfail")
    if rcode == dns.rcode.REFUSED:
        detail = "the server refused the query (REFUSED)"
        if base.server.authoritative:
            detail += ": it does not serve this zone"
        return replace(base, error=detail, error_kind="refused")
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        return replace(base, error=f"error answer {base.rcode}", error_kind="rcode")
    if base.server.authoritative and not aa:
        # A referral or a cached answer: the server does not hold the zone (lame delegation).
        return replace(
            base,
            error="answer without the AA flag: this server is not authoritative for the name",
            error_kind="not_authoritative",
        )
    if not isinstance(response, dns.message.QueryMessage):
        return replace(base, error="not a query response", error_kind="bad")
    try:
        chain = response.resolve_chaining()
    except dns.exception.DNSException as exc:
        return replace(base, error=f"unusable answer: {exc}", error_kind="bad")
    cnames = tuple(value_text(rrset[0], "CNAME") for rrset in chain.cnames)
    if rcode == dns.rcode.NXDOMAIN:
        kind = AnswerKind.NXDOMAIN
    elif chain.answer is None:
        kind = AnswerKind.NODATA
    else:
        values = tuple(sorted(value_text(rdata, base.rdtype) for rdata in chain.answer))
        return replace(
            base, kind=AnswerKind.OK, values=values, ttl=int(chain.answer.ttl), cname_chain=cnames
        )
    return replace(base, kind=kind, negative_ttl=negative_ttl(response), cname_chain=cnames)

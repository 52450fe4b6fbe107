"""The async query engine: one question to one server, answered as a ``QueryResult``.

Every query names one server: authoritative servers are asked with RD=0 (what is *published*),
recursive resolvers with RD=1 (what receivers *see*). Names are always absolute, so no search list
can turn ``_dmarc.example.com`` into another domain's record (happyDomain/happydeliver #15).
Nothing is cached unless the caller passes a ``QueryCache``: a propagation board that cached its
own answers would report yesterday's DNS.

``query`` opens a socket per question (dnspython's ``asyncquery``); a board round goes through
``burst.Burst``, which shares one socket across the round and yields identical results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.dns.cache import QueryCache, cached
from sesdmarc_tui.dns.response import (
    EDNS_PAYLOAD,
    from_exception,
    interpret,
    make_request,
    started,
)
from sesdmarc_tui.dns.result import (
    DEFAULT_QUERY_TIMEOUT,
    ErrorKind,
    QueryFn,
    QueryResult,
    Server,
    ServerKind,
    Transport,
)

if TYPE_CHECKING:
    import dns.message

__all__ = [
    "DEFAULT_QUERY_TIMEOUT",
    "EDNS_PAYLOAD",
    "ErrorKind",
    "QueryCache",
    "QueryFn",
    "QueryResult",
    "Server",
    "ServerKind",
    "Transport",
    "query",
]


async def query(
    server: Server,
    name: str,
    rdtype: str,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    *,
    cache: QueryCache | None = None,
) -> QueryResult:
    """Ask ``server`` once (UDP, then TCP if the answer is truncated); never raises on DNS trouble.

    ``timeout`` bounds the whole exchange, TCP retry included.
    """
    qname = absolute(name).lower()
    rdtype = rdtype.upper()

    async def ask() -> QueryResult:
        return await _ask(server, qname, rdtype, timeout)

    return await cached(cache, ask, server, qname, rdtype)


async def _ask(server: Server, qname: str, rdtype: str, timeout: float) -> QueryResult:
    import dns.asyncquery
    import dns.message

    base, start = started(server, qname, rdtype)
    request = make_request(server, qname, rdtype)
    transport: Transport = "udp"
    try:
        try:
            response = await dns.asyncquery.udp(
                request,
                server.address,
                timeout=timeout,
                port=server.port,
                ignore_unexpected=True,
                raise_on_truncation=True,
            )
        except dns.message.Truncated:
            transport = "tcp"
            response = await tcp_exchange(request, server, timeout, start)
    except Exception as exc:
        return from_exception(base, start, transport, exc, timeout)
    return interpret(base, response, start, transport)


async def tcp_exchange(
    request: dns.message.Message, server: Server, timeout: float, start: float
) -> dns.message.Message:
    """The TCP retry after a truncated UDP answer, within what is left of ``timeout``."""
    import time

    import dns.asyncquery

    remaining = max(timeout - (time.monotonic() - start), 0.001)
    return await dns.asyncquery.tcp(request, server.address, timeout=remaining, port=server.port)

"""The DNS burst of a check: server discovery, then one propagation round plus DMARC probes.

The expected DKIM and MAIL FROM records go through the propagation board, which asks every
authoritative server and resolver at once and recognises the publishing mistakes (doubled zone,
proxied CNAME, TXT at a CNAME name, extra MX, two SPF records). The ``_dmarc`` name is asked
of each authoritative server for TXT and for CNAME in the same burst: a TXT on one server and a
CNAME on another (or both at one provider) is invisible through a single resolver.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.board import PropagationBoard
from sesdmarc_tui.dns.query import DEFAULT_QUERY_TIMEOUT, QueryResult, Server, query
from sesdmarc_tui.dns.round import BoardRound, RecordRow
from sesdmarc_tui.troubleshoot.servers import ServerPick, pick_servers


@dataclass(frozen=True)
class DnsView:
    servers: ServerPick
    board: BoardRound | None
    dmarc_answers: tuple[QueryResult, ...] = ()

    def row(self, record: DnsRecord) -> RecordRow | None:
        if self.board is None:
            return None
        return next((r for r in self.board.rows if r.record == record), None)


def run_dns(
    zone: str,
    domain: str,
    expected: Sequence[DnsRecord],
    nameservers: Sequence[tuple[str, int]],
    *,
    resolvers: Sequence[Server] | None = None,
    authoritative: Sequence[Server] | None = None,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
) -> DnsView:
    """Blocking: runs its own event loop (callers run checks in a worker thread).

    ``timeout`` bounds each query of the round and of the DMARC probes."""
    return asyncio.run(
        _gather(
            zone,
            domain,
            expected,
            nameservers,
            resolvers=resolvers,
            authoritative=authoritative,
            timeout=timeout,
        ),
    )


async def _gather(
    zone: str,
    domain: str,
    expected: Sequence[DnsRecord],
    nameservers: Sequence[tuple[str, int]],
    *,
    resolvers: Sequence[Server] | None,
    authoritative: Sequence[Server] | None,
    timeout: float,
) -> DnsView:
    pick = await pick_servers(zone, nameservers, resolvers=resolvers, authoritative=authoritative)
    probe_servers = pick.authoritative or pick.resolvers
    name = f"_dmarc.{domain}"
    probes = [query(s, name, t, timeout) for s in probe_servers for t in ("TXT", "CNAME")]
    if not expected:
        return DnsView(pick, None, tuple(await asyncio.gather(*probes)))
    board = PropagationBoard(zone, timeout=timeout)
    round_, answers = await asyncio.gather(
        board.run_round(expected, pick.authoritative, pick.resolvers), asyncio.gather(*probes)
    )
    return DnsView(pick, round_, tuple(answers))

"""The propagation board: every expected record on every server, in one concurrent burst.

A round gathers all of its queries at once (DESIGN: "a propagation round is one concurrent burst,
not a loop of queries"), so it lasts about one round trip to the slowest server however many
records and servers there are. The mistake probes (doubled zone name, A and TXT at a CNAME name)
ride in the same burst and go to the authoritative servers, where publishing mistakes show first.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from sesdmarc_tui.core.names import absolute, doubled_name, is_subdomain
from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.burst import Burst
from sesdmarc_tui.dns.classify import Cell, CellStatus, classify, skipped_cell
from sesdmarc_tui.dns.discover import Discovery, DiscoveryError, discover_authoritative
from sesdmarc_tui.dns.mistakes import (
    Hint,
    answer_hints,
    cname_probe_hints,
    doubled_zone_hint,
    merge_hints,
    not_published_hint,
    probe_cell,
)
from sesdmarc_tui.dns.query import (
    DEFAULT_QUERY_TIMEOUT,
    QueryCache,
    QueryFn,
    QueryResult,
    Server,
    ServerKind,
)
from sesdmarc_tui.dns.round import BoardRound, RecordRow, RecordState, record_state

__all__ = [
    "DEFAULT_RESOLVERS",
    "BoardRound",
    "Discovery",
    "DiscoveryError",
    "PropagationBoard",
    "discover_authoritative",
]

_R = ServerKind.RECURSIVE
DEFAULT_RESOLVERS: tuple[Server, ...] = (
    Server("8.8.8.8", 53, _R, "Google"),
    Server("1.1.1.1", 53, _R, "Cloudflare"),
    Server("9.9.9.9", 53, _R, "Quad9"),
    Server("208.67.222.222", 53, _R, "OpenDNS"),
)

_Key = tuple[Server, str, str]


class PropagationBoard:
    """Runs rounds for one zone; keeps only what ``defer_resolvers`` needs between rounds.

    ``probes`` adds the mistake queries. ``defer_resolvers`` asks resolvers about a record only
    once a previous round found it published: a resolver asked too early caches the absence for
    the zone's negative TTL (RFC 2308), which would delay what the operator is waiting to see.
    """

    def __init__(
        self,
        zone: str,
        *,
        timeout: float = DEFAULT_QUERY_TIMEOUT,
        probes: bool = True,
        defer_resolvers: bool = False,
        query_fn: QueryFn | None = None,
        cache: QueryCache | None = None,
    ) -> None:
        self.zone = absolute(zone).lower().rstrip(".")
        self.timeout = timeout
        self.probes = probes
        self.defer_resolvers = defer_resolvers
        self._query_fn = query_fn
        self._cache = cache
        self._published: set[DnsRecord] = set()

    async def run_round(
        self,
        expected: Sequence[DnsRecord],
        authoritative: Sequence[Server],
        resolvers: Sequence[Server],
    ) -> BoardRound:
        """Query every record on every server at once and classify the answers."""
        started_at, start = time.time(), time.monotonic()
        plan: dict[_Key, None] = {}
        for record in expected:
            for server in self._servers_for(record, authoritative, resolvers):
                plan[_key(server, record.name, record.rtype)] = None
            for key in self._probe_keys(record, authoritative or resolvers):
                plan[key] = None
        keys = list(plan)
        async with Burst(cache=self._cache) as burst:
            ask: QueryFn = self._query_fn or burst.query
            answers = await asyncio.gather(*(ask(s, n, t, self.timeout) for s, n, t in keys))
        results = dict(zip(keys, answers, strict=True))
        rows = tuple(self._row(r, authoritative, resolvers, results) for r in expected)
        self._published = {row.record for row in rows if row.published}
        return BoardRound(
            zone=self.zone,
            rows=rows,
            authoritative=tuple(authoritative),
            resolvers=tuple(resolvers),
            started_at=started_at,
            elapsed=time.monotonic() - start,
            queries=len(keys),
        )

    def _servers_for(
        self, record: DnsRecord, authoritative: Sequence[Server], resolvers: Sequence[Server]
    ) -> list[Server]:
        if self.defer_resolvers and record not in self._published:
            return list(authoritative)
        return [*authoritative, *resolvers]

    def _probe_keys(self, record: DnsRecord, servers: Sequence[Server]) -> list[_Key]:
        if not self.probes:
            return []
        keys: list[_Key] = []
        for server in servers:
            if is_subdomain(record.name, self.zone):
                keys.append(_key(server, doubled_name(record.name, self.zone), record.rtype))
            if record.rtype == "CNAME":
                keys.append(_key(server, record.name, "A"))
                keys.append(_key(server, record.name, "TXT"))
        return keys

    def _row(
        self,
        record: DnsRecord,
        authoritative: Sequence[Server],
        resolvers: Sequence[Server],
        results: dict[_Key, QueryResult],
    ) -> RecordRow:
        cells: list[Cell] = []
        hints: list[Hint] = []
        for server in [*authoritative, *resolvers]:
            result = results.get(_key(server, record.name, record.rtype))
            if result is None:
                why = "not asked yet: the authoritative servers do not all publish it"
                cells.append(skipped_cell(server, why))
                continue
            cell = classify(result, record)
            hints.extend(answer_hints(record, result))
            probe_hints = self._probe_hints(record, server, results)
            hints.extend(probe_hints)
            cells.append(probe_cell(cell, probe_hints))
        state = record_state(cells)
        if state is RecordState.MISSING and not hints:
            hints.append(not_published_hint(record, (s.name for s in authoritative)))
        return RecordRow(record, tuple(cells), state, merge_hints(hints))

    def _probe_hints(
        self, record: DnsRecord, server: Server, results: dict[_Key, QueryResult]
    ) -> list[Hint]:
        hints: list[Hint] = []
        doubled = results.get(_key(server, doubled_name(record.name, self.zone), record.rtype))
        if doubled is not None:
            hint = doubled_zone_hint(record, self.zone, doubled)
            if hint is not None:
                hints.append(hint)
        if record.rtype == "CNAME":
            a = results.get(_key(server, record.name, "A"))
            txt = results.get(_key(server, record.name, "TXT"))
            hints.extend(cname_probe_hints(record, a, txt))
        return hints


def _key(server: Server, name: str, rdtype: str) -> _Key:
    return (server, absolute(name).lower(), rdtype.upper())


def cell_counts(round_: BoardRound) -> dict[CellStatus, int]:
    """How many cells of each status a round holds, for a one-line progress summary."""
    counts = dict.fromkeys(CellStatus, 0)
    for row in round_.rows:
        for cell in row.cells:
            counts[cell.status] += 1
    return counts

"""The propagation board for a step's records, with the servers the context names.

A step's inspection carries the records it expects (``Inspection.records``) and their zone;
this pairs them with the environment's servers: the context's authoritative override (the
sandbox's name server, or ``--authoritative``), else the zone's name servers discovered
through the context's resolvers. The board itself, its one-burst rounds and its mistake hints
are ``dns.board``'s.

Async, unlike the rest of the engine: rounds run on the front end's event loop (Textual's, or
``asyncio.run`` in the line mode), because dnspython's async queries need no thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sesdmarc_tui.flow.context import FlowContext

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.board import BoardRound, PropagationBoard
    from sesdmarc_tui.dns.query import Server


class Propagation:
    """One zone's board; ``round`` asks every expected record on every server at once.

    Resolvers are only asked about a record once the authoritative servers publish it, so an
    early look never plants a negative answer in their caches (RFC 2308).
    """

    def __init__(self, ctx: FlowContext, zone: str) -> None:
        from sesdmarc_tui.dns.board import PropagationBoard

        self.ctx = ctx
        self.zone = zone
        self.board: PropagationBoard = PropagationBoard(zone, defer_resolvers=True)
        self._authoritative: tuple[Server, ...] | None = ctx.authoritative

    async def authoritative(self) -> tuple[Server, ...]:
        """The zone's name servers (``DiscoveryError`` when they cannot be found)."""
        if self._authoritative is None:
            from sesdmarc_tui.dns.discover import discover_authoritative

            found = await discover_authoritative(self.zone, self.ctx.resolvers)
            self._authoritative = tuple(found)
        return self._authoritative

    async def round(self, records: Sequence[DnsRecord]) -> BoardRound:
        servers = await self.authoritative()
        return await self.board.run_round(records, servers, self.ctx.resolvers)

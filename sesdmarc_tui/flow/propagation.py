"""The propagation board for a step's records, with the servers the context names.

A step's inspection carries the records it expects (``Inspection.records``) and their zone;
this pairs them with the environment's servers: the context's authoritative override (the
sandbox's name server, or ``--authoritative``), else the zone's name servers discovered
through the context's resolvers. The board itself, its one-burst rounds and its mistake hints
are ``dns.board``'s.

Async, unlike the rest of the engine: rounds run on the front end's event loop (Textual's, or
``asyncio.run`` in the line mode), because dnspython's async queries need no thread.

``confirmed_status`` is where a DNS step's "done" is checked against the whole view: the
engine's ``Wizard.status`` (so ``run_step``, ``wait_until_done`` and headless ``apply``) and
the Summary's ``live_status`` (the sidebar, ``resume``, "setup finished") read every step's
status through it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from sesdmarc_tui.core.names import is_subdomain
from sesdmarc_tui.dns.result import DEFAULT_QUERY_TIMEOUT
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import Inspection, StepStatus
from sesdmarc_tui.flow.state import SessionState

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.board import BoardRound, PropagationBoard
    from sesdmarc_tui.dns.classify import Cell
    from sesdmarc_tui.dns.query import Server
    from sesdmarc_tui.dns.round import RecordRow
    from sesdmarc_tui.flow.steps.base import Step

T = TypeVar("T")


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
            from sesdmarc_tui.dns.discover import discover_authoritative, on_given_ports

            resolvers = self.ctx.resolvers
            found = await discover_authoritative(self.zone, resolvers)
            self._authoritative = await on_given_ports(
                self.zone, found, resolvers, timeout=CONFIRM_TIMEOUT
            )
        return self._authoritative

    async def round(self, records: Sequence[DnsRecord]) -> BoardRound:
        servers = await self.authoritative()
        return await self.board.run_round(records, servers, self.ctx.resolvers)


# -- the "done" verdict of a step that publishes records ---------------------------------------

CONFIRM_TIMEOUT = DEFAULT_QUERY_TIMEOUT
"""Per query, when confirming a step's records (as patient as the board; tests shorten it)."""
# The ids of steps.base's DKIM, MAIL_FROM and DMARC, written out: the Summary step imports this
# module, so importing the steps package here would be circular.
DNS_STEPS = ("dkim", "mail_from", "dmarc")
WAIT_REMEDY = (
    "Every name server of the zone must answer with the record before the step is done: wait "
    "for them to sync. If one keeps failing or serving another value, ask the DNS provider "
    "about that server."
)


def confirmed_status(step: Step, ctx: FlowContext, state: SessionState) -> StepStatus:
    """``step``'s live status; for a step that publishes records, "done" only on a full view."""
    found = step.status(ctx, state)
    if step.id not in DNS_STEPS:
        return found
    return confirm_done(ctx, state, lambda: step.inspect(ctx, state), found)


def confirm_done(
    ctx: FlowContext,
    state: SessionState,
    inspection: Callable[[], Inspection],
    status: StepStatus,
) -> StepStatus:
    """``status``, unless it says done while a name server lacks, disagrees on or fails to
    serve one of the step's records: then "current", saying which server and why.

    A step's own verdict (SES's SUCCESS, the provider's read) sees one server or one resolver;
    a receiver may ask any of the zone's name servers, so "done" needs them all. ``inspection``
    is called only when the status is done. Where no name server can be asked (the context
    names no server, the zone's NS set cannot be found, or none of the servers found was
    reachable at all, as behind a firewall that blocks DNS) there is no view to be partial and
    the step's own verdict stands; name servers the context names (``ctx.authoritative``) are
    always required to answer.
    """
    if not status.done or (ctx.authoritative is None and not ctx.resolvers):
        return status
    found = inspection()
    zone = _zone_of(found, state)
    records = [r for r in found.records if zone and is_subdomain(r.name, zone)]
    if zone is None or not records:
        return status
    from sesdmarc_tui.dns.discover import DiscoveryError

    try:
        round_ = run_blocking(_confirm_round(ctx, zone, records))
    except DiscoveryError:
        return status
    partial = [row for row in round_.rows if not _whole(row)]
    if not partial or not round_.authoritative:
        return status
    cells = [c for row in round_.rows for c in row.authoritative_cells]
    if ctx.authoritative is None and all(_unreachable(c) for c in cells):
        return status
    return StepStatus("current", f"{status.message} {partial_view(partial)}", WAIT_REMEDY)


def _whole(row: RecordRow) -> bool:
    """Every name server answered, and all with the same values.

    Published as expected, or published the same other way on every server: an SPF record
    merged with one that was there already reads as another value to the board, yet the step
    (its provider, SES) judges that form; only a view that differs between servers is partial.
    """
    from sesdmarc_tui.dns.classify import CellStatus

    if row.published:
        return True
    cells = row.authoritative_cells
    answered = all(c.status in (CellStatus.MATCH, CellStatus.WRONG_VALUE) for c in cells)
    return answered and len({frozenset(c.found) for c in cells}) == 1


def partial_view(rows: Sequence[RecordRow]) -> str:
    """Why ``rows`` are not on every name server, server by server, in one paragraph."""
    from sesdmarc_tui.dns.classify import CellStatus

    words = {
        CellStatus.MISSING: "does not publish it",
        CellStatus.WRONG_VALUE: "serves another value",
        CellStatus.ERROR: "gave no usable answer",
        CellStatus.SKIPPED: "was not asked",
    }
    parts: list[str] = []
    for row in rows:
        for cell in row.authoritative_cells:
            if cell.ok:
                continue
            found = f" ({', '.join(cell.found)})" if cell.found else ""
            detail = f": {cell.detail}" if cell.detail else ""
            parts.append(
                f"{row.record.rtype} {row.record.name}: {cell.server.name} "
                f"{words[cell.status]}{found}{detail}"
            )
    shown = parts[:4] + ([f"and {len(parts) - 4} more"] if len(parts) > 4 else [])
    return "Not on every name server yet: " + "; ".join(shown) + "."


async def _confirm_round(ctx: FlowContext, zone: str, records: Sequence[DnsRecord]) -> BoardRound:
    from sesdmarc_tui.dns.board import PropagationBoard

    servers = await Propagation(ctx, zone).authoritative()
    board = PropagationBoard(zone, timeout=CONFIRM_TIMEOUT, probes=False)
    # Name servers only: asking resolvers now would plant negative answers in their caches.
    return await board.run_round(records, servers, ())


def _zone_of(found: Inspection, state: SessionState) -> str | None:
    zone = found.zone or state.resource("domain", "zone") or state.domain
    return zone if isinstance(zone, str) and zone else None


def _unreachable(cell: Cell) -> bool:
    """No packet came back: the server may be fine and the path blocked."""
    result = cell.result
    return result is not None and result.error_kind in ("timeout", "network")


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end from blocking code, even on a thread with a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

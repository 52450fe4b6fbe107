"""The propagation board in line mode: one round, asked now, printed as a table.

The round comes from the flow engine's ``Propagation`` (every expected record on every name
server and resolver, in one concurrent burst), kept per zone and records so its memory of
which resolvers it may ask yet lasts while the operator stays on the step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.report.facts import safe

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.board import BoardRound
    from sesdmarc_tui.dns.classify import Cell
    from sesdmarc_tui.dns.query import Server
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.propagation import Propagation

CELLS = {
    "match": ("✓", "green"),
    "wrong_value": ("✗", "red"),
    "missing": ("…", "yellow"),
    "error": ("?", "magenta"),
    "skipped": ("·", "dim"),
}
STATES = {
    "visible": "visible everywhere",
    "published": "on every name server; resolvers catching up",
    "partial": "on some name servers only",
    "missing": "on no name server yet",
    "wrong_value": "a name server has another value",
    "incomplete": "a name server did not answer",
    "unknown": "no name server asked",
}


class Boards:
    """One ``Propagation`` per (zone, records): ``round`` runs one burst and returns it."""

    def __init__(self, ctx: FlowContext) -> None:
        self.ctx = ctx
        self._boards: dict[tuple[str, tuple[DnsRecord, ...]], Propagation] = {}

    def round(self, zone: str, records: Sequence[DnsRecord]) -> BoardRound:
        """A round; a second one at once when the first found records the resolvers were not
        asked about yet (they are asked only once every name server publishes them)."""
        from sesdmarc_tui.flow.propagation import Propagation

        key = (zone, tuple(records))
        if key not in self._boards:
            self._boards[key] = Propagation(self.ctx, zone)
        board = self._boards[key]
        found = asyncio.run(board.round(records))
        if any(r.published and _skipped(r.resolver_cells) for r in found.rows):
            found = asyncio.run(board.round(records))
        return found


def _skipped(cells: Sequence[Cell]) -> bool:
    return any(c.status.value == "skipped" for c in cells)


def server_label(server: Server) -> Text:
    """A name server's first label, else the address (bold for name servers)."""
    label = server.label
    if label and "." in label and " " not in label and not label[0].isdigit():
        label = label.split(".")[0]
    return safe((label or server.endpoint)[:15], "bold" if server.authoritative else "")


def _short(name: str, zone: str) -> str:
    if name == zone:
        return "@"
    rel = name[: -len(zone) - 1] if name.endswith("." + zone) else name
    return rel if len(rel) <= 24 else rel[:12] + "…" + rel[-11:]


def board_view(round_: BoardRound) -> RenderableType:
    servers = (*round_.authoritative, *round_.resolvers)
    table = Table(title="Propagation", title_justify="left")
    table.add_column("Record", overflow="fold")
    for server in servers:
        table.add_column(server_label(server), justify="center")
    table.add_column("State", overflow="fold")
    for row in round_.rows:
        cells = [Text(*CELLS.get(c.status.value, ("?", ""))) for c in row.cells]
        name = safe(f"{_short(row.record.name, round_.zone)} {row.record.rtype}")
        table.add_row(name, *cells, Text(STATES.get(row.state.value, row.state.value)))
    total = len(round_.rows)
    published = sum(1 for r in round_.rows if r.published)
    visible = sum(1 for r in round_.rows if r.visible)
    summary = Text(
        f"{published}/{total} on every name server, {visible}/{total} at every resolver "
        f"({round_.queries} queries). Bold columns are name servers, the others resolvers."
    )
    parts: list[RenderableType] = [table, summary]
    for hint in round_.hints:
        parts.append(safe(f"! {hint.message}", "yellow"))
    return Group(*parts)

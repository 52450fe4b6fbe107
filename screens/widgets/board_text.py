"""Words and glyphs for the propagation board: what a cell, a row and a round mean.

Kept apart from the widget so it is plain functions over ``dns.round`` data. Dynamic text is
always a ``rich.text.Text``: record values and server answers can hold square brackets, which
markup would misread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.classify import Cell
    from sesdmarc_tui.dns.query import Server
    from sesdmarc_tui.dns.round import BoardRound, RecordRow

GLYPHS = {"match": "✓", "wrong_value": "✗", "missing": "…", "error": "?", "skipped": "·"}
STATUS_WORDS = {
    "match": "Published as expected",
    "wrong_value": "Wrong value",
    "missing": "Not there (yet)",
    "error": "No usable answer",
    "skipped": "Not asked yet",
}
STATE_WORDS = {
    "visible": "on every name server and visible at every resolver asked.",
    "published": "on every name server; some resolvers do not show it yet (caches expire).",
    "partial": "only some name servers have it: wait for the zone to reach them all.",
    "missing": "no name server has it yet.",
    "wrong_value": "a name server publishes a different value: fix the record.",
    "incomplete": "a name server gave no usable answer, so nothing is certain yet.",
    "unknown": "no name server was asked.",
}
LABEL_WIDTH = 22


def cell_glyph(cell: Cell, colours: Mapping[str, str]) -> Text:
    status = cell.status.value
    return Text(f" {GLYPHS.get(status, '?')} ", style=f"bold {colours.get(status, '')}".strip())


def short_name(record: DnsRecord, zone: str) -> str:
    name = record.name
    if name == zone:
        rel = "@"
    elif name.endswith("." + zone):
        rel = name[: -len(zone) - 1]
    else:
        rel = name
    # DKIM tokens are 32 characters: keep the start (to tell them apart) and the end.
    limit = LABEL_WIDTH - len(record.rtype) - 1
    if len(rel) > limit:
        rel = rel[: limit - 12] + "…" + rel[-11:]
    return rel


def record_label(record: DnsRecord, zone: str) -> Text:
    return Text.assemble(short_name(record, zone), " ", (record.rtype, "dim"))


def server_label(server: Server) -> Text:
    label = server.label
    if label and "." in label and " " not in label and not label[0].isdigit():
        label = label.split(".")[0]  # a name server's host name: its first label tells them apart
    text = (label or server.endpoint)[:15]
    return Text(text, style="bold" if server.authoritative else "")


def _role(server: Server) -> str:
    return "name server" if server.authoritative else "resolver"


def cell_reason(row: RecordRow, cell: Cell) -> Text:
    record = row.record
    text = Text.assemble(
        (f"{cell.server.name}", "bold"),
        f" ({_role(cell.server)}) · {record.rtype} {record.name}\n",
        (STATUS_WORDS.get(cell.status.value, cell.status.value), "bold"),
    )
    if cell.detail:
        text.append(f": {cell.detail}")
    if cell.found and cell.status.value != "match":
        text.append(f"\nFound: {', '.join(cell.found)}")
    if cell.status.value == "missing" and not cell.server.authoritative and cell.negative_ttl:
        text.append(
            f"\nThis resolver may keep answering 'missing' for up to {cell.negative_ttl} s "
            "(negative caching)."
        )
    return text


def record_reason(row: RecordRow) -> Text:
    record = row.record
    return Text.assemble(
        (f"{record.rtype} {record.name}", "bold"),
        f" → {', '.join(record.values)}\n",
        STATE_WORDS.get(row.state.value, row.state.value),
    )


def summary_text(round_: BoardRound, rounds: int, interval: float) -> Text:
    total = len(round_.rows)
    published = sum(1 for r in round_.rows if r.published)
    visible = sum(1 for r in round_.rows if r.visible)
    text = Text(
        f"Round {rounds}: {published}/{total} on every name server, {visible}/{total} at every "
        f"resolver · {round_.queries} queries"
    )
    if interval > 0:
        text.append(f" · every {interval:g} s")
    if round_.all_visible:
        text.append(" · all visible", style="bold")
    text.append("\nBold columns are name servers (published), the others resolvers (seen).")
    return text


def hints_text(round_: BoardRound) -> Text:
    hints = round_.hints
    if not hints:
        return Text("")
    text = Text("Mistakes spotted:", style="bold")
    for hint in hints:
        text.append(f"\n! {hint.message}")
    return text

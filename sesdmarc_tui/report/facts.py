"""Flow-engine facts (an inspection's findings, a plan's blockers and notes) as rich rows.

A glyph carries the level as well as the colour does, for terminals without colour. Labels
and values may quote DNS or AWS data: they go through ``safe_text`` into ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from sesdmarc_tui.core.dmarc.findings import safe_text

if TYPE_CHECKING:
    from sesdmarc_tui.flow.model import Fact

GLYPHS = {"ok": ("✓", "green"), "info": ("·", ""), "warn": ("!", "yellow"), "error": ("✗", "red")}


def safe(text: str, style: str = "") -> Text:
    """``text`` with control characters escaped, as a ``Text`` (no markup is read)."""
    return Text(safe_text(text), style=style)


def level_style(level: str) -> str:
    return f"bold {GLYPHS.get(level, ('', ''))[1]}".strip()


def glyph(level: str) -> Text:
    return Text(GLYPHS.get(level, ("·", ""))[0], style=level_style(level))


def facts_grid(facts: Sequence[Fact], *, label_width: int | None = 24) -> Table:
    """One row per fact: glyph, label, value; the fix on a row of its own."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(max_width=label_width, overflow="fold")
    grid.add_column(overflow="fold")
    for fact in facts:
        grid.add_row(glyph(fact.level), safe(fact.label, "bold"), safe(fact.value))
        if fact.remedy:
            grid.add_row(Text(""), Text(""), Text.assemble(("Fix: ", "bold"), safe(fact.remedy)))
    return grid

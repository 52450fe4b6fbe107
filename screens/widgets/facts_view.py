"""Inspection facts and plans as text: a glyph per level, the label, the value, the fix.

Level colours come from the running theme at render time and are re-rendered when the theme
changes; the glyph carries the level as well, for terminals without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from sesdmarc_tui.flow.model import Fact, Plan

LEVEL_GLYPHS = {"ok": "✓", "info": "·", "warn": "!", "error": "✗"}


class ThemedText(Static):
    """A Static whose content is rebuilt from data when the theme changes."""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.rerender())

    def level_style(self, level: str) -> str:
        theme = self.app.current_theme
        colour = {
            "ok": theme.success,
            "warn": theme.warning,
            "error": theme.error,
        }.get(level)
        return f"bold {colour}" if colour else "bold"

    def rerender(self) -> None:
        self.update(self.build())

    def build(self) -> RenderableType:
        return Text("")


def fact_rows(view: ThemedText, facts: Sequence[Fact]) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1, max_width=24, overflow="fold")
    grid.add_column(ratio=3, overflow="fold")
    for fact in facts:
        style = view.level_style(fact.level)
        grid.add_row(
            Text(LEVEL_GLYPHS.get(fact.level, "·"), style=style),
            Text(fact.label, style="bold"),
            Text(fact.value),
        )
        if fact.remedy:
            grid.add_row(Text(""), Text(""), Text.assemble(("Fix: ", "bold"), fact.remedy))
    return grid


class FactsView(ThemedText):
    def __init__(self, *, title: str = "What was found", id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, classes="facts")
        self.title = title
        self.facts: tuple[Fact, ...] = ()

    def show(self, facts: Sequence[Fact]) -> None:
        self.facts = tuple(facts)
        self.display = bool(self.facts)
        self.rerender()

    def build(self) -> RenderableType:
        return Group(Text(self.title, style="bold underline"), fact_rows(self, self.facts))


class PlanView(ThemedText):
    """The plan's actions, what blocks it, and the notes worth reading first."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, classes="plan")
        self.plan: Plan | None = None

    def show(self, plan: Plan | None) -> None:
        self.plan = plan
        self.display = plan is not None
        self.rerender()

    def build(self) -> RenderableType:
        plan = self.plan
        if plan is None:
            return Text("")
        parts: list[RenderableType] = []
        if plan.empty and not plan.blocked:
            parts.append(Text("Plan: nothing to change here.", style="bold"))
        elif plan.actions:
            count = len(plan.actions)
            noun = "change" if count == 1 else "changes"
            parts.append(Text(f"Plan: {count} {noun}", style="bold underline"))
            for number, action in enumerate(plan.actions, start=1):
                parts.append(Text(f"{number}. {action.description}"))
        if plan.blockers:
            parts.append(Text("Blocked: fix this first", style=self.level_style("error")))
            parts.append(fact_rows(self, plan.blockers))
        if plan.notes:
            parts.append(fact_rows(self, plan.notes))
        return Group(*parts)

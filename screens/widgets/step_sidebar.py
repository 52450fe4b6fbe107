"""The step list: each step's state as a glyph and a colour, clickable to jump there.

States: done (its live status is done), current (the step on screen), attention (its status
needs the operator), todo (everything else, including work in progress elsewhere). The glyph
carries the state too, so it reads without colour (NO_COLOR, monochrome terminals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

SidebarState = Literal["done", "current", "todo", "attention"]
GLYPHS: dict[SidebarState, str] = {"done": "✓", "current": "▶", "todo": "·", "attention": "!"}
TROUBLESHOOT = "troubleshoot"


def sidebar_state(kind: str | None, *, viewed: bool) -> SidebarState:
    """The sidebar state for a step whose live status kind is ``kind`` (None: not known yet)."""
    if viewed:
        return "current"
    if kind == "done":
        return "done"
    if kind == "attention":
        return "attention"
    return "todo"


class StepItem(Static):
    """One row; a click posts :class:`StepSidebar.Selected`."""

    def __init__(self, step_id: str, label: str, *, number: int | None) -> None:
        super().__init__(id=f"side-{step_id}", classes="step-item -todo")
        self.step_id = step_id
        self.label = label
        self.number = number
        self.state: SidebarState = "todo"

    def set_state(self, state: SidebarState, tooltip: str = "") -> None:
        if state != self.state or not self.has_class(f"-{state}"):
            # Class changes restyle the widget: only when the state really changes.
            self.remove_class(*(f"-{s}" for s in GLYPHS if s != state))
            self.add_class(f"-{state}")
        self.state = state
        prefix = f"{self.number} " if self.number is not None else ""
        self.update(
            Text(f"{GLYPHS[state]} {prefix}{self.label}", no_wrap=True, overflow="ellipsis")
        )
        self.tooltip = Text(tooltip) if tooltip else None

    def on_click(self) -> None:
        self.post_message(StepSidebar.Selected(self.step_id))


class StepSidebar(Vertical):
    class Selected(Message):
        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    def __init__(self, steps: Sequence[tuple[str, str]], current: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.steps = tuple(steps)
        self.current = current

    def compose(self) -> ComposeResult:
        yield Static(Text("Steps", style="bold"), classes="sidebar-title")
        for number, (step_id, title) in enumerate(self.steps, start=1):
            yield StepItem(step_id, title, number=number)
        yield Static(classes="sidebar-gap")
        yield StepItem(TROUBLESHOOT, "Troubleshoot", number=None)

    def on_mount(self) -> None:
        self.show_statuses({})

    def show_statuses(self, statuses: Mapping[str, object]) -> None:
        """Update every row from ``{step_id: StepStatus}`` (missing ones show as todo)."""
        for item in self.query(StepItem):
            if item.step_id == TROUBLESHOOT:
                item.set_state(
                    "current" if self.current == TROUBLESHOOT else "todo",
                    "Run every check without changing anything",
                )
                continue
            status = statuses.get(item.step_id)
            kind = getattr(status, "kind", None)
            message = str(getattr(status, "message", "") or "")
            item.set_state(sidebar_state(kind, viewed=item.step_id == self.current), message)

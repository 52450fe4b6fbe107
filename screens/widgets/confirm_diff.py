"""The confirmation before anything is written: each action, and old versus new values.

Returns ``True`` to apply, ``False`` to go back without writing. DNS changes show every value
kept, removed and added (a TXT set is merged, so what stays matters as much as what is new);
the steps' own diffs (the DMARC record tag by tag) show as they come.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import RecordChange
    from sesdmarc_tui.flow.model import Plan


def diff_line(line: str) -> Text:
    if line.startswith("+"):
        return Text(line, style="green")
    if line.startswith("-"):
        return Text(line, style="red")
    return Text(line)


def change_lines(change: RecordChange) -> list[Text]:
    head = Text.assemble((f"{change.rtype} {change.name}", "bold"), f"  ({change.action.value})")
    lines = [head]
    kept = change.kept
    removed = change.removed
    added = change.added
    if not (kept or removed or added):
        removed = change.old.values if change.old is not None else ()
        added = change.new.values if change.new is not None else ()
    lines += [Text(f"    {v}") for v in kept]
    lines += [diff_line(f"  - {v}") for v in removed]
    lines += [diff_line(f"  + {v}") for v in added]
    return lines


def plan_diff(plan: Plan) -> RenderableType:
    parts: list[RenderableType] = [Text("What will be done:", style="bold")]
    for number, action in enumerate(plan.actions, start=1):
        parts.append(Text(f"{number}. {action.description}"))
        if action.kind != "dns_change":  # DNS changes show as the value diff below
            parts.append(Text(f"   {action.call}", style="dim"))
    if plan.dns is not None and plan.dns.writes:
        parts.append(Text("\nDNS, old (-) and new (+) values:", style="bold"))
        for change in plan.dns.writes:
            parts.extend(change_lines(change))
    for preview in plan.previews:
        if preview.kind == "diff":
            parts.append(Text(f"\n{preview.title}:", style="bold"))
            parts.extend(diff_line(line) for line in preview.text.splitlines())
    for note in plan.notes:
        parts.append(Text(f"! {note.label}: {note.value}", style="yellow"))
    return Group(*parts)


class ConfirmDiff(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply", id="confirm.yes"),
        Binding("n", "answer(False)", "Cancel", id="confirm.no"),
        Binding("escape", "answer(False)", "Cancel", show=False),
    ]

    def __init__(self, plan: Plan, title: str = "Apply these changes?") -> None:
        super().__init__()
        self.plan = plan
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            with VerticalScroll(id="confirm-body", classes="dialog-body"):
                yield Static(plan_diff(self.plan), id="confirm-diff")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (y)", variant="primary", id="confirm-yes", compact=True)
                yield Button("Cancel (n)", id="confirm-no", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

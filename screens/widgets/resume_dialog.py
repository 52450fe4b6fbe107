"""Offer to resume an unfinished setup found for the same account, region and domain.

The engine refuses to start a second session over a saved one (``FlowError`` of kind
``resumable``); this dialog turns that refusal into the choice the operator actually has.
Dismisses with ``"resume"``, ``"start_over"`` or ``None`` (go back, nothing changed).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

ResumeChoice = Literal["resume", "start_over"]


class ResumeDialog(ModalScreen["ResumeChoice | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="resume.resume"),
        Binding("s", "choose('start_over')", "Start over", id="resume.start_over"),
        Binding("escape", "choose('')", "Back", id="resume.back"),
    ]

    def __init__(self, message: str, detail: str) -> None:
        super().__init__()
        self.message = message
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-dialog", classes="dialog"):
            yield Static(Text("Unfinished setup found", style="bold"), classes="dialog-title")
            yield Static(Text(self.message))
            yield Static(Text(self.detail, style="dim"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume (r)", variant="primary", id="resume-yes", compact=True)
                yield Button("Start over (s)", id="resume-over", compact=True)
                yield Button("Back (esc)", id="resume-back", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#resume-yes", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice if choice in ("resume", "start_over") else None)  # type: ignore[arg-type]

    @on(Button.Pressed, "#resume-yes")
    def _resume(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#resume-over")
    def _over(self) -> None:
        self.dismiss("start_over")

    @on(Button.Pressed, "#resume-back")
    def _back(self) -> None:
        self.dismiss(None)

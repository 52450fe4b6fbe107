"""A modal showing copied text in a read-only text area, for terminals that drop OSC 52."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea


class CopiedScreen(ModalScreen[None]):
    """The text to select by hand (shift+arrows or the mouse), and the file that holds it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_screen", "Close", id="copied.close"),
        Binding("q", "dismiss_screen", "Close", show=False),
    ]

    def __init__(self, text: str, saved: Path | None) -> None:
        super().__init__()
        self.text = text
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(id="copied-dialog", classes="dialog"):
            yield Static(Text("Copied text", style="bold"), classes="dialog-title")
            where = f"Saved to {self.saved}" if self.saved else "Not saved to a file."
            yield Static(
                Text(f"If your terminal did not take it, select it here. {where}"),
                classes="dialog-help",
            )
            area = TextArea(self.text, read_only=True, soft_wrap=True, id="copied-text")
            area.cursor_blink = bool(getattr(self.app, "blink", True))
            yield area
        yield Footer(show_command_palette=False)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

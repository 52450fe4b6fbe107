"""F1 help: the step's Markdown from ``assets/help/``, then the keys that work on the screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from assets import asset

MISSING = "There is no help text for this screen yet."


def help_markdown(help_id: str) -> str:
    """The help text for ``help_id``; a short note when the file is missing or unreadable."""
    try:
        return asset("help", f"{help_id}.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"# Help\n\n{MISSING}\n"


def keys_markdown(keys: Sequence[tuple[str, str]]) -> str:
    if not keys:
        return ""
    rows = "\n".join(f"| `{key}` | {what} |" for key, what in keys)
    return f"\n\n## Keys\n\n| Key | Does |\n|---|---|\n{rows}\n"


class HelpScreen(ModalScreen[None]):
    """Closes with escape or q only (a wizard should not lose the help on a stray key)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_screen", "Close help", id="help.close"),
        Binding("q", "dismiss_screen", "Close help", id="help.close_q"),
    ]

    def __init__(self, help_id: str, keys: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.help_id = help_id
        self.keys = tuple(keys)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Text("Help  (escape or q to close)", style="bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Markdown(help_markdown(self.help_id) + keys_markdown(self.keys))
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

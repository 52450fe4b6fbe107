"""The first screen: shown at once while the engine loads and the context is built.

Building the context can take a while (``sesdmarc demo`` starts moto and DNS servers, the real
environment reads the AWS configuration), and importing the engine alone costs more than
Textual itself; this screen is up before either, so the terminal answers from the first frame
(F1 help, ctrl+q quit) and says what is happening.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from sesdmarc_tui.flow.engine import Wizard

WizardSource = Callable[[], "Wizard"]
"""Builds the wizard (context included); runs in a worker thread."""


class WizardReady(Message):
    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.wizard = wizard


class StartingScreen(Screen[None]):
    class Painted(Message):
        """The screen's first frame is drawn: the app may start the heavy work."""

    def on_mount(self) -> None:
        self.call_after_refresh(self.post_message, self.Painted())

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("sesdmarc", "bold"), "  ·  starting"), id="title-bar")
        with Middle(id="starting"), Center():
            yield Static(
                Text(
                    "Loading the wizard and reading the environment…\n"
                    "(nothing is changed until you confirm a step)",
                    justify="center",
                ),
                id="starting-text",
            )
        yield Footer(show_command_palette=False)

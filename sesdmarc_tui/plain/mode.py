"""The line mode's session: the console, the prompts, the wizard, and moving between steps.

Each step is shown by :class:`~sesdmarc_tui.plain.step.StepPage`, which returns where to go
next. Help (``?`` at any question) shows the current step's Markdown from ``assets/help``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from sesdmarc_tui.plain.board import Boards
from sesdmarc_tui.plain.prompts import Prompter

if TYPE_CHECKING:
    from sesdmarc_tui.flow.engine import Wizard

QUIT = "<quit>"
FINISHED = "<finished>"
MISSING = "There is no help text for this step yet."
KEYS = (
    "In the line mode: arrows or typing choose in a list, Enter confirms, ? shows this help, "
    "Ctrl-C stops after the action in progress"
)
RESUME = " (every finished action is saved; run the same command again to resume)."


def help_markdown(help_id: str) -> str:
    """The step's help text from ``assets/help``; a short note when it cannot be read."""
    from assets import asset

    try:
        return asset("help", f"{help_id}.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"# Help\n\n{MISSING}\n"


class LineMode:
    def __init__(self, console: Console, wizard: Wizard) -> None:
        self.console = console
        self.wizard = wizard
        self.help_id = "overview"
        self.prompter = Prompter(on_help=self.show_help)
        self.boards = Boards(wizard.ctx)
        self.unsettled = False  # Ctrl-C twice: an action may still be running in its worker

    def show_help(self) -> None:
        self.console.print()
        self.console.rule("Help")
        self.console.print(Markdown(help_markdown(self.help_id)))
        # Only a session that outlives the process can be resumed (not the demo's).
        keys = KEYS + (RESUME if self.wizard.ctx.keeps_state else ".")
        self.console.print(Text(keys, style="dim"))
        self.console.rule()

    def run(self, step_id: str) -> str:
        """Show steps until the operator quits or finishes; returns ``QUIT`` or ``FINISHED``."""
        from sesdmarc_tui.plain.step import StepPage

        while step_id not in (QUIT, FINISHED):
            step_id = StepPage(self, step_id).run()
        return step_id

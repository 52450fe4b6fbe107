"""The command palette's wizard commands: jump to a step, copy, export, theme, troubleshoot.

Textual's own system commands (keys, screenshot, quit) stay beside these.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from screens.app import SesdmarcApp

Command = tuple[str, Callable[[], object], str]


class WizardCommands(Provider):
    def _commands(self) -> list[Command]:
        app = cast("SesdmarcApp", self.app)
        steps = app.wizard.steps if app.ready else ()
        commands: list[Command] = [
            (
                f"Go to step {number}: {step.title}",
                partial(app.show_step, step.id),
                "Jump to this step of the wizard",
            )
            for number, step in enumerate(steps, start=1)
        ]
        light = app.theme == "sesdmarc-light"
        commands += [
            (
                "Troubleshoot: check a domain without changing anything",
                app.action_troubleshoot,
                "Every inspection, and the fix for each problem found",
            ),
            (
                "Reports: read the DMARC aggregate reports",
                app.action_reports,
                "Files or S3; whether they support the next DMARC stage",
            ),
            ("Copy all records", app.action_copy_all, "The current step's records as zone lines"),
            ("Show the last copied text", app.action_show_copied, "To select it by hand"),
            (
                "Export the summary report (Markdown)",
                app.export_report,
                "Written to the data directory",
            ),
            (
                "Export the records (zone file and CSV)",
                app.export_records,
                "Every record the wizard publishes",
            ),
            (
                f"Theme: switch to {'dark' if light else 'light'}",
                app.action_toggle_theme,
                "The wizard has a dark and a light theme",
            ),
            ("Help for this step", app.action_help, "The same as F1"),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)

"""Step 8, Summary: every step's live status as a checklist, the DMARC stage, the files.

The checklist is the inspection's facts; Finish is the step's apply (it marks the session
finished when everything is done). The report export (also in the command palette) and the
cleanup entry (``screens.steps.cleanup``: ``sesdmarc cleanup`` for this session) are buttons
under it. Under the checklist, the readiness verdict of the last reports reading.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from screens.steps.base import StepScreen
from screens.widgets.readiness import ReadinessPanel


class SummaryScreen(StepScreen):
    step_id = "summary"
    apply_label = "Finish"
    facts_title = "Checklist"

    def compose_records(self) -> ComposeResult:
        """The readiness verdict of the last reports reading, under the DMARC stage."""
        state = self.wizard.state
        yield ReadinessPanel(self.wizard.ctx.state_dir, state.domain, id="readiness")

    def compose_extras(self) -> ComposeResult:
        with Horizontal(classes="summary-buttons"):
            yield Button("Export report", id="export-report", compact=True)
            yield Button("Export records", id="export-records", compact=True)
            yield Button("Clean up…", id="cleanup", compact=True)

    @on(Button.Pressed, "#export-report")
    def _export_report(self) -> None:
        self.app.export_report()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#export-records")
    def _export_records(self) -> None:
        self.app.export_records()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#cleanup")
    def _cleanup(self) -> None:
        from screens.steps.cleanup import CleanupScreen

        def closed(deleted: bool | None) -> None:
            if deleted:
                self.refresh_statuses()
                self.action_check()  # the checklist reads SES and DNS again

        self.app.push_screen(CleanupScreen(self.wizard), closed)

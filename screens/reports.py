"""Reports: read the DMARC aggregate reports and see whether they support the next stage.

Reached like Troubleshoot, from the sidebar or the palette on any screen, the first included.
The source is a path (file, folder, archive, message, mbox) or the ``s3://`` bucket the
reports collection fills; reading runs in a thread worker that only posts a message. The
screen shows what ``sesdmarc reports`` prints: the verdict with its evidence, the sender
groups, the per-day chart, the sources and the reporting organisations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.messages import ReportsLoaded
from screens.widgets.error_panel import ErrorScreen, describe_error

if TYPE_CHECKING:
    from sesdmarc_tui.core.reports.analysis import Analysis
    from sesdmarc_tui.core.reports.readiness import Thresholds
    from sesdmarc_tui.flow.engine import Wizard

Reader = Callable[[str, "Thresholds"], "tuple[Analysis, str]"]
"""``reader(source, thresholds) -> (analysis, description)``: blocking, run in a worker."""
HINT = "days, aligned %, unexplained: change them above and read again"
THRESHOLD_INPUTS = (
    ("days", "14", "Days of reports needed at the current stage"),
    ("aligned", "98", "Percent of your mail (SES and known senders) that must pass DMARC"),
    ("unexplained", "100", "Most messages one unknown source may send over the period"),
)


def wizard_reader(wizard: Wizard) -> Reader:
    """Reads with the wizard's sessions and domain, and remembers the verdict."""

    def read(source: str, thresholds: Thresholds) -> tuple[Analysis, str]:
        from sesdmarc_tui.flow.reports.reading import read_for_wizard

        analysis, collected = read_for_wizard(
            wizard.ctx, wizard.state, source, thresholds=thresholds
        )
        return analysis, collected.description

    return read


class ReportsScreen(Screen[None]):
    help_id = "reports"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the wizard", id="reports.close")
    ]

    def __init__(self, reader: Reader, source: str = "") -> None:
        super().__init__(name="reports")
        self.reader = reader
        self.initial_source = source
        self.analysis: Analysis | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("sesdmarc", "bold"), "  ·  Reports"), id="title-bar")
        with VerticalScroll(id="main"):
            yield Static(
                Text(
                    "Reads DMARC aggregate reports (files, folders, .gz, .zip, .eml, mbox, or "
                    "s3://BUCKET/PREFIX) and says whether they support the next DMARC stage."
                )
            )
            with Horizontal(classes="field-row"):
                yield Static(Text("Reports from"), classes="field-label")
                yield Input(
                    self.initial_source,
                    placeholder="s3://bucket/prefix or a folder",
                    id="rp-source",
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Static(Text("Thresholds"), classes="field-label")
                for key, value, tip in THRESHOLD_INPUTS:
                    yield Input(
                        value, id=f"rp-{key}", compact=True, classes="rp-threshold", tooltip=tip
                    )
            yield Static(id="rp-status")
            yield Static(id="rp-verdict")
            yield Static(id="rp-groups")
            yield Static(id="rp-chart")
            yield Static(id="rp-sources")
            yield Static(id="rp-orgs")
            yield Static(id="rp-problems")
        with Horizontal(id="actions"):
            yield Button("◀ Back to the wizard", id="rp-close", compact=True)
            yield Button("Read the reports", id="rp-read", variant="primary", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = bool(getattr(self.app, "blink", True))
        self.query_one("#rp-source", Input).focus()

    def _thresholds(self) -> Thresholds | None:
        from sesdmarc_tui.core.reports.readiness import parse_thresholds

        items = [
            f"days={self.query_one('#rp-days', Input).value}",
            f"aligned={self.query_one('#rp-aligned', Input).value}",
            f"unexplained={self.query_one('#rp-unexplained', Input).value}",
        ]
        try:
            return parse_thresholds(items)
        except ValueError as exc:
            self.query_one("#rp-status", Static).update(Text(str(exc), style="bold"))
            return None

    @on(Button.Pressed, "#rp-read")
    @on(Input.Submitted)
    def action_read(self) -> None:
        source = self.query_one("#rp-source", Input).value.strip()
        if not source:
            self.query_one("#rp-status", Static).update(
                Text("Type a folder, a file or s3://BUCKET/PREFIX.", "bold")
            )
            return
        thresholds = self._thresholds()
        if thresholds is None:
            return
        self.query_one("#rp-read", Button).disabled = True
        self.query_one("#rp-status", Static).update(Text("Reading the reports…", style="dim"))
        self.read_reports(source, thresholds)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reports", description="read")
    def read_reports(self, source: str, thresholds: Thresholds) -> None:
        analysis, description = self.reader(source, thresholds)
        self.post_message(ReportsLoaded(analysis, description))

    @on(ReportsLoaded)
    def _loaded(self, message: ReportsLoaded) -> None:
        from sesdmarc_tui.report.reports import (
            DailyChart,
            groups_table,
            orgs_table,
            problems_lines,
            sources_table,
            summary_lines,
        )
        from sesdmarc_tui.report.reports_chart import render_verdict

        analysis = self.analysis = message.analysis
        self.query_one("#rp-read", Button).disabled = False
        self.query_one("#rp-status", Static).update(summary_lines(analysis, message.description))
        self.query_one("#rp-verdict", Static).update(render_verdict(analysis.readiness, HINT))
        self.query_one("#rp-groups", Static).update(groups_table(analysis))
        self.query_one("#rp-chart", Static).update(DailyChart(analysis.aggregate.days))
        self.query_one("#rp-sources", Static).update(sources_table(analysis, 10))
        self.query_one("#rp-orgs", Static).update(orgs_table(analysis, 10))
        self.query_one("#rp-problems", Static).update(problems_lines(analysis, 5) or "")

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "reports" or event.state is not WorkerState.ERROR:
            return
        self.query_one("#rp-read", Button).disabled = False
        info = describe_error(event.worker.error or RuntimeError("unknown"), "read the reports")
        self.query_one("#rp-status", Static).update(info.inline())
        self.app.push_screen(ErrorScreen(info))

    @on(Button.Pressed, "#rp-close")
    def action_close(self) -> None:
        self.dismiss(None)

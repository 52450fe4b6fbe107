"""The layout shared by the steps that publish DNS records (DKIM, MAIL FROM, DMARC).

Adds the records table (copy one, copy all, zone snippet), the live propagation board for the
records the inspection expects, and the copy material when the operator publishes by hand.
The board's rounds come from the app's round source (the flow engine's ``Propagation``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.steps.base import StepScreen
from screens.widgets.propagation_board import PropagationView
from screens.widgets.records_table import RecordsTable

if TYPE_CHECKING:
    from screens.messages import Applied
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.flow.model import Inspection, Plan


class RecordsStepScreen(StepScreen):
    polls: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        self._watched: tuple[DnsRecord, ...] = ()

    def compose_records(self) -> ComposeResult:
        yield Static(id="manual", classes="manual")
        yield RecordsTable(id="records")

    def compose_extras(self) -> ComposeResult:
        interval = float(getattr(self.app, "board_interval", 2.0))
        yield PropagationView(interval=interval, id="board")

    def on_mount(self) -> None:
        super().on_mount()
        for wid in ("#manual", "#records", "#board"):
            self.query_one(wid).display = False

    def zone(self, inspection: Inspection) -> str | None:
        state = self.wizard.state
        found = inspection.zone or state.resource("domain", "zone") or state.domain
        return found if isinstance(found, str) else None

    def on_inspection(self, inspection: Inspection, plan: Plan) -> None:
        records = inspection.records
        zone = self.zone(inspection)
        table = self.query_one(RecordsTable)
        table.display = bool(records)
        if records:
            table.show(records, zone)
        board = self.query_one(PropagationView)
        rounds: Any = getattr(self.app, "rounds", None)
        board.display = bool(records) and rounds is not None and zone is not None
        if not board.display or zone is None:
            return
        if records != self._watched:
            self._watched = records
            board.start(rounds(zone, records))
        else:
            board.action_refresh_now()  # an apply may have just published them

    def after_apply(self, message: Applied) -> None:
        kit = message.report.instructions
        manual = self.query_one("#manual", Static)
        manual.display = kit is not None
        if kit is None:
            return
        text = Text("Publish these at your DNS host", style="bold underline")
        for number, line in enumerate(kit.steps, start=1):
            text.append(f"\n{number}. {line}")
        text.append("\n\nZone-file snippet:\n", style="bold")
        text.append(kit.zone_snippet)
        manual.update(text)

    def copy_payload(self) -> tuple[str, str] | None:
        table = self.query_one(RecordsTable)
        if not table.records:
            return None
        focused = self.focused
        if focused is not None and table in focused.ancestors_with_self:
            return table.copy_payload()
        from screens.widgets.records_table import zone_snippet

        return zone_snippet(table.records, table.zone), "all records (zone file)"

"""The Reports screen: reached from the first screen through the palette, reading a folder in a
thread worker, showing the verdict, the groups, the chart and the tables; the DMARC step's
panel showing the verdict afterwards; one SVG snapshot at 100x32."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from screens.messages import ReportsLoaded
from screens.reports import ReportsScreen
from screens.widgets.readiness import ReadinessPanel
from sesdmarc_tui.core.reports import Identity, Options, Thresholds
from sesdmarc_tui.reports.load import read_reports
from tests.support.dmarc_reports import forwarder_row, gz, report, ses_row, spoofer_row, xml
from tests.tui import drive
from tests.tui.states import SNAPSHOT_ROOT, at_step
from tests.tui.world import DOMAIN, TuiWorld, make_app

WIDE = (100, 32)


def write_reports(folder: Path, days: int = 15) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(days):
        rows = (ses_row(40 + day % 7), forwarder_row(2), spoofer_row(3))
        schema = "rfc9990" if day % 2 else "rfc7489"
        org = "Outlook.com" if day % 2 else "google.com"
        made = report(day, rows, schema=schema, org=org)  # type: ignore[arg-type]
        (folder / f"r{day}.xml.gz").write_bytes(gz(xml(made)))
    return folder


def plain(renderable: Any) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def text_of(pilot: Pilot[Any], selector: str) -> str:
    return plain(pilot.app.screen.query_one(selector, Static).content)


async def open_from_palette(pilot: Pilot[Any]) -> None:
    await drive.settle(pilot)
    await drive.press(pilot, "ctrl+p")
    await pilot.press(*"reports: read")  # not "Go to step 5: Reports inbox"
    await drive.press(pilot, "enter")


async def read(pilot: Pilot[Any], source: str) -> None:
    pilot.app.screen.query_one("#rp-source", Input).value = source
    await drive.press(pilot, "enter")  # in the source box: read
    await drive.settle(pilot)


async def test_read_a_folder_from_the_first_screen(tui: TuiWorld, tmp_path: Path) -> None:
    folder = write_reports(tmp_path / "reports")
    messages: list[object] = []
    app = make_app(tui)
    async with app.run_test(size=WIDE, message_hook=messages.append) as pilot:
        await open_from_palette(pilot)
        assert isinstance(app.screen, ReportsScreen)
        await read(pilot, str(folder))
        loaded = {id(m): m for m in messages if isinstance(m, ReportsLoaded)}  # it bubbles
        assert len(loaded) == 1
        assert [len(m.analysis.reports) for m in loaded.values()] == [15]
        assert "READY" in text_of(pilot, "#rp-verdict")
        assert "2026-11-28" in text_of(pilot, "#rp-chart")
        # A bad threshold is refused inline; a missing folder opens the error panel.
        pilot.app.screen.query_one("#rp-days", Input).value = "many"
        await read(pilot, str(folder))
        assert "needs a number" in text_of(pilot, "#rp-status")
        pilot.app.screen.query_one("#rp-days", Input).value = "14"
        await read(pilot, str(tmp_path / "missing"))
        assert type(app.screen).__name__ == "ErrorScreen"
        await drive.press(pilot, "escape")
        await drive.press(pilot, "escape")
        assert not isinstance(app.screen, ReportsScreen)


async def test_the_dmarc_step_shows_the_verdict_after_a_reading(tmp_path: Path) -> None:
    tui, wizard = at_step("reports-dmarc", "dmarc")
    folder = write_reports(tmp_path / "reports")
    app = make_app(tui, wizard)
    async with app.run_test(size=WIDE) as pilot:
        await drive.settle(pilot)
        panel = app.screen.query_one(ReadinessPanel)
        assert "none read yet" in plain(panel.content)
        panel.scroll_visible(animate=False)
        await drive.settle(pilot)
        await pilot.click(ReadinessPanel)
        await drive.settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        await read(pilot, str(folder))
        await drive.press(pilot, "escape")
        panel = app.screen.query_one(ReadinessPanel)
        shown = plain(panel.content)
        assert "READY" in shown and "Days of reports" in shown and DOMAIN in wizard.state.domain


def fixed_reader(source: str, thresholds: Thresholds) -> tuple[Any, str]:
    options = Options(identity=Identity(DOMAIN, f"mail.{DOMAIN}"), thresholds=thresholds)
    analysis, _ = read_reports(source, options)
    return analysis, "15 report document(s) found"


def test_reports_screen_snapshot(snap_compare: Any) -> None:
    """Reports after reading two weeks of reports: verdict, senders and the start of the chart."""
    folder = write_reports(SNAPSHOT_ROOT / "reports-data")
    tui, wizard = at_step("reports", "accounts")
    app = make_app(tui, wizard, reports_reader=fixed_reader)

    async def before(pilot: Pilot[Any]) -> None:
        await open_from_palette(pilot)
        await read(pilot, str(folder))
        pilot.app.screen.set_focus(None)
        await drive.settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=before)

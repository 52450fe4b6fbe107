"""Widgets: copying records (OSC 52 plus the file and the modal), the propagation board."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, TextArea

from screens.copy import CLIPBOARD_FILE
from screens.widgets.copied_screen import CopiedScreen
from screens.widgets.propagation_board import PropagationView
from screens.widgets.records_table import RecordsTable
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.core.render import copy_text
from tests.flow.fakes import FakeZone
from tests.tui import drive
from tests.tui.states import advance
from tests.tui.world import DOMAIN, TuiWorld, make_app, zone_rounds

SIZE = (100, 32)


async def test_copy_one_record_and_all(tui: TuiWorld) -> None:
    app = make_app(tui, advance(tui.wizard(), "dkim"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.apply(pilot)  # identity: now the three CNAMEs are known
        table = app.screen.query_one(RecordsTable)
        grid = table.query_one(DataTable)
        grid.focus()
        await drive.press(pilot, "down")
        await drive.press(pilot, "c")
        second = table.records[1]
        assert app.clipboard == copy_text(second, DOMAIN)
        saved = tui.ctx.state_dir / CLIPBOARD_FILE
        assert saved.read_text() == app.clipboard
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        await drive.press(pilot, "ctrl+y")  # the same, through the app binding
        assert app.clipboard == copy_text(second, DOMAIN)
        await drive.press(pilot, "a")
        assert app.clipboard.startswith("$ORIGIN example.com.")
        assert app.clipboard.count(" CNAME ") == 3
        await drive.press(pilot, "z")
        assert app.screen.query_one("#zone-snippet").display


async def test_copy_fallback_modal_where_osc52_is_dropped(
    tui: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    app = make_app(tui, advance(tui.wizard(), "summary"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.press(pilot, "ctrl+p")
        await pilot.press(*"copy all records")
        await drive.settle(pilot)
        await drive.press(pilot, "enter")  # the summary has no records: says so
        assert not isinstance(app.screen, CopiedScreen)
        app.show_step("dkim")
        await drive.settle(pilot)
        await drive.press(pilot, "ctrl+y")
        assert isinstance(app.screen, CopiedScreen)
        assert app.screen.query_one(TextArea).text == app.clipboard
        await drive.press(pilot, "escape")
        assert not isinstance(app.screen, CopiedScreen)


class BoardApp(App[None]):
    def __init__(self, zone: FakeZone, interval: float) -> None:
        super().__init__()
        self.zone = zone
        self.interval = interval

    def compose(self) -> ComposeResult:
        yield PropagationView(interval=self.interval, id="board")


def cname(index: int) -> str:
    return f"t{index}._domainkey.{DOMAIN}"


async def test_board_cells_reason_hints_and_refresh() -> None:
    zone = FakeZone(DOMAIN)
    records = [make_record(cname(i), "CNAME", [f"t{i}.dkim.amazonses.com"]) for i in range(3)]
    zone.put(cname(0), "CNAME", "t0.dkim.amazonses.com")
    zone.put(f"{cname(1)}.{DOMAIN}", "CNAME", "t1.dkim.amazonses.com")  # zone name doubled
    app = BoardApp(zone, interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        board = app.query_one(PropagationView)
        board.start(zone_rounds(zone)(DOMAIN, records))
        await drive.settle(pilot)
        first = board.round
        assert first is not None and [r.published for r in first.rows] == [True, False, False]
        grid = board.query_one(DataTable)
        assert grid.row_count == 3 and len(grid.columns) == 4  # record + ns1 + two resolvers
        grid.focus()
        await drive.press(pilot, "right", "down")
        reason = str(board.query_one("#board-reason").render())
        assert "ns1.example.com" in reason and "Not there (yet)" in reason
        hints = str(board.query_one("#board-hints").render())
        assert f"{cname(1)}.{DOMAIN}" in hints  # the doubled-zone mistake, named
        zone.put(cname(1), "CNAME", "t1.dkim.amazonses.com")
        zone.put(cname(2), "CNAME", "t2.dkim.amazonses.com")
        for _ in range(40):  # the interval brings the next rounds in
            await asyncio.sleep(0.05)
            if board.round is not None and board.round.all_visible:
                break
        assert board.round is not None and board.round.all_visible
        assert board.rounds >= 3
        board.stop()


async def test_board_round_failure_is_shown_not_raised() -> None:
    async def broken() -> object:
        raise OSError(101, "Network is unreachable")

    app = BoardApp(FakeZone(DOMAIN), interval=0)
    async with app.run_test(size=SIZE) as pilot:
        board = app.query_one(PropagationView)
        board.start(broken)  # type: ignore[arg-type]
        await drive.settle(pilot)
        assert "DNS round failed" in str(board.query_one("#board-summary").render())
        assert app.is_running


async def test_manual_provider_shows_copy_material(tmp_path: Path) -> None:
    from tests.tui.world import make_world

    tui = make_world(tmp_path, provider="manual")
    wizard = tui.wizard()
    assert not wizard.set_inputs("accounts", {"profile": "owner", "region": "eu-west-1"})
    wizard.run_step("accounts")
    assert not wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "manual"})
    wizard.run_step("domain")
    app = make_app(tui, wizard)
    async with app.run_test(size=SIZE) as pilot:
        app.show_step("dkim")
        await drive.settle(pilot)
        await drive.apply(pilot)  # the identity
        await drive.apply(pilot)  # "publish": by hand
        manual = app.screen.query_one("#manual")
        assert manual.display
        text = str(manual.render())
        assert "Publish these at your DNS host" in text and "IN CNAME" in text
        assert tui.dns.writes == 0  # the wizard wrote nothing to DNS

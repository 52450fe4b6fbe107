"""The live propagation board: expected records x servers, one coloured glyph per cell.

The widget does no DNS itself: it awaits ``round_provider()`` (the flow engine's
``Propagation.round`` in the app, a fake in tests) in an exclusive async worker, on an interval,
and skips a tick while a round is still out, so slow servers never pile rounds up. Cells are
updated in place when the shape is unchanged, which keeps a refresh cheap for key presses.
The reason for a cell shows under the grid when the cursor is on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from screens.widgets.board_text import (
    cell_glyph,
    cell_reason,
    hints_text,
    record_label,
    record_reason,
    server_label,
    summary_text,
)

if TYPE_CHECKING:
    from sesdmarc_tui.dns.board import BoardRound

RoundProvider = Callable[[], Awaitable["BoardRound"]]


class PropagationView(Vertical):
    """Call :meth:`start` with a round provider to start; leaving the screen stops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_now", "Check DNS now", id="board.refresh")
    ]

    class RoundShown(Message):
        def __init__(self, round_: BoardRound) -> None:
            super().__init__()
            self.round = round_

    def __init__(self, *, interval: float = 2.0, id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, classes="board")
        self.interval = interval
        self.rounds = 0
        self.round: BoardRound | None = None
        self._provider: RoundProvider | None = None
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._shape: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def compose(self) -> ComposeResult:
        yield Static(Text("Propagation", style="bold"), classes="section-title")
        yield DataTable(cursor_type="cell", id="board-grid", zebra_stripes=False)
        yield Static(Text("Waiting for the first round…", style="dim"), id="board-reason")
        yield Static(id="board-summary")
        yield Static(id="board-hints")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._render_round())

    # -- driving ------------------------------------------------------------------------------

    def start(self, provider: RoundProvider) -> None:
        """Start (or restart) refreshing with ``provider``: one round now, then every interval."""
        self._provider = provider
        if self._timer is not None:
            self._timer.stop()
        self._start_round()
        if self.interval > 0:
            self._timer = self.set_interval(self.interval, self._start_round)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _start_round(self) -> None:
        if self._provider is None:
            return
        if self._worker is not None and self._worker.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        ):
            return  # the last round is still out: never queue a second burst behind it
        self._worker = self.run_round()

    @work(exclusive=True, group="board", exit_on_error=False, description="DNS round")
    async def run_round(self) -> None:
        assert self._provider is not None
        round_ = await self._provider()
        self.rounds += 1
        self.round = round_
        self._render_round()
        self.post_message(self.RoundShown(round_))

    def action_refresh_now(self) -> None:
        self._start_round()

    @on(Worker.StateChanged)
    def _round_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "board" or event.state is not WorkerState.ERROR:
            return
        event.stop()
        from screens.widgets.error_panel import describe_error

        info = describe_error(event.worker.error or RuntimeError("unknown"), "check DNS")
        text = Text(f"DNS round failed: {info.message}", style="bold")
        if info.remedy:
            text.append(f" {info.remedy}")
        self.query_one("#board-summary", Static).update(text)

    # -- rendering ----------------------------------------------------------------------------

    def _render_round(self) -> None:
        round_ = self.round
        if round_ is None:
            return
        table = self.query_one("#board-grid", DataTable)
        servers = (*round_.authoritative, *round_.resolvers)
        columns = tuple(f"{s.kind.value}:{s.endpoint}" for s in servers)
        rows = tuple(f"{r.record.rtype} {r.record.name}" for r in round_.rows)
        colours = self._colours()
        if (columns, rows) != self._shape:
            cursor = table.cursor_coordinate
            table.clear(columns=True)
            table.add_column("Record", key="record")
            for key, server in zip(columns, servers, strict=True):
                table.add_column(server_label(server), key=key)
            for row_key, row in zip(rows, round_.rows, strict=True):
                cells = [cell_glyph(c, colours) for c in row.cells]
                table.add_row(record_label(row.record, round_.zone), *cells, key=row_key)
            self._shape = (columns, rows)
            if rows:
                table.cursor_coordinate = cursor
        else:
            for row_key, row in zip(rows, round_.rows, strict=True):
                for key, cell in zip(columns, row.cells, strict=True):
                    table.update_cell(row_key, key, cell_glyph(cell, colours))
        self.query_one("#board-summary", Static).update(
            summary_text(round_, self.rounds, self.interval)
        )
        self.query_one("#board-hints", Static).update(hints_text(round_))
        self._show_reason(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def _colours(self) -> dict[str, str]:
        theme = self.app.current_theme
        return {
            "match": theme.success or "green",
            "wrong_value": theme.error or "red",
            "missing": theme.warning or "yellow",
            "error": theme.accent or "magenta",
            "skipped": theme.secondary or "grey50",
        }

    @on(DataTable.CellHighlighted, "#board-grid")
    def _cell_focused(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_reason(event.coordinate.row, event.coordinate.column)

    def _show_reason(self, row: int, column: int) -> None:
        round_ = self.round
        if round_ is None or not round_.rows:
            return
        record_row = round_.rows[min(max(row, 0), len(round_.rows) - 1)]
        if column <= 0:
            text = record_reason(record_row)
        else:
            cells = record_row.cells
            text = cell_reason(record_row, cells[min(column - 1, len(cells) - 1)])
        self.query_one("#board-reason", Static).update(text)

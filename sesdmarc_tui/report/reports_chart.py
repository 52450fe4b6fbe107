"""The per-day chart of aligned versus not aligned mail, and the readiness verdict, for rich.

The chart is a renderable that sizes itself to the space it is given (the terminal for the
CLI, the widget for the Textual screen): one line per day, a bar of green (aligned) then red
(not aligned) blocks scaled to the busiest day, and the counts. The glyphs differ too (``█``
and ``░``), so it reads without colour.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.core.reports.aggregate import Tally
from sesdmarc_tui.core.reports.readiness import Readiness

ALIGNED, NOT_ALIGNED = "█", "░"
VERDICT_STYLES = {
    "ready": ("READY", "bold green"),
    "not_ready": ("NOT READY", "bold yellow"),
    "no_data": ("NO DATA", "bold magenta"),
    "final": ("LAST STAGE", "bold cyan"),
}
MAX_DAYS = 62  # about two months: older days are summed into the first line's note


class DailyChart:
    def __init__(self, days: Mapping[str, Tally]) -> None:
        self.days = dict(list(days.items())[-MAX_DAYS:])
        self.hidden = max(0, len(days) - MAX_DAYS)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.days:
            yield Text("No days with reports.", style="dim")
            return
        peak = max(t.messages for t in self.days.values()) or 1
        counts = {d: f"{t.aligned:,} / {t.not_aligned:,}" for d, t in self.days.items()}
        label = max(len(c) for c in counts.values())
        width = max(10, options.max_width - 10 - 1 - 1 - label)
        yield Text.assemble(
            ("Aligned ", "bold"),
            (ALIGNED, "green"),
            ("  not aligned ", "bold"),
            (NOT_ALIGNED, "red"),
            ("   per day (UTC), messages aligned / not aligned", "dim"),
        )
        if self.hidden:
            yield Text(f"({self.hidden} earlier day(s) not shown)", style="dim")
        for day, tally in self.days.items():
            good = round(width * tally.aligned / peak)
            bad = round(width * tally.not_aligned / peak)
            if tally.not_aligned and not bad:
                bad = 1  # a few failures must stay visible next to a busy day
            good = min(good, width - bad)
            line = Text(day[:10] + " ")
            line.append(ALIGNED * good, style="green")
            line.append(NOT_ALIGNED * bad, style="red")
            line.append(" " * max(0, width - good - bad) + " ")
            line.append(counts[day].rjust(label), style="dim")
            yield line


CLI_HINT = "change with --threshold KEY=VALUE"


def render_verdict(readiness: Readiness, hint: str = CLI_HINT) -> RenderableType:
    word, style = VERDICT_STYLES[readiness.verdict]
    lines: list[RenderableType] = [Text.assemble((f"{word} ", style), safe_text(readiness.summary))]
    for item in readiness.evidence:
        mark = ("✓ ", "green") if item.passed else ("✗ ", "red")
        lines.append(Text.assemble("  ", mark, (f"{item.label}: ", "bold"), safe_text(item.detail)))
        if item.remedy and not item.passed:
            lines.append(Text.assemble("      ", ("Fix: ", "bold"), safe_text(item.remedy)))
    limits = readiness.thresholds
    lines.append(
        Text(
            f"  Thresholds: days={limits.min_days}, aligned={limits.min_aligned_share * 100:g} %, "
            f"unexplained={limits.max_unexplained}" + (f" ({hint})" if hint else ""),
            style="dim",
        )
    )
    return Group(*lines)

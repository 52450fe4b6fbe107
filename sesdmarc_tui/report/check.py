"""The troubleshooting checklist as rich renderables: grouped by area, worst first, each
problem followed by its fix.

Titles, details and evidence quote DNS answers and SES data, so every string goes through
``safe_text`` into a ``Text`` (never into markup): a hostile TXT record cannot inject markup or
terminal escapes.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.core.checklist import AREA_TITLES, CheckItem, CheckReport, Severity, Skipped
from sesdmarc_tui.core.dmarc.findings import safe_text

_LABELS = {
    Severity.ERROR: ("ERROR", "bold red"),
    Severity.WARNING: ("WARN", "bold yellow"),
    Severity.INFO: ("INFO", "cyan"),
    Severity.OK: ("OK", "green"),
}
MAX_EVIDENCE = 4
MAX_EVIDENCE_CHARS = 300


def _t(text: str, style: str = "") -> Text:
    return Text(safe_text(text), style=style)


def _item_rows(grid: Table, item: CheckItem, verbose: bool) -> None:
    label, style = _LABELS[item.severity]
    grid.add_row(Text(label, style=style), _t(item.title))
    if item.severity is Severity.OK and not verbose:
        return
    if item.detail:
        grid.add_row(Text(""), _t(item.detail, "dim" if item.severity is Severity.OK else ""))
    if item.fix:
        fix = Text("Fix: ", style="bold")
        fix.append_text(_t(item.fix))
        grid.add_row(Text(""), fix)
    if verbose or item.severity in (Severity.ERROR, Severity.WARNING):
        for value in item.evidence[:MAX_EVIDENCE]:
            shown = (
                value if len(value) <= MAX_EVIDENCE_CHARS else value[:MAX_EVIDENCE_CHARS] + "..."
            )
            grid.add_row(Text(""), _t(f"seen: {shown}", "dim"))


def _skipped_rows(grid: Table, skipped: list[Skipped]) -> None:
    for entry in skipped:
        grid.add_row(Text("SKIP", style="magenta"), _t(entry.reason, "dim"))


def render_check(report: CheckReport, *, verbose: bool = False) -> RenderableType:
    """The checklist; ``verbose`` also shows the evidence behind the passing checks."""
    regions = ", ".join(report.regions) or "none read"
    parts: list[RenderableType] = [
        Text.assemble(
            ("Check of ", "bold"), (safe_text(report.domain), "bold"), f" (SES regions: {regions})"
        )
    ]
    for area, items, skipped in report.by_area():
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(overflow="fold")
        for item in items:
            _item_rows(grid, item, verbose)
        _skipped_rows(grid, skipped)
        parts.extend([Text(""), Text(AREA_TITLES[area], style="bold underline"), grid])
    if verbose:
        parts.append(Text(""))
        parts.extend(_t(note, "dim") for note in report.notes)
    parts.extend([Text(""), _summary(report)])
    return Group(*parts)


def _summary(report: CheckReport) -> Text:
    counts = report.summary()
    line = Text("Summary: ", style="bold")
    line.append(f"{counts['errors']} error(s)", style="bold red" if counts["errors"] else "")
    line.append(", ")
    line.append(f"{counts['warnings']} warning(s)", style="yellow" if counts["warnings"] else "")
    line.append(f", {counts['info']} note(s), {counts['ok']} passed")
    if counts["skipped"]:
        line.append(f"; {counts['skipped']} check(s) skipped", style="magenta")
    line.append(".")
    return line

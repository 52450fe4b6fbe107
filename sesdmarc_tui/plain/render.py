"""What the line mode prints for a step: status, facts, records, plan, previews, confirmation.

The same content as the Textual screens (``screens/widgets``), laid out for a scrolling
terminal. Everything quoted from DNS or AWS goes through ``report.facts.safe`` (no markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.report.facts import facts_grid, glyph, level_style, safe

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.providers.base import ManualInstructions, RecordChange
    from sesdmarc_tui.flow.model import ApplyReport, Plan, Preview, StepStatus

STATUS = {
    "done": ("ok", "Done"),
    "current": ("info", "In progress"),
    "todo": ("info", "To do"),
    "attention": ("error", "Needs you"),
}


def status_text(status: StepStatus) -> Text:
    level, word = STATUS.get(status.kind, ("info", status.kind))
    text = Text.assemble(glyph(level), " ", (f"{word}: ", level_style(level)))
    text.append_text(safe(status.message))
    if status.remedy:
        text.append("\n  Fix: ", style="bold")
        text.append_text(safe(status.remedy))
    return text


def error_text(message: str, remedy: str = "", title: str = "Could not finish this") -> Text:
    text = Text.assemble(glyph("error"), " ", (f"{title}: ", level_style("error")))
    text.append_text(safe(message))
    if remedy:
        text.append("\n  Fix: ", style="bold")
        text.append_text(safe(remedy))
    return text


def section(title: str, body: RenderableType) -> Group:
    return Group(Text(""), Text(title, style="bold underline"), body)


def host_of(record: DnsRecord, zone: str | None) -> str:
    if zone and record.name == zone:
        return "@"
    if zone and record.name.endswith("." + zone):
        return record.name[: -len(zone) - 1]
    return record.name


def records_table(records: Sequence[DnsRecord], zone: str | None) -> Table:
    where = f" (hosts in the zone {zone})" if zone else ""
    table = Table(title=f"Records to publish{where}", title_justify="left", expand=False)
    table.add_column("Host", overflow="fold")
    table.add_column("Type", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("TTL", justify="right", no_wrap=True)
    for record in records:
        table.add_row(
            safe(host_of(record, zone)),
            Text(record.rtype),
            safe("\n".join(record.values)),
            Text(str(record.ttl)),
        )
    return table


def plan_view(plan: Plan) -> RenderableType:
    parts: list[RenderableType] = []
    if plan.empty and not plan.blocked:
        parts.append(Text("Plan: nothing to change here.", style="bold"))
    elif plan.actions:
        count = len(plan.actions)
        parts.append(Text(f"Plan: {count} {'change' if count == 1 else 'changes'}", "bold"))
        parts.extend(safe(f"{n}. {a.description}") for n, a in enumerate(plan.actions, 1))
    if plan.blockers:
        parts.append(Text("Blocked: fix this first", style=level_style("error")))
        parts.append(facts_grid(plan.blockers))
    if plan.notes:
        parts.append(facts_grid(plan.notes))
    if plan.previews:
        titles = ", ".join(p.title for p in plan.previews)
        parts.append(safe(f"Details to read or copy: {titles} (menu: Show the details)", "dim"))
    return section("What this step will do", Group(*parts))


def _diff_line(line: str) -> Text:
    style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
    return safe(line, style)


def preview_panel(preview: Preview) -> Panel:
    lines = preview.text.rstrip("\n").splitlines()
    if preview.kind == "diff":
        body = Text("\n").join(_diff_line(line) for line in lines)
    else:
        body = Text("\n").join(safe(line) for line in lines)
    return Panel(body, title=safe(preview.title), title_align="left", expand=False)


def change_lines(change: RecordChange) -> list[Text]:
    lines = [Text.assemble(safe(f"{change.rtype} {change.name}", "bold"), f"  ({change.action})")]
    removed, added = change.removed, change.added
    if not (change.kept or removed or added):
        removed = change.old.values if change.old is not None else ()
        added = change.new.values if change.new is not None else ()
    lines += [safe(f"    {v}") for v in change.kept]
    lines += [_diff_line(f"  - {v}") for v in removed]
    lines += [_diff_line(f"  + {v}") for v in added]
    return lines


def confirm_view(plan: Plan) -> RenderableType:
    """What will be done, with every DNS value kept, removed and added (as ``ConfirmDiff``)."""
    parts: list[RenderableType] = [Text("What will be done:", style="bold")]
    for number, action in enumerate(plan.actions, start=1):
        parts.append(safe(f"{number}. {action.description}"))
        if action.kind != "dns_change":
            parts.append(safe(f"   {action.call}", "dim"))
    if plan.dns is not None and plan.dns.writes:
        parts.append(Text("\nDNS, old (-) and new (+) values:", style="bold"))
        for change in plan.dns.writes:
            parts.extend(change_lines(change))
    for preview in plan.previews:
        if preview.kind == "diff":
            parts.append(Text(""))
            parts.append(safe(f"{preview.title}:", "bold"))
            parts.extend(_diff_line(line) for line in preview.text.splitlines())
    for note in plan.notes:
        parts.append(safe(f"! {note.label}: {note.value}", "yellow"))
    return Panel(Group(*parts), title="Apply these changes?", title_align="left")


def manual_view(kit: ManualInstructions) -> RenderableType:
    parts: list[RenderableType] = [Text("Publish these at your DNS host", style="bold underline")]
    parts.extend(safe(f"{n}. {line}") for n, line in enumerate(kit.steps, start=1))
    parts.append(Text("\nZone-file snippet:", style="bold"))
    parts.extend(safe(line) for line in kit.zone_snippet.splitlines())
    if kit.csv.strip():
        parts.append(Text("\nCSV (values to add):", style="bold"))
        parts.extend(safe(line) for line in kit.csv.splitlines())
    return Group(*parts)


def report_view(report: ApplyReport) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(glyph("ok"), " ", safe(r.message or r.action.description))
        for r in report.results
    ]
    if report.instructions is not None:
        parts.append(Text(""))
        parts.append(manual_view(report.instructions))
    return Group(*parts)

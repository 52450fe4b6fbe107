"""The cleanup plan and its outcome as rich renderables.

Record values, policy names and messages come from DNS and AWS: every one goes through
``safe_text`` into a ``Text`` (never markup), so a hostile TXT value cannot inject markup or
terminal escapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from sesdmarc_tui.report.facts import facts_grid, safe

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import RecordChange
    from sesdmarc_tui.flow.cleanup import CleanupPlan, CleanupReport


def _t(text: str, style: str = "") -> Text:
    return safe(text, style)


def change_lines(change: RecordChange) -> list[Text]:
    lines = [Text.assemble(_t(f"{change.rtype} {change.name}", "bold"), f"  ({change.action})")]
    lines += [_t(f"    {v}  (kept)") for v in change.kept]
    lines += [_t(f"  - {v}", "red") for v in change.removed]
    return lines


def render_plan(plan: CleanupPlan) -> RenderableType:
    where = f"account {plan.account}, {plan.region}"
    if plan.state_path is not None:
        source = f"From the session saved at {plan.state_path}."
    else:
        source = "No session was found: only exact matches of what sesdmarc creates are listed."
    parts: list[RenderableType] = [
        Text.assemble(("Cleanup of ", "bold"), _t(plan.domain, "bold"), f" ({where})"),
        _t(source, "dim"),
        Text(""),
    ]
    if plan.empty:
        parts.append(Text("Nothing to delete: sesdmarc created nothing that is still there."))
    else:
        parts.append(Text(f"To delete ({len(plan.actions)}):", style="bold underline"))
        for number, action in enumerate(plan.actions, start=1):
            parts.append(_t(f"{number}. {action.description}"))
            deletion = plan.dns.get(action.id)
            if deletion is None:
                parts.append(_t(f"   {action.call}", "dim"))
                continue
            for change in deletion.change.writes:
                if change.kept:  # a set that stays, smaller: show what stays and what goes
                    parts.extend(Text.assemble("   ", line) for line in change_lines(change))
    for title, facts in (("Left in place:", plan.kept), ("Notes:", plan.notes)):
        if facts:
            parts += [Text(""), Text(title, style="bold underline"), facts_grid(facts)]
    return Group(*parts)


def render_report(report: CleanupReport, audit_path: str) -> RenderableType:
    parts: list[RenderableType] = []
    for result in report.results:
        parts.append(Text.assemble(("✓ ", "bold green"), _t(result.action.description)))
        if result.message:
            parts.append(_t(f"  {result.message}", "dim"))
    for kit in report.instructions:
        parts.append(Text("\nDelete these at your DNS host:", style="bold"))
        parts.extend(_t(f"- {step}") for step in kit.steps)
        parts.extend(_t(line) for line in kit.zone_snippet.splitlines())
    parts.append(Text(""))
    if report.state_saved is not None:
        parts.append(_t(f"Session updated: {report.state_saved}", "dim"))
    parts.append(_t(f"Audit log: {audit_path}", "dim"))
    return Group(*parts)

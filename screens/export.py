"""Exports from the Summary and the palette: the summary as Markdown and HTML, the records as
zone file and CSV.

Only rendering lives here; the checklist and the records are the flow engine's inspections.
The summary holds the live checklist, the DMARC stage with the date from which to consider
the next one (and the last reports verdict), and the paths of the session file and the audit
log. Files go to the wizard's data directory (0600) and the notification names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from screens.copy import save_private

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.flow.engine import Wizard

RECORD_STEPS = ("dkim", "mail_from", "dmarc")
STATUS_WORDS = {"done": "Done", "current": "In progress", "todo": "To do", "attention": "Problem"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class ReportData:
    """What the exported summary holds, gathered once for both formats."""

    domain: str
    where: str  # account and region
    made_at: str
    checklist: tuple[tuple[str, str, str, str], ...]  # (step, status word, details, fix)
    dmarc: tuple[tuple[str, str], ...]  # (label, value)
    files: tuple[tuple[str, str], ...]


def gather(wizard: Wizard) -> ReportData:
    """Inspect the Summary step (reads only) and the last reports verdict (a local file)."""
    from sesdmarc_tui.core.dmarc import get_stage
    from sesdmarc_tui.flow.reports.reading import last_verdict
    from sesdmarc_tui.flow.state import iso_time
    from sesdmarc_tui.flow.steps.summary import SummaryInspection

    found = wizard.inspect("summary")
    state = wizard.state
    domain = state.domain or "domain"
    checklist: tuple[tuple[str, str, str, str], ...] = ()
    dmarc: list[tuple[str, str]] = []
    state_path: object = wizard.state_path
    if isinstance(found, SummaryInspection):
        checklist = tuple(
            (
                i.title,
                STATUS_WORDS.get(i.status.kind, i.status.kind),
                i.status.message,
                i.status.remedy,
            )
            for i in found.checklist
        )
        state_path = found.state_path
        if found.dmarc_stage is not None:
            stage = get_stage(found.dmarc_stage)
            dmarc.append(("Stage", f"{stage.number} {stage.title}"))
            dmarc.append(("Consider the next stage from", found.next_review or "the last stage"))
            dmarc.append(("Before moving on", stage.advance_when))
    if not dmarc:
        dmarc.append(("Stage", "No DMARC record published by this wizard yet."))
    verdict = last_verdict(wizard.ctx.state_dir, state.domain)
    if verdict is not None:
        dmarc.append(
            ("Reports verdict", f"{verdict.summary} (read {verdict.read_at} from {verdict.source})")
        )
    files = (
        ("Session file", str(state_path) if state_path else "not saved yet"),
        ("Audit log", str(wizard.audit_path)),
    )
    where = f"account {state.account or 'unknown'}, region {state.region or 'unknown'}"
    return ReportData(domain, where, iso_time(wizard.ctx.now()), checklist, tuple(dmarc), files)


def report_markdown(data: ReportData) -> str:
    lines = [
        f"# sesdmarc summary for {data.domain}",
        "",
        f"{data.where}; live status read {data.made_at}.",
        "",
        "## Checklist",
        "",
        "| Step | Status | Details | Fix |",
        "|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(_cell(c) for c in row)} |" for row in data.checklist]
    lines += ["", "## DMARC", ""]
    lines += [f"- **{label}**: {value}" for label, value in data.dmarc]
    lines += ["", "## Files", ""]
    lines += [f"- **{label}**: `{value}`" for label, value in data.files]
    return "\n".join(lines) + "\n"


def report_html(data: ReportData) -> str:
    """A standalone page: every value escaped (they come from DNS and AWS)."""
    from html import escape

    rows = "\n".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in data.checklist
    )

    def items(pairs: Sequence[tuple[str, str]], code: bool = False) -> str:
        wrap = ("<code>", "</code>") if code else ("", "")
        return "\n".join(
            f"<li><strong>{escape(k)}</strong>: {wrap[0]}{escape(v)}{wrap[1]}</li>"
            for k, v in pairs
        )

    title = escape(f"sesdmarc summary for {data.domain}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>{escape(data.where)}; live status read {escape(data.made_at)}.</p>
<h2>Checklist</h2>
<table>
<tr><th>Step</th><th>Status</th><th>Details</th><th>Fix</th></tr>
{rows}
</table>
<h2>DMARC</h2>
<ul>
{items(data.dmarc)}
</ul>
<h2>Files</h2>
<ul>
{items(data.files, code=True)}
</ul>
</body>
</html>
"""


def write_report(wizard: Wizard, directory: Path) -> list[Path]:
    """The Summary as Markdown and HTML in ``directory`` (0600); reads only."""
    data = gather(wizard)
    # Not with_suffix: the domain's last label would be taken for an extension and replaced.
    stem = f"sesdmarc-report-{data.domain}"
    return [
        save_private(directory / f"{stem}.md", report_markdown(data)),
        save_private(directory / f"{stem}.html", report_html(data)),
    ]


def collect_records(wizard: Wizard) -> list[DnsRecord]:
    records: list[DnsRecord] = []
    for step_id in RECORD_STEPS:
        records.extend(wizard.inspect(step_id).records)
    return records


def write_records(wizard: Wizard, directory: Path) -> list[Path]:
    """Inspect the record steps (reads only) and write their records as zone file and CSV."""
    from screens.widgets.records_table import zone_snippet
    from sesdmarc_tui.core.render import to_csv

    records = collect_records(wizard)
    if not records:
        return []
    domain = wizard.state.domain or "domain"
    zone = wizard.state.resource("domain", "zone")
    origin = zone if isinstance(zone, str) else wizard.state.domain
    return [
        save_private(directory / f"sesdmarc-{domain}.zone", zone_snippet(records, origin)),
        save_private(directory / f"sesdmarc-{domain}.csv", to_csv(records)),
    ]

"""Exports from the command palette: the summary as Markdown, the records as zone file and CSV.

Only rendering lives here; the checklist and the records are the flow engine's inspections.
Files go to the wizard's data directory (0600) and the notification names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from screens.copy import save_private

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.model import Fact

RECORD_STEPS = ("dkim", "mail_from", "dmarc")
LEVEL_WORDS = {"ok": "OK", "info": "Note", "warn": "Warning", "error": "Problem"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(domain: str, facts: Sequence[Fact]) -> str:
    lines = [
        f"# sesdmarc summary for {domain}",
        "",
        "| Item | Status | Details | Fix |",
        "|---|---|---|---|",
    ]
    for fact in facts:
        lines.append(
            f"| {_cell(fact.label)} | {LEVEL_WORDS.get(fact.level, fact.level)} | "
            f"{_cell(fact.value)} | {_cell(fact.remedy)} |"
        )
    return "\n".join(lines) + "\n"


def write_report(wizard: Wizard, directory: Path) -> Path:
    """Inspect the Summary step (reads only) and write its checklist as Markdown."""
    inspection = wizard.inspect("summary")
    domain = wizard.state.domain or "domain"
    return save_private(
        directory / f"sesdmarc-report-{domain}.md", report_markdown(domain, inspection.facts)
    )


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

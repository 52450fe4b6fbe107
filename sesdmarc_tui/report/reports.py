"""DMARC aggregate reports as rich renderables: summary, verdict, groups, sources, reporters.

The same pieces make the ``sesdmarc reports`` output and the Reports screen. Everything that
comes from a report (organisation names, domains, override reasons) is untrusted text: it goes
through ``safe_text`` into ``Text`` objects, never into markup.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.core.reports.aggregate import OrgStats, SourceStats, Tally
from sesdmarc_tui.core.reports.analysis import Analysis
from sesdmarc_tui.core.reports.senders import GROUP_TITLES, GROUPS
from sesdmarc_tui.report.reports_chart import CLI_HINT, DailyChart, render_verdict

__all__ = [
    "DailyChart",
    "groups_table",
    "orgs_table",
    "problems_lines",
    "render_analysis",
    "sources_table",
    "summary_lines",
]

MAX_SOURCES = 20
MAX_ORGS = 15
MAX_PROBLEMS = 10


def _t(text: str, style: str = "") -> Text:
    return Text(safe_text(text), style=style)


def _date(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def _share(tally: Tally) -> Text:
    share = tally.aligned_share
    if share is None:
        return Text("-", style="dim")
    style = "green" if share >= 0.98 else ("yellow" if share >= 0.9 else "red")
    return Text(f"{share * 100:.1f} %", style=style)


def _top(counter: Counter[str], n: int = 2) -> str:
    return ", ".join(k for k, _ in counter.most_common(n)) or "-"


def _dispositions(tally: Tally) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in tally.dispositions.most_common()) or "-"


def summary_lines(analysis: Analysis, description: str = "") -> RenderableType:
    agg = analysis.aggregate
    schemas = Counter(r.schema for r in analysis.reports)
    parts: list[RenderableType] = [
        Text.assemble(
            ("DMARC aggregate reports for ", "bold"),
            _t(analysis.options.identity.domain or "all domains", "bold"),
        ),
        Text(
            f"{_date(analysis.begin)} to {_date(analysis.end)} (UTC) · "
            f"{len(analysis.reports):,} report(s) "
            f"(RFC 7489: {schemas['rfc7489']}, RFC 9990: {schemas['rfc9990']}) · "
            f"{agg.total.messages:,} message(s), {agg.total.aligned:,} aligned"
        ),
    ]
    if description:
        parts.append(_t(description, "dim"))
    if analysis.ignored:
        parts.append(Text(f"{analysis.ignored} report(s) outside the domain or date.", "dim"))
    return Group(*parts)


def groups_table(analysis: Analysis) -> Table:
    table = Table(title="Senders", title_justify="left", expand=False)
    for column in ("Group", "Sources", "Messages", "Aligned", "Who"):
        table.add_column(column, justify="right" if column in ("Sources", "Messages") else "left")
    for group in GROUPS:
        stats = analysis.aggregate.groups[group]
        table.add_row(
            GROUP_TITLES[group],
            f"{len(stats.sources):,}",
            f"{stats.messages:,}",
            _share(stats),
            _t(_top(stats.labels, 3)),
        )
    return table


def sources_table(analysis: Analysis, limit: int = MAX_SOURCES) -> Table:
    sources: list[SourceStats] = sorted(
        analysis.aggregate.sources.values(), key=lambda s: (-s.messages, s.ip)
    )
    table = Table(title="Per source IP", title_justify="left")
    for column in ("Source IP", "Sender", "Messages", "Aligned", "SPF", "DKIM", "Disposition"):
        table.add_column(
            column,
            justify="right" if column == "Messages" else "left",
            no_wrap=column not in ("Sender", "SPF", "DKIM"),
            overflow="fold",
        )
    for source in sources[:limit]:
        table.add_row(
            source.ip,
            _t(source.label),
            f"{source.messages:,}",
            _share(source),
            _t(_top(source.spf, 1)),
            _t(_top(source.dkim)),
            _dispositions(source),
        )
    if len(sources) > limit:
        table.caption = f"{len(sources) - limit} more source(s) in --json"
    return table


def orgs_table(analysis: Analysis, limit: int = MAX_ORGS) -> Table:
    orgs: list[OrgStats] = sorted(
        analysis.aggregate.orgs.values(), key=lambda o: (-o.messages, o.org.lower())
    )
    table = Table(title="Per reporting organisation", title_justify="left")
    for column in ("Organisation", "Reports", "Sources", "Messages", "Aligned", "Disposition"):
        table.add_column(column, justify="left" if column == "Organisation" else "right")
    for org in orgs[:limit]:
        table.add_row(
            _t(org.org),
            f"{org.reports:,}",
            f"{len(org.sources):,}",
            f"{org.messages:,}",
            _share(org),
            _dispositions(org),
        )
    return table


def problems_lines(analysis: Analysis, limit: int = MAX_PROBLEMS) -> RenderableType | None:
    if not analysis.problems:
        return None
    lines: list[RenderableType] = [Text(f"{len(analysis.problems)} input problem(s)", "bold")]
    for problem in analysis.problems[:limit]:
        style = "yellow" if problem.kind in ("duplicate", "overlap") else "red"
        lines.append(
            Text.assemble(
                ("  " + problem.kind.upper().replace("_", " ") + " ", style),
                _t(problem.source[-80:], "dim"),
                ": ",
                _t(problem.message),
            )
        )
    if len(analysis.problems) > limit:
        lines.append(Text(f"  ... {len(analysis.problems) - limit} more in --json", "dim"))
    return Group(*lines)


def render_analysis(
    analysis: Analysis, description: str = "", *, hint: str = CLI_HINT
) -> RenderableType:
    """Everything, in reading order: summary, verdict, groups, chart, sources, reporters."""
    parts: list[RenderableType] = [
        summary_lines(analysis, description),
        Text(""),
        render_verdict(analysis.readiness, hint),
        Text(""),
        groups_table(analysis),
        Text(""),
        DailyChart(analysis.aggregate.days),
        Text(""),
        sources_table(analysis),
        orgs_table(analysis),
    ]
    problems = problems_lines(analysis)
    if problems is not None:
        parts += [Text(""), problems]
    return Group(*parts)

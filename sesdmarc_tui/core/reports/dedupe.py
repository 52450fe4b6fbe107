"""Duplicate and overlapping reports: what is counted once, and what is only flagged.

RFC 9990 makes the Report-ID unique per reporter and asks reporters to resend with the same ID,
so a second report with the same (organisation, Report-ID) is a duplicate: the first one read
is kept, the other reported. A report from the same organisation and policy domain whose date
range overlaps another's is flagged: if its rows are the same it is a resend under a new ID and
is dropped too; otherwise both are kept (RFC 9990 allows one report per policy configuration
for the same period), and the overlap is reported so the operator knows some mail may be
counted twice.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sesdmarc_tui.core.reports.model import Problem, Report

# Reporters disagree on whether "end" is inclusive; a few seconds of overlap is not one.
SLACK_SECONDS = 60


def _day(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M")


def _overlap(a: Report, b: Report) -> int:
    return min(a.end, b.end) - max(a.begin, b.begin)


class _Stream:
    """One reporter's reports for one policy domain, searchable by date range."""

    def __init__(self) -> None:
        self.begins: list[int] = []
        self.reports: list[Report] = []
        self.max_span = 0

    def overlapping(self, report: Report) -> Report | None:
        low = bisect.bisect_left(self.begins, report.begin - self.max_span)
        high = bisect.bisect_right(self.begins, report.end)
        for other in self.reports[low:high]:
            if _overlap(other, report) > SLACK_SECONDS:
                return other
        return None

    def add(self, report: Report) -> None:
        index = bisect.bisect_right(self.begins, report.begin)
        self.begins.insert(index, report.begin)
        self.reports.insert(index, report)
        self.max_span = max(self.max_span, report.end - report.begin)


def deduplicate(reports: Sequence[Report]) -> tuple[tuple[Report, ...], tuple[Problem, ...]]:
    """The reports to count, in input order, and a problem for each dropped or flagged one."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], Report] = {}
    unique: list[Report] = []
    for report in reports:
        seen = first.get(report.key)
        if seen is not None:
            same = (seen.begin, seen.end, seen.rows) == (report.begin, report.end, report.rows)
            detail = "the same content" if same else "different content (the first one is kept)"
            problems.append(
                Problem(
                    report.source,
                    "duplicate",
                    f"Report {report.report_id!r} from {report.org_name} was already read from "
                    f"{seen.source or 'another input'}, with {detail}.",
                )
            )
            continue
        first[report.key] = report
        unique.append(report)
    kept: list[Report] = []
    by_stream: dict[tuple[str, str], _Stream] = defaultdict(_Stream)
    for report in unique:
        stream = by_stream[(report.org_name.lower(), report.policy.domain)]
        other = stream.overlapping(report)
        if other is not None and other.rows == report.rows:
            problems.append(
                Problem(
                    report.source,
                    "duplicate",
                    f"Report {report.report_id!r} from {report.org_name} repeats report "
                    f"{other.report_id!r} under a new ID (same period, same rows); not counted.",
                )
            )
            continue
        if other is not None:
            problems.append(
                Problem(
                    report.source,
                    "overlap",
                    f"Report {report.report_id!r} from {report.org_name} "
                    f"({_day(report.begin)} to {_day(report.end)} UTC) overlaps report "
                    f"{other.report_id!r}; both are counted, so some mail may count twice.",
                )
            )
        stream.add(report)
        kept.append(report)
    return tuple(kept), tuple(problems)

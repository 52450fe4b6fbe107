"""Report documents (bytes) to :class:`Report` values, never raising for bad input.

``parse_report`` reads one document; ``parse_documents`` reads many under the reading's time
and count budget: whatever is left when the budget runs out is reported as one problem, so a
hostile or huge batch cannot hold the wizard for ever. The clock is injected (``time.monotonic``
by default) so tests can spend the budget without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sesdmarc_tui.core.reports.limits import DEFAULT_LIMITS, Limits
from sesdmarc_tui.core.reports.model import Problem, Report
from sesdmarc_tui.core.reports.schema import read_report
from sesdmarc_tui.core.reports.xmlsafe import XmlRefused, parse_xml


@dataclass(frozen=True)
class Parsed:
    reports: tuple[Report, ...]
    problems: tuple[Problem, ...]
    documents: int  # documents looked at (parsed or refused)
    bytes: int


def parse_report(
    data: bytes, source: str = "", limits: Limits = DEFAULT_LIMITS
) -> Report | Problem:
    """One aggregate report, or the :class:`Problem` that says why it was refused."""
    try:
        parsed = parse_xml(data, limits.max_xml_bytes)
        report = read_report(parsed.root, parsed.namespace, source, limits.max_rows)
    except XmlRefused as exc:
        return Problem(source, exc.kind, exc.message)
    except Exception as exc:  # the last guard: a report never takes the reading down
        return Problem(source, "invalid_report", f"Unreadable report: {type(exc).__name__}.")
    if parsed.replaced_invalid_utf8:
        note = "Bytes that were not UTF-8 were replaced."
        report = replace(report, notes=(*report.notes, note))
    return report


def parse_documents(
    documents: Iterable[tuple[str, bytes]],
    limits: Limits = DEFAULT_LIMITS,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> Parsed:
    started = clock()
    reports: list[Report] = []
    problems: list[Problem] = []
    seen = size = 0
    for source, data in documents:
        if seen >= limits.max_documents or clock() - started > limits.time_budget:
            why = (
                f"the limit of {limits.max_documents:,} reports"
                if seen >= limits.max_documents
                else f"the time budget of {limits.time_budget:g} s"
            )
            problems.append(
                Problem(source, "time_budget", f"Stopped at {why}; this and later inputs unread.")
            )
            break
        seen += 1
        size += len(data)
        result = parse_report(data, source, limits)
        if isinstance(result, Report):
            reports.append(result)
        else:
            problems.append(result)
    return Parsed(tuple(reports), tuple(problems), seen, size)

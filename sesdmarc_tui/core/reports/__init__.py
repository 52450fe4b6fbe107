"""DMARC aggregate reports (RFC 7489 Appendix C, RFC 9990) in pure Python: no I/O.

Bytes in (the collection layer, ``sesdmarc_tui.reports``, reads files, archives, messages and
S3), reports out; then counting, grouping by sender, and the readiness verdict for the next
stage of ``core.dmarc.LADDER``. Untrusted XML is parsed with defusedxml under ``Limits``.
"""

from __future__ import annotations

from sesdmarc_tui.core.reports.aggregate import Aggregate, report_day
from sesdmarc_tui.core.reports.analysis import Analysis, Options, analyze
from sesdmarc_tui.core.reports.dedupe import deduplicate
from sesdmarc_tui.core.reports.limits import DEFAULT_LIMITS, Limits
from sesdmarc_tui.core.reports.model import (
    DkimAuth,
    PolicyPublished,
    Problem,
    Report,
    Row,
    SpfAuth,
)
from sesdmarc_tui.core.reports.parse import Parsed, parse_documents, parse_report
from sesdmarc_tui.core.reports.readiness import (
    Evidence,
    Readiness,
    Thresholds,
    parse_thresholds,
    stage_of,
)
from sesdmarc_tui.core.reports.senders import (
    GROUP_TITLES,
    GROUPS,
    Identity,
    KnownSender,
    classify,
    parse_known,
)
from sesdmarc_tui.core.reports.xmlout import render_report, report_filename

__all__ = [
    "DEFAULT_LIMITS",
    "GROUPS",
    "GROUP_TITLES",
    "Aggregate",
    "Analysis",
    "DkimAuth",
    "Evidence",
    "Identity",
    "KnownSender",
    "Limits",
    "Options",
    "Parsed",
    "PolicyPublished",
    "Problem",
    "Readiness",
    "Report",
    "Row",
    "SpfAuth",
    "Thresholds",
    "analyze",
    "classify",
    "deduplicate",
    "parse_documents",
    "parse_known",
    "parse_report",
    "parse_thresholds",
    "render_report",
    "report_day",
    "report_filename",
    "stage_of",
]

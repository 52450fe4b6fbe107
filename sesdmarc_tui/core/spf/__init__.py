"""SPF (RFC 7208): record parsing, lookup counting, merging, MAIL FROM records, checks.

Evaluation for a client IP uses pyspf, which imports dnspython's resolver, so it lives in
``sesdmarc_tui.dns.spf_eval.evaluate_spf``.
"""

from __future__ import annotations

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.spf.check import SPF_RESULTS, Evaluation, SpfCheck, check_spf
from sesdmarc_tui.core.spf.count import LookupCount, LookupNode, count_lookups
from sesdmarc_tui.core.spf.explain import explain_term
from sesdmarc_tui.core.spf.mailfrom import RegionError, mail_from_records, validate_region
from sesdmarc_tui.core.spf.merge import (
    DEFAULT_TERM,
    MergeResult,
    check_merge_term,
    merge_spf,
    split_txt_strings,
)
from sesdmarc_tui.core.spf.parse import (
    SpfRecord,
    Term,
    is_spf_text,
    parse_spf,
    parse_term,
    select_spf_records,
)

__all__ = [
    "DEFAULT_TERM",
    "SPF_RESULTS",
    "Evaluation",
    "Finding",
    "LookupCount",
    "LookupNode",
    "MergeResult",
    "RegionError",
    "SpfCheck",
    "SpfRecord",
    "Term",
    "check_merge_term",
    "check_spf",
    "count_lookups",
    "explain_term",
    "is_spf_text",
    "mail_from_records",
    "merge_spf",
    "parse_spf",
    "parse_term",
    "select_spf_records",
    "split_txt_strings",
    "validate_region",
]

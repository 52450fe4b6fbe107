"""DMARC in pure Python: parse, lint, build, stage, discover and evaluate (no I/O).

DNS comes only through an injected ``core.lookup.Lookup``. Facts: RFC 9989 (DMARCbis) and
RFC 7489, as summarised in the project's reference/email-auth.md sections 0, 1, 2 and 7.
"""

from __future__ import annotations

from sesdmarc_tui.core.dmarc.build import build_dmarc, canonical_dmarc
from sesdmarc_tui.core.dmarc.discover import (
    Discovery,
    Rfc7489Discovery,
    discover_policy,
    organizational_domain_tree_walk,
)
from sesdmarc_tui.core.dmarc.evaluate import (
    DKIM_RESULTS,
    SPF_RESULTS,
    DkimCheck,
    Evaluation,
    evaluate_dmarc,
)
from sesdmarc_tui.core.dmarc.explain import explain_tag
from sesdmarc_tui.core.dmarc.external import (
    ExternalDestination,
    authorization_record,
    external_destinations,
)
from sesdmarc_tui.core.dmarc.findings import ERROR_KINDS
from sesdmarc_tui.core.dmarc.ladder import (
    LADDER,
    Stage,
    detect_stage,
    get_stage,
    next_stage,
    stage_record,
)
from sesdmarc_tui.core.dmarc.lint import LintResult, lint_dmarc
from sesdmarc_tui.core.dmarc.record import DmarcRecord, Effective, parse_dmarc
from sesdmarc_tui.core.dmarc.resolve import DmarcAt, MemoLookup, query_dmarc
from sesdmarc_tui.core.dmarc.tree import TreeWalk, tree_walk
from sesdmarc_tui.core.findings import Finding

__all__ = [
    "DKIM_RESULTS",
    "ERROR_KINDS",
    "LADDER",
    "SPF_RESULTS",
    "Discovery",
    "DkimCheck",
    "DmarcAt",
    "DmarcRecord",
    "Effective",
    "Evaluation",
    "ExternalDestination",
    "Finding",
    "LintResult",
    "MemoLookup",
    "Rfc7489Discovery",
    "Stage",
    "TreeWalk",
    "authorization_record",
    "build_dmarc",
    "canonical_dmarc",
    "detect_stage",
    "discover_policy",
    "evaluate_dmarc",
    "explain_tag",
    "external_destinations",
    "get_stage",
    "lint_dmarc",
    "next_stage",
    "organizational_domain_tree_walk",
    "parse_dmarc",
    "query_dmarc",
    "stage_record",
    "tree_walk",
]

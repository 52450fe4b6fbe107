"""Checking a received message (contract C6): parsing, Authentication-Results, DKIM reasons,
alignment and the verdict with fixes. Pure: DKIM verification itself (dkimpy, which loads
dnspython) runs in ``sesdmarc_tui.dns.dkim_verify`` and hands its outcomes in.
"""

from __future__ import annotations

from sesdmarc_tui.core.message.authres import AuthResults, ResInfo, parse_authres
from sesdmarc_tui.core.message.dkim_reasons import (
    REASONS,
    DkimAttempt,
    DkimOutcome,
    KeyLookup,
    classify,
    not_checkable,
)
from sesdmarc_tui.core.message.dkim_tags import SignatureTags, parse_signature
from sesdmarc_tui.core.message.message import (
    MAX_MESSAGE_BYTES,
    HeaderField,
    ParsedMessage,
    parse_message,
)
from sesdmarc_tui.core.message.report import Check, MessageReport
from sesdmarc_tui.core.message.trust import IgnoredHeader, TrustChoice, choose_trusted
from sesdmarc_tui.core.message.verdict import build_report

__all__ = [
    "MAX_MESSAGE_BYTES",
    "REASONS",
    "AuthResults",
    "Check",
    "DkimAttempt",
    "DkimOutcome",
    "HeaderField",
    "IgnoredHeader",
    "KeyLookup",
    "MessageReport",
    "ParsedMessage",
    "ResInfo",
    "SignatureTags",
    "TrustChoice",
    "build_report",
    "choose_trusted",
    "classify",
    "not_checkable",
    "parse_authres",
    "parse_message",
    "parse_signature",
]

"""Findings (errors and warnings) about a DMARC record, and safe display of untrusted text.

Rule for where a problem goes, applied everywhere in this package: each problem is reported
once. It is an *error* when it makes the record invalid under RFC 9989 or RFC 7489, or when the
wizard must refuse to publish the record; otherwise it is a *warning*. ``missing_p`` and
``p_not_second_tag`` are therefore always errors (RFC 7489 requires ``p`` straight after ``v``),
never warnings, although RFC 9989 alone would accept the record.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Error kinds (the lint contract's closed list).
NOT_DMARC: Final = "not_dmarc"
SYNTAX: Final = "syntax"
MISSING_P: Final = "missing_p"
INVALID_TAG_VALUE: Final = "invalid_tag_value"
DUPLICATE_TAG: Final = "duplicate_tag"
INVALID_URI: Final = "invalid_uri"
P_NOT_SECOND_TAG: Final = "p_not_second_tag"

ERROR_KINDS: Final = frozenset(
    {NOT_DMARC, SYNTAX, MISSING_P, INVALID_TAG_VALUE, DUPLICATE_TAG, INVALID_URI, P_NOT_SECOND_TAG}
)

# Warning kinds (an open list).
NO_RUA: Final = "no_rua"
PCT_REMOVED: Final = "pct_removed_in_rfc9989"
RF_REMOVED: Final = "rf_removed_in_rfc9989"
RI_REMOVED: Final = "ri_removed_in_rfc9989"
T_IGNORED_BY_7489: Final = "t_ignored_by_rfc7489_receivers"
EXTERNAL_NEEDS_AUTH: Final = "external_destination_needs_authorization"
ASPF_STRICT: Final = "aspf_strict_breaks_ses_custom_mail_from"
ADKIM_STRICT: Final = "adkim_strict_breaks_subdomain_from"
SP_WEAKER: Final = "sp_weaker_than_p"
NP_WEAKER: Final = "np_weaker_than_sp"
SP_IGNORED_ON_SUBDOMAIN: Final = "sp_ignored_on_subdomain_record"
FO_WITHOUT_RUF: Final = "fo_without_ruf_ignored"
UNKNOWN_TAG: Final = "unknown_tag_ignored"
OBSOLETE_SIZE: Final = "obsolete_uri_size_suffix"
NON_MAILTO: Final = "non_mailto_uri_likely_ignored"
NONCANONICAL_WS: Final = "noncanonical_whitespace"
NONCANONICAL_CASE: Final = "noncanonical_tag_case"
PSD_Y: Final = "psd_y_only_for_public_suffix_operators"


MAX_SHOWN = 60


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """Untrusted text made safe to put in a message: quoted, escaped, and cut to ``limit``.

    Control characters, bidi overrides and lone surrogates (non-UTF-8 argv) are written as
    escapes, so a message can never move the cursor, reorder a line or fail to encode.
    """
    cut = text if len(text) <= limit else text[:limit]
    body = "".join(_escape_char(c) for c in cut)
    suffix = f"... ({len(text)} characters)" if len(text) > limit else ""
    return f"'{body}'{suffix}"


def clip(text: str, limit: int = 160) -> str:
    """A message of ours that quotes something long (e.g. a DomainError on 10 kB of input)."""
    return text if len(text) <= limit else text[:limit] + "..."


def safe_text(text: str) -> str:
    """The whole of ``text`` with unsafe characters escaped, for values shown or emitted."""
    return "".join(_escape_char(c) for c in text)


def _escape_char(c: str) -> str:
    code = ord(c)
    if c == "\\":
        return c
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    if code > 0x7E and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return c

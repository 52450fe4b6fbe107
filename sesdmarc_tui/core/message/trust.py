"""Which Authentication-Results header to believe (RFC 8601 s5).

Any hop, the sender included, can add an Authentication-Results header with any authserv-id.
Only the receiving provider's own header, the topmost one carrying its id, says what that
receiver decided; lower headers with the same id may be forged and headers from other ids are
someone else's opinion. Without ``--trusted-authserv-id`` the topmost header's id is assumed
to be the receiver's, and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.message.authres import AuthResults

# Microsoft 365 and Outlook.com write the header without an authserv-id; these names (given
# as --trusted-authserv-id) mean "trust that header".
_NO_ID_ALIASES = ("none", "microsoft", "outlook", "office365", "exchange")
_NO_ID_SUFFIXES = ("outlook.com", "microsoft.com", "office365.com", "hotmail.com")


@dataclass(frozen=True)
class IgnoredHeader:
    position: int  # among the Authentication-Results fields, top first
    authserv_id: str | None
    why: str


@dataclass(frozen=True)
class TrustChoice:
    chosen: AuthResults | None
    trusted_id: str | None  # what was matched (given or inferred)
    assumption: str | None  # set when the trusted id was inferred
    problem: str | None  # set when no header could be trusted
    ignored: tuple[IgnoredHeader, ...]


def shown_id(authserv_id: str | None) -> str:
    return authserv_id if authserv_id is not None else "(no authserv-id, Microsoft form)"


def _matches(header: AuthResults, trusted: str) -> bool:
    wanted = trusted.strip().rstrip(".").lower()
    if header.authserv_id is None:
        return wanted in _NO_ID_ALIASES or any(
            wanted == s or wanted.endswith("." + s) for s in _NO_ID_SUFFIXES
        )
    return header.authserv_id.rstrip(".").lower() == wanted


def choose_trusted(headers: Sequence[AuthResults], trusted: str | None) -> TrustChoice:
    """Pick the topmost header of the trusted receiver; list every other header with why."""
    if not headers:
        return TrustChoice(
            None,
            trusted,
            None,
            "the message has no Authentication-Results header, so the receiver's verdict is "
            "unknown",
            (),
        )
    assumption = None
    if trusted is None or not trusted.strip():
        top = headers[0]
        trusted = top.authserv_id if top.authserv_id is not None else "none"
        assumption = (
            f"--trusted-authserv-id was not given: the topmost Authentication-Results, from "
            f"{shown_id(top.authserv_id)}, is assumed to be the receiver's own"
        )
    chosen = next((h for h in headers if _matches(h, trusted)), None)
    if chosen is None:
        ids = ", ".join(dict.fromkeys(shown_id(h.authserv_id) for h in headers))
        ignored = tuple(
            IgnoredHeader(
                h.position, h.authserv_id, f"from {shown_id(h.authserv_id)}, not {trusted}"
            )
            for h in headers
        )
        problem = f"no Authentication-Results header from {trusted} (found: {ids})"
        return TrustChoice(None, trusted, assumption, problem, ignored)
    return TrustChoice(chosen, trusted, assumption, None, _ignored(headers, chosen, trusted))


def _ignored(
    headers: Sequence[AuthResults], chosen: AuthResults, trusted: str
) -> tuple[IgnoredHeader, ...]:
    out = []
    for h in headers:
        if h is chosen:
            continue
        who = shown_id(h.authserv_id)
        if _matches(h, trusted):
            why = (
                f"also from {who} but below the topmost one: only the topmost can be trusted, "
                "a lower one may have been added by the sender (forged)"
            )
        elif h.position < chosen.position:
            why = f"from {who}, added after the trusted receiver (a later internal hop)"
        else:
            why = f"from {who}, below the trusted receiver's header: not its verdict"
        out.append(IgnoredHeader(h.position, h.authserv_id, why))
    return tuple(out)

"""DMARC reporting URIs (``rua``/``ruf``): RFC 9989 s4.8 ``dmarc-urilist``, RFC 7489 s6.4.

Commas and ``!`` inside a URI must be percent-encoded, so the list splits on ``,``; a trailing
``!<digits>[kmgt]`` is the obsolete size limit (RFC 7489), which RFC 9989 reporters ignore.
Only ``mailto:`` is required of receivers; other schemes are syntactically fine but usually
unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sesdmarc_tui.core.dmarc.findings import clip, shown
from sesdmarc_tui.core.names import DomainError, normalize_domain

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)
_SIZE = re.compile(r"(.*)!([0-9]+[kmgtKMGT]?)", re.DOTALL)
# RFC 5322 atext without "!" (which DMARC requires percent-encoded), plus dots and %HH escapes.
_LOCAL = re.compile(r"(?:[A-Za-z0-9#$&'*+/=?^_`{|}~.-]|%[0-9A-Fa-f]{2})+")
_URI_CHARS = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class ReportUri:
    uri: str  # as written, without surrounding whitespace
    scheme: str | None
    host: str | None  # normalised domain that receives the reports
    size: str | None  # obsolete size suffix, e.g. "10m"
    problem: str | None  # why the URI is invalid, or None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def is_mailto(self) -> bool:
        return self.scheme == "mailto"


def split_uri_list(value: str) -> tuple[list[str], bool]:
    """The list items, trimmed, and whether any whitespace surrounded a comma."""
    parts = value.split(",")
    spaced = any(p != p.strip(" \t") for p in parts[1:]) or any(
        p != p.rstrip(" \t") for p in parts[:-1]
    )
    return [p.strip(" \t") for p in parts], spaced


def parse_uri(text: str) -> ReportUri:
    if not text:
        return ReportUri(text, None, None, None, "an empty entry (two commas, or a trailing comma)")
    if not text.isascii():
        return ReportUri(
            text,
            None,
            None,
            None,
            f"{shown(text)} contains non-ASCII characters; URIs must be ASCII "
            "(write an internationalised domain as its xn-- form)",
        )
    size = None
    body = text
    match = _SIZE.fullmatch(text)
    if match:
        body, size = match.group(1), match.group(2).lower()
    if "!" in body:
        return ReportUri(
            text, None, None, size, f"{shown(text)} contains '!', which must be written %21"
        )
    scheme_match = _SCHEME.fullmatch(body)
    if not scheme_match:
        return ReportUri(
            text,
            None,
            None,
            size,
            f"{shown(text)} has no scheme; write it as mailto:{body}"
            if "@" in body
            else f"{shown(text)} is not a URI (expected mailto:address@domain)",
        )
    scheme = scheme_match.group(1).lower()
    rest = scheme_match.group(2)
    if not _URI_CHARS.fullmatch(rest):
        return ReportUri(
            text, scheme, None, size, f"{shown(text)} contains spaces or control characters"
        )
    if scheme == "mailto":
        host, problem = _mailto_host(rest, text)
        return ReportUri(text, scheme, host, size, problem)
    return ReportUri(text, scheme, _other_host(body), size, None)


def _mailto_host(rest: str, text: str) -> tuple[str | None, str | None]:
    address = rest.split("?", 1)[0]
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return None, f"{shown(text)} is not mailto:local-part@domain"
    if not _LOCAL.fullmatch(local):
        return (
            None,
            f"{shown(text)} has characters not allowed in the local part {shown(local, 30)}",
        )
    try:
        host = normalize_domain(domain, min_labels=2)
    except DomainError as exc:
        return None, f"{shown(text)} has an invalid domain ({clip(exc.message)})"
    return host, None


def _other_host(uri: str) -> str | None:
    try:
        host = urlsplit(uri).hostname
    except ValueError:
        return None
    if not host:
        return None
    try:
        return normalize_domain(host)
    except DomainError:
        return None

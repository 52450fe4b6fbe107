"""One board cell: what one server's answer means for one expected record.

The four outcomes keep apart what an operator does about them: ``match``; ``wrong_value`` (fix
the record, the found values and a sentence on the difference are given); ``missing`` (publish
it, or wait: a resolver caches the absence for the negative TTL); ``error`` (the server did not
give a usable answer, which proves nothing either way).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal

from sesdmarc_tui.core.dmarc.record import parse_dmarc
from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import DnsRecord, MatchKind, record_matches
from sesdmarc_tui.core.spf.parse import is_spf_text, parse_spf
from sesdmarc_tui.dns.query import QueryResult, Server

MissingKind = Literal["nxdomain", "nodata"]


class CellStatus(StrEnum):
    MATCH = "match"
    WRONG_VALUE = "wrong_value"
    MISSING = "missing"
    ERROR = "error"
    SKIPPED = "skipped"  # deliberately not asked (see PropagationBoard.defer_resolvers)


@dataclass(frozen=True)
class Cell:
    server: Server
    status: CellStatus
    found: tuple[str, ...] = ()
    detail: str = ""
    missing: MissingKind | None = None
    negative_ttl: int | None = None
    queried_at: float | None = None
    result: QueryResult | None = None

    @property
    def ok(self) -> bool:
        return self.status is CellStatus.MATCH

    @property
    def absence_cached_until(self) -> float | None:
        """Wall-clock time until which a resolver may keep answering "missing" (RFC 2308)."""
        if self.status is not CellStatus.MISSING or self.server.authoritative:
            return None
        if self.negative_ttl is None or self.queried_at is None:
            return None
        return self.queried_at + self.negative_ttl

    def to_json(self) -> dict[str, Any]:
        result = self.result
        return {
            "server": self.server.to_json(),
            "status": self.status.value,
            "found": list(self.found),
            "detail": self.detail,
            "missing": self.missing,
            "negative_ttl": self.negative_ttl,
            "queried_at": self.queried_at,
            "absence_cached_until": self.absence_cached_until,
            "ttl": result.ttl if result else None,
            "aa": result.aa if result else None,
            "rcode": result.rcode if result else None,
            "error_kind": result.error_kind if result else None,
            "transport": result.transport if result else None,
            "elapsed_ms": round(result.elapsed * 1000, 1) if result else None,
        }


def skipped_cell(server: Server, reason: str) -> Cell:
    return Cell(server, CellStatus.SKIPPED, detail=reason, queried_at=time.time())


def classify(result: QueryResult, expected: DnsRecord) -> Cell:
    """Judge ``result``, the answer for the name and type of ``expected``, against it."""
    cell = _classify(result, expected)
    if cell.status is CellStatus.WRONG_VALUE and not result.server.authoritative and result.ttl:
        # A resolver's other value is usually a cached old one: how long it may last is what
        # the operator needs (the name servers' columns say whether the record itself is right).
        detail = f"{cell.detail}; this resolver may keep serving it for up to {result.ttl} s"
        return _with(cell, found=cell.found, detail=detail)
    return cell


def _classify(result: QueryResult, expected: DnsRecord) -> Cell:
    base = Cell(result.server, CellStatus.ERROR, queried_at=result.queried_at, result=result)
    if result.kind is AnswerKind.ERROR:
        return _with(base, detail=result.error or "no usable answer")
    if result.is_missing:
        return _missing(base, result, expected)
    found = result.values
    via = f" (through the CNAME {' -> '.join(result.cname_chain)})" if result.cname_chain else ""
    competing = competing_policy(expected, found)
    if competing:
        return _with(base, CellStatus.WRONG_VALUE, found=found, detail=competing + via)
    match = record_matches(expected, _as_expected(expected, found))
    if match.kind is MatchKind.MATCH:
        detail = "published as expected" + via
        if set(found) - set(expected.values) and expected.rtype == "TXT":
            detail = "published, written differently but equivalent for receivers" + via
        return _with(base, CellStatus.MATCH, found=found, detail=detail)
    if match.kind is MatchKind.EXTRA_VALUES and not _extras_matter(expected, match.unexpected):
        # Unrelated TXT values (site verifications) share names with SPF legitimately.
        others = len(match.unexpected)
        detail = f"published; {others} other TXT value{'s' if others > 1 else ''} at this name"
        return _with(base, CellStatus.MATCH, found=found, detail=detail + via)
    if match.kind is MatchKind.EXTRA_VALUES:
        extra = ", ".join(match.unexpected)
        detail = f"published together with extra values: {extra}"
    else:
        detail = " ".join(match.details) or f"found {', '.join(found)}"
    return _with(base, CellStatus.WRONG_VALUE, found=found, detail=detail + via)


def _with(
    base: Cell,
    status: CellStatus | None = None,
    *,
    found: tuple[str, ...] = (),
    detail: str = "",
    missing: MissingKind | None = None,
    negative_ttl: int | None = None,
) -> Cell:
    return Cell(
        base.server,
        status or base.status,
        found,
        detail,
        missing,
        negative_ttl,
        base.queried_at,
        base.result,
    )


def _missing(base: Cell, result: QueryResult, expected: DnsRecord) -> Cell:
    kind: MissingKind = "nxdomain" if result.kind is AnswerKind.NXDOMAIN else "nodata"
    if result.cname_chain:
        target = result.cname_chain[-1]
        what = "does not exist" if kind == "nxdomain" else f"has no {expected.rtype} record"
        detail = f"the name is a CNAME to {target}, which {what}"
    elif kind == "nxdomain":
        detail = "no such name (NXDOMAIN)"
    else:
        detail = f"the name exists but has no {expected.rtype} record (NODATA)"
    neg = result.negative_ttl
    if neg is not None and not result.server.authoritative:
        detail += f"; this resolver may keep answering so for up to {neg} s (negative caching)"
    return _with(
        base, CellStatus.MISSING, detail=detail, missing=kind, negative_ttl=result.negative_ttl
    )


def competing_policy(expected: DnsRecord, found: tuple[str, ...]) -> str:
    """Why two SPF or two DMARC records at the expected name break it, or "" if they do not."""
    if expected.rtype != "TXT":
        return ""
    spf = [v for v in found if is_spf_text(v)]
    if len(spf) > 1 and any(is_spf_text(v) for v in expected.values):
        return (
            f"{len(spf)} SPF records at this name: receivers return permerror for every "
            "message (RFC 7208 s4.5). Merge them into one record."
        )
    dmarc = [v for v in found if is_dmarc_text(v)]
    if len(dmarc) > 1 and any(is_dmarc_text(v) for v in expected.values):
        return (
            f"{len(dmarc)} DMARC records at this name: receivers then apply no DMARC at all "
            "(RFC 9989 s4.10). Delete all but one."
        )
    return ""


def _extras_matter(expected: DnsRecord, extras: tuple[str, ...]) -> bool:
    """Extra TXT values are harmless unless they compete with an SPF or DMARC record."""
    if expected.rtype != "TXT":
        return True
    if any(is_spf_text(v) for v in expected.values):
        return any(is_spf_text(v) for v in extras)
    if any(is_dmarc_text(v) for v in expected.values):
        return any(is_dmarc_text(v) for v in extras)
    return False


def _as_expected(expected: DnsRecord, found: tuple[str, ...]) -> tuple[str, ...]:
    """Map found SPF/DMARC text that receivers read the same as an expected value onto it.

    Section 6 of the email-auth reference: compare these by parsed equality, so that
    ``v=DMARC1;p=none`` published for ``v=DMARC1; p=none`` is not reported as wrong.
    """
    if expected.rtype != "TXT":
        return found
    mapped: list[str] = []
    for value in found:
        if value in expected.values:
            mapped.append(value)
            continue
        same = next((e for e in expected.values if equivalent_txt(e, value)), None)
        mapped.append(same if same is not None else value)
    return tuple(mapped)


@lru_cache(maxsize=1024)
def is_dmarc_text(text: str) -> bool:
    """Whether receivers select ``text`` as a DMARC record (cached: a round asks per server)."""
    return parse_dmarc(text).is_dmarc


@lru_cache(maxsize=1024)
def equivalent_txt(a: str, b: str) -> bool:
    """True when two SPF or two DMARC records mean the same to a receiver."""
    if a == b:
        return True
    if is_spf_text(a) and is_spf_text(b):
        ra, rb = parse_spf(a), parse_spf(b)
        if ra.errors or rb.errors or len(ra.terms) != len(rb.terms):
            return False
        return all(
            x.effective_qualifier == y.effective_qualifier and x.same_as(y)
            for x, y in zip(ra.terms, rb.terms, strict=True)
        )
    da, db = parse_dmarc(a), parse_dmarc(b)
    if not (da.is_dmarc and db.is_dmarc and da.valid and db.valid):
        return False
    same_tags = dict(da.tags or {}) == dict(db.tags or {})
    return same_tags and da.valid_rfc7489 == db.valid_rfc7489

"""DMARC policy discovery: the RFC 9989 DNS tree walk (s4.10), and the RFC 7489 PSL path.

RFC 9989: query the author domain, then its parents up to the TLD (at most 8 queries), stopping
at a record with psd=y or psd=n. The organizational domain is chosen among the names that had a
record, longest first: psd=n makes that name it; psd=y (not on the starting name) makes the
name one label below it; otherwise the name with the fewest labels; with no record at all, the
starting name. The policy is the author domain's own record (its p) if it has one, otherwise
the organizational domain's record, or the public suffix's, with sp for an existing author
domain and np for a non-existent one, each falling back to p.

RFC 7489: ``_dmarc.<author>``, then ``_dmarc.<PSL registered domain>``; nothing in between.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sesdmarc_tui.core.dmarc.notes import discovery_notes
from sesdmarc_tui.core.dmarc.resolve import DmarcAt, MemoLookup, dmarc_name, query_dmarc
from sesdmarc_tui.core.dmarc.tree import TreeWalk, tree_walk
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import is_subdomain, org_domain_psl


@dataclass(frozen=True)
class Rfc7489Discovery:
    organizational_domain: str
    policy_domain: str | None
    policy: str | None
    applied_policy: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "organizational_domain": self.organizational_domain,
            "policy_domain": self.policy_domain,
            "policy": self.policy,
        }


@dataclass(frozen=True)
class Discovery:
    author_domain: str
    author_domain_missing: bool
    walk: TreeWalk
    policy_at: DmarcAt | None
    policy: str | None
    applied_policy: str | None  # the tag that supplied the policy: p, sp or np
    dmarc_applies: bool
    queries: tuple[str, ...]
    rfc7489: Rfc7489Discovery
    multiple_records: tuple[str, ...]
    dns_errors: tuple[tuple[str, str], ...]  # (query name, error)
    notes: tuple[str, ...]
    asked: tuple[DmarcAt, ...] = ()  # every _dmarc name asked, in order, with its outcome

    @property
    def organizational_domain(self) -> str:
        return self.walk.organizational_domain

    @property
    def policy_domain(self) -> str | None:
        return self.policy_at.domain if self.policy_at else None

    @property
    def policy_record(self) -> str | None:
        return self.policy_at.record.text if self.policy_at and self.policy_at.record else None

    @property
    def complete(self) -> bool:
        return not self.dns_errors

    def to_json(self) -> dict[str, Any]:
        return {
            "author_domain": self.author_domain,
            "organizational_domain": self.organizational_domain,
            "policy_domain": self.policy_domain,
            "policy_record": self.policy_record,
            "policy": self.policy,
            "applied_policy": self.applied_policy,
            "dmarc_applies": self.dmarc_applies,
            "queries": list(self.queries),
            "rfc7489": self.rfc7489.to_json(),
            "dns_errors": [{"query": q, "error": e} for q, e in self.dns_errors],
            "multiple_records": list(self.multiple_records),
            "notes": list(self.notes),
        }


def organizational_domain_tree_walk(domain: str, lookup: Lookup) -> str:
    """The RFC 9989 organizational domain of ``domain`` (DNS errors count as no record).

    Use ``tree_walk`` to see whether DNS errors made the answer uncertain.
    """
    return tree_walk(domain, lookup).organizational_domain


def discover_policy(domain: str, lookup: Lookup, author_domain_missing: bool = False) -> Discovery:
    """Discover the policy for mail From ``domain`` (normalised); never raises on DNS."""
    memo = MemoLookup(lookup)
    walk = tree_walk(domain, memo)
    policy_at = _policy_record(walk)
    policy, applied, applies = _applied(domain, policy_at, author_domain_missing)
    rfc7489 = _rfc7489(domain, memo)
    asked = _asked(memo)
    multiple = tuple(s.query for s in asked if s.status == "multiple")
    errors = tuple((s.query, s.error or "") for s in asked if s.status == "error")
    discovery = Discovery(
        author_domain=domain,
        author_domain_missing=author_domain_missing,
        walk=walk,
        policy_at=policy_at,
        policy=policy,
        applied_policy=applied,
        dmarc_applies=applies,
        queries=tuple(name for name, rdtype in memo.queries if rdtype == "TXT"),
        rfc7489=rfc7489,
        multiple_records=multiple,
        dns_errors=errors,
        notes=(),
        asked=tuple(asked),
    )
    return replace(discovery, notes=tuple(discovery_notes(discovery, asked)))


def _asked(memo: MemoLookup) -> list[DmarcAt]:
    return [
        query_dmarc(name.removeprefix("_dmarc."), memo)
        for name, rdtype in memo.queries
        if rdtype == "TXT" and name.startswith("_dmarc.")
    ]


def _policy_record(walk: TreeWalk) -> DmarcAt | None:
    author = walk.steps[0]
    if author.status == "record":
        return author
    for step in walk.found:
        if step.domain == walk.organizational_domain:
            return step
    for step in walk.found:
        if step.domain == walk.psd_domain:
            return step
    return None


def _applied(
    author: str, policy_at: DmarcAt | None, missing: bool
) -> tuple[str | None, str | None, bool]:
    if policy_at is None or policy_at.record is None or policy_at.record.effective is None:
        return None, None, False
    record = policy_at.record
    effective = policy_at.record.effective
    if policy_at.domain == author or not is_subdomain(author, policy_at.domain, strict=True):
        tag = "p"
        value = effective.p
    elif missing:
        tag = next((t for t in ("np", "sp") if record.has_valid(t)), "p")
        value = effective.np
    else:
        tag = "sp" if record.has_valid("sp") else "p"
        value = effective.sp
    if not effective.applies:
        return None, tag, False
    return value, tag, True


def _rfc7489(author: str, memo: MemoLookup) -> Rfc7489Discovery:
    org = org_domain_psl(author)
    at = query_dmarc(author, memo)
    tag = "p"
    if at.status != "record" and org != author:
        at = query_dmarc(org, memo)
        tag = "sp"
    if at.status != "record" or at.record is None:
        return Rfc7489Discovery(org, None, None, None)
    return Rfc7489Discovery(org, at.domain, *_policy_7489(at, tag))


def _policy_7489(at: DmarcAt, tag: str) -> tuple[str | None, str | None]:
    """RFC 7489 s6.6.3: a missing or invalid p (or invalid sp) means p=none if rua works."""
    record = at.record
    assert record is not None
    broken = not record.has_valid("p") or (
        "sp" in (record.tags or {}) and not record.has_valid("sp")
    )
    if record.duplicates:
        return None, None
    if broken:
        return ("none", "p") if record.has_valid_rua else (None, None)
    if tag == "sp" and record.has_valid("sp"):
        return record.tag("sp"), "sp"
    return record.tag("p"), "p"


__all__ = [
    "Discovery",
    "Rfc7489Discovery",
    "TreeWalk",
    "discover_policy",
    "dmarc_name",
    "organizational_domain_tree_walk",
    "tree_walk",
]

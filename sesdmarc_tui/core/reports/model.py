"""DMARC aggregate reports as plain data: what a receiver said about mail using the domain.

One :class:`Report` per XML document (RFC 7489 Appendix C or RFC 9990), with its rows as
:class:`Row`. Values are normalised when parsed (lower-case results and dispositions, IP
addresses in compressed form, domains lower-case without a trailing dot), so the aggregation
never has to guess. :class:`Problem` says why an input was refused or flagged; nothing in
this package raises for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Schema = Literal["rfc7489", "rfc9990"]
ProblemKind = Literal[
    "malformed_xml",
    "entities_refused",
    "too_large",
    "not_a_report",
    "invalid_report",
    "too_many_records",
    "time_budget",
    "duplicate",
    "overlap",
    "decompression_limit",
    "unreadable",
    "no_report_found",
]


@dataclass(frozen=True)
class Problem:
    """One refused or suspicious input: ``source`` names it (file, S3 key, attachment)."""

    source: str
    kind: ProblemKind
    message: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class DkimAuth:
    domain: str
    selector: str
    result: str  # RFC 8601 s2.7.1: none, pass, fail, policy, neutral, temperror, permerror


@dataclass(frozen=True)
class SpfAuth:
    domain: str
    scope: str  # "mfrom", "helo" or "" when the report does not say
    result: str  # RFC 8601 s2.7.2: none, neutral, pass, fail, softfail, temperror, permerror


@dataclass(frozen=True)
class Row:
    """One ``<record>``: ``count`` messages from ``source_ip`` with the same results."""

    source_ip: str
    count: int
    disposition: str  # none, quarantine, reject; RFC 9990 adds pass
    dkim_aligned: bool  # policy_evaluated/dkim == pass: a DKIM signature passed and aligned
    spf_aligned: bool  # policy_evaluated/spf == pass
    header_from: str
    envelope_from: str = ""
    envelope_to: str = ""
    reasons: tuple[str, ...] = ()  # policy override types (forwarded, mailing_list, ...)
    dkim: tuple[DkimAuth, ...] = ()
    spf: tuple[SpfAuth, ...] = ()

    @property
    def aligned(self) -> bool:
        """DMARC pass: aligned DKIM or aligned SPF, as the receiver evaluated it."""
        return self.dkim_aligned or self.spf_aligned


@dataclass(frozen=True)
class PolicyPublished:
    domain: str
    p: str
    sp: str = ""
    np: str = ""  # RFC 9990
    adkim: str = ""
    aspf: str = ""
    testing: str = ""  # RFC 9990: the t tag, "y" or "n"
    pct: int | None = None  # RFC 7489 only
    fo: str = ""
    discovery_method: str = ""  # RFC 9990: "psl" or "treewalk"

    @property
    def test_mode(self) -> bool:
        """The receiver saw a test stage: t=y (RFC 9989) or pct=0 (RFC 7489)."""
        return self.testing == "y" or self.pct == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "p": self.p,
            "sp": self.sp or None,
            "np": self.np or None,
            "adkim": self.adkim or None,
            "aspf": self.aspf or None,
            "testing": self.testing or None,
            "pct": self.pct,
            "fo": self.fo or None,
            "discovery_method": self.discovery_method or None,
        }


@dataclass(frozen=True)
class Report:
    schema: Schema
    org_name: str
    email: str
    report_id: str
    begin: int  # UTC seconds since the epoch
    end: int
    policy: PolicyPublished
    rows: tuple[Row, ...]
    source: str = ""
    generator: str = ""  # RFC 9990
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # values the parser corrected

    @property
    def key(self) -> tuple[str, str]:
        """Report-IDs are unique per reporter (RFC 9990 "Definition of Report-ID")."""
        return (self.org_name.lower(), self.report_id)

    @property
    def messages(self) -> int:
        return sum(r.count for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "org_name": self.org_name,
            "email": self.email,
            "report_id": self.report_id,
            "begin": self.begin,
            "end": self.end,
            "generator": self.generator or None,
            "policy_published": self.policy.to_json(),
            "rows": len(self.rows),
            "messages": self.messages,
            "source": self.source,
            "errors": list(self.errors),
        }

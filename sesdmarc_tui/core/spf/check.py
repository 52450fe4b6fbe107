"""``spf check``: everything about a domain's SPF record, in the shape of the JSON contract.

Evaluation for a given IP (pyspf) lives in ``sesdmarc_tui.dns.spf_eval`` because pyspf imports
dnspython's resolver; callers attach its result with ``SpfCheck.with_evaluation``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import normalize_domain
from sesdmarc_tui.core.spf.count import LookupCount, count_lookups
from sesdmarc_tui.core.spf.findings import first_error_kind

SPF_RESULTS = ("pass", "fail", "softfail", "neutral", "none", "permerror", "temperror")


@dataclass(frozen=True)
class Evaluation:
    ip: str
    result: str
    sender: str = ""
    helo: str = ""
    explanation: str = ""

    def to_json(self) -> dict[str, str]:
        return {"ip": self.ip, "result": self.result}


@dataclass(frozen=True)
class SpfCheck:
    domain: str
    records: tuple[str, ...]
    dns_lookups: int
    void_lookups: int
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    count: LookupCount
    evaluation: Evaluation | None = None

    @property
    def error_kind(self) -> str | None:
        return first_error_kind(self.errors)

    @property
    def valid(self) -> bool:
        return self.error_kind is None

    def with_evaluation(self, evaluation: Evaluation) -> SpfCheck:
        return replace(self, evaluation=evaluation)

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "domain": self.domain,
            "records": list(self.records),
            "valid": self.valid,
            "dns_lookups": self.dns_lookups,
            "void_lookups": self.void_lookups,
            "error_kind": self.error_kind,
            "warnings": [w.to_json() for w in self.warnings],
        }
        if self.evaluation is not None:
            payload["evaluation"] = self.evaluation.to_json()
        return payload


def check_spf(domain: str, lookup: Lookup) -> SpfCheck:
    """Check the SPF record of ``domain`` through ``lookup``.

    Raises ``DomainError`` for a name that is not a domain.
    """
    # Underscore names such as _spf.example.com are common include targets worth checking.
    name = normalize_domain(domain, allow_underscore=True)
    count = count_lookups(name, lookup)
    return SpfCheck(
        domain=name,
        records=count.records,
        dns_lookups=count.dns_lookups,
        void_lookups=count.void_lookups,
        errors=count.errors,
        warnings=count.warnings,
        count=count,
    )

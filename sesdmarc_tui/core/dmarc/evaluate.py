"""DMARC evaluation of one message's authentication results (RFC 9989 s4.4, s5.3).

DMARC passes when any passing DKIM signature's d= aligns with the From domain (adkim), or SPF
passed for a MAIL FROM domain that aligns (aspf). Relaxed alignment compares RFC 9989 tree-walk
organizational domains, asked through the lookup. The disposition of failing mail is the
discovered policy, one level lower with t=y; passing mail and mail without a policy get none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from sesdmarc_tui.core.alignment import aligned
from sesdmarc_tui.core.dmarc.discover import Discovery, discover_policy
from sesdmarc_tui.core.dmarc.resolve import MemoLookup
from sesdmarc_tui.core.dmarc.tree import tree_walk
from sesdmarc_tui.core.dmarc.values import lower_policy, pct_value
from sesdmarc_tui.core.lookup import Lookup

SPF_RESULTS = ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror")
DKIM_RESULTS = ("pass", "fail", "neutral", "temperror", "permerror", "none", "policy")

# "temperror" is beyond pass/fail/none: DNS errors left the policy or an alignment unknown.
DmarcResult = Literal["pass", "fail", "none", "temperror"]


@dataclass(frozen=True)
class DkimCheck:
    domain: str
    result: str
    aligned: bool  # the signature passed and its d= aligns with the From domain

    def to_json(self) -> dict[str, Any]:
        return {"domain": self.domain, "result": self.result, "aligned": self.aligned}


@dataclass(frozen=True)
class Evaluation:
    dmarc: DmarcResult
    dkim_aligned: bool
    spf_aligned: bool
    disposition: str | None
    discovery: Discovery
    signatures: tuple[DkimCheck, ...]
    mail_from: str
    spf_result: str
    adkim: str | None
    aspf: str | None
    testing: bool
    notes: tuple[str, ...]
    dns_errors: tuple[tuple[str, str], ...]

    @property
    def policy_domain(self) -> str | None:
        return self.discovery.policy_domain

    def to_json(self) -> dict[str, Any]:
        return {
            "dmarc": self.dmarc,
            "dkim_aligned": self.dkim_aligned,
            "spf_aligned": self.spf_aligned,
            "policy_domain": self.policy_domain,
            "disposition": self.disposition,
            "policy": self.discovery.policy,
            "applied_policy": self.discovery.applied_policy,
            "organizational_domain": self.discovery.organizational_domain,
            "adkim": self.adkim,
            "aspf": self.aspf,
            "testing": self.testing,
            "dkim": [s.to_json() for s in self.signatures],
            "spf": {"domain": self.mail_from, "result": self.spf_result},
            "dns_errors": [{"query": q, "error": e} for q, e in self.dns_errors],
            "notes": list(self.notes),
        }


def evaluate_dmarc(
    from_domain: str,
    mail_from: str,
    spf_result: str,
    dkim_results: Iterable[tuple[str, str]],
    lookup: Lookup,
    *,
    author_domain_missing: bool = False,
) -> Evaluation:
    """Evaluate DMARC for normalised domains; ``dkim_results`` are (d=, result) pairs.

    Raises ``ValueError`` for a result word outside RFC 7208 (SPF) or RFC 8601 (DKIM).
    """
    spf = spf_result.lower()
    if spf not in SPF_RESULTS:
        raise ValueError(f"SPF result must be one of {', '.join(SPF_RESULTS)}, not {spf_result!r}")
    dkim = [(d, r.lower()) for d, r in dkim_results]
    for _, result in dkim:
        if result not in DKIM_RESULTS:
            raise ValueError(
                f"DKIM result must be one of {', '.join(DKIM_RESULTS)}, not {result!r}"
            )
    memo = MemoLookup(lookup)
    discovery = discover_policy(from_domain, memo, author_domain_missing)
    record = discovery.policy_at.record if discovery.policy_at else None
    effective = record.effective if record else None
    adkim = effective.adkim if effective else None
    aspf = effective.aspf if effective else None
    walk_errors: list[tuple[str, str]] = []

    def org_domain(name: str) -> str:
        walk = tree_walk(name, memo)
        walk_errors.extend((s.query, s.error or "") for s in walk.dns_errors)
        return walk.organizational_domain

    signatures = tuple(
        DkimCheck(d, r, r == "pass" and aligned(d, from_domain, _mode(adkim), org_domain))
        for d, r in dkim
    )
    spf_aligned = spf == "pass" and aligned(mail_from, from_domain, _mode(aspf), org_domain)
    dkim_aligned = any(s.aligned for s in signatures)
    errors = tuple(dict.fromkeys([*discovery.dns_errors, *walk_errors]))
    testing = bool(effective and effective.t == "y")
    result = _result(discovery, dkim_aligned or spf_aligned, bool(errors))
    disposition = _disposition(result, discovery.policy, testing)
    evaluation = Evaluation(
        dmarc=result,
        dkim_aligned=dkim_aligned,
        spf_aligned=spf_aligned,
        disposition=disposition,
        discovery=discovery,
        signatures=signatures,
        mail_from=mail_from,
        spf_result=spf,
        adkim=adkim,
        aspf=aspf,
        testing=testing,
        notes=(),
        dns_errors=errors,
    )
    return replace(evaluation, notes=tuple(_notes(evaluation)))


def _mode(mode: str | None) -> Literal["r", "s"]:
    return "s" if mode == "s" else "r"


def _result(discovery: Discovery, passed: bool, dns_errors: bool) -> DmarcResult:
    if dns_errors:
        return "temperror"
    if not discovery.dmarc_applies:
        return "none"
    return "pass" if passed else "fail"


def _disposition(result: DmarcResult, policy: str | None, testing: bool) -> str | None:
    if result == "temperror":
        return None
    if result != "fail" or policy is None:
        return "none"
    return lower_policy(policy) if testing else policy


def _notes(e: Evaluation) -> list[str]:
    from_domain = e.discovery.author_domain
    result = e.dmarc
    notes: list[str] = []
    if result == "temperror":
        notes.append("DNS errors left the policy or an alignment unknown; retry when DNS answers.")
    if result == "none":
        notes.append(
            f"No DMARC policy applies to {from_domain}, so DMARC neither passes nor fails."
        )
    org = e.discovery.organizational_domain
    passing = [s for s in e.signatures if s.result == "pass"]
    if passing and not any(s.aligned for s in passing):
        names = ", ".join(dict.fromkeys(s.domain for s in passing))
        cause = (
            "Easy DKIM for the identity is not active yet (only SES's own signature is there)"
            if all(s.domain.endswith("amazonses.com") for s in passing)
            else f"sign with d={org} or a name under it"
        )
        notes.append(
            f"DKIM passed only for {names}, which does not align with {from_domain}: {cause}."
        )
    if e.spf_result == "pass" and not e.spf_aligned:
        notes.append(
            f"SPF passed for {e.mail_from}, which does not align with {from_domain}: set up a "
            f"custom MAIL FROM domain under {org} (e.g. mail.{org})."
        )
    record = e.discovery.policy_at.record if e.discovery.policy_at else None
    if result == "fail" and record is not None:
        pct = pct_value(record.tag("pct") or "")
        if pct is not None and pct < 100:
            notes.append(
                f"pct={pct}: RFC 7489 receivers apply the policy to {pct}% of failing mail and "
                "one level lower to the rest; RFC 9989 receivers ignore pct."
            )
        if record.tag("t") == "y":
            notes.append(
                "t=y: RFC 9989 receivers apply the policy one level lower (the disposition "
                "shown); RFC 7489 receivers ignore t."
            )
    return notes

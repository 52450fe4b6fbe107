"""The DMARC linter: the record's own findings plus operational advice for SES senders.

Verdict: ``error`` when any error was found (the wizard refuses to publish), ``warn`` when
only warnings were, ``ok`` otherwise. Errors use only the contract's closed list of kinds; the
advice below is always a warning, because each of these records is valid and receivers apply
it, it just does not do what the operator probably wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sesdmarc_tui.core.dmarc import findings as k
from sesdmarc_tui.core.dmarc.external import ExternalDestination, external_destinations
from sesdmarc_tui.core.dmarc.record import DmarcRecord, parse_dmarc
from sesdmarc_tui.core.dmarc.values import POLICY_RANK, pct_value
from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import org_domain_psl

Verdict = Literal["ok", "warn", "error"]


@dataclass(frozen=True)
class LintResult:
    record: DmarcRecord
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    domain: str | None = None
    external: tuple[ExternalDestination, ...] | None = None

    @property
    def valid(self) -> bool:
        return self.record.valid

    @property
    def valid_rfc7489(self) -> bool:
        return self.record.valid_rfc7489

    @property
    def verdict(self) -> Verdict:
        if self.errors:
            return "error"
        return "warn" if self.warnings else "ok"

    def to_json(self) -> dict[str, Any]:
        effective = self.record.effective
        payload: dict[str, Any] = {
            "valid": self.valid,
            "valid_rfc7489": self.valid_rfc7489,
            "verdict": self.verdict,
            "tags": self.record.tags_json(),
            "effective": effective.to_json() if effective else None,
            "errors": [f.to_json() for f in self.errors],
            "warnings": [f.to_json() for f in self.warnings],
        }
        if self.external is not None:
            payload["external_destinations"] = [d.to_json() for d in self.external]
        return payload


def lint_dmarc(text: str, domain: str | None = None, lookup: Lookup | None = None) -> LintResult:
    """Lint ``text``; with ``domain`` (the policy domain, normalised) also check rua/ruf hosts.

    Without ``lookup`` the external destinations are listed but not verified. Never raises.
    """
    record = parse_dmarc(text)
    if not record.is_dmarc:
        return LintResult(record, record.errors, (), domain, () if domain else None)
    warnings = list(record.warnings)
    warnings.extend(_advice(record))
    external: tuple[ExternalDestination, ...] | None = None
    if domain is not None:
        warnings.extend(_domain_advice(record, domain))
        external = tuple(external_destinations(record, domain, lookup))
        warnings.extend(_external_warnings(external))
    return LintResult(record, record.errors, tuple(warnings), domain, external)


def _advice(record: DmarcRecord) -> list[Finding]:
    found: list[Finding] = []
    tag = record.tag
    if "rua" not in (record.tags or {}):
        found.append(
            Finding(
                k.NO_RUA,
                "There is no rua, so no receiver sends aggregate reports: monitoring produces "
                "nothing and you cannot tell when it is safe to tighten the policy. Add "
                "rua=mailto:dmarc-reports@<your domain>.",
            )
        )
    found.extend(_removed_tag_advice(record))
    if tag("t") == "y":
        found.append(_t_advice(record))
    if tag("aspf") == "s":
        found.append(
            Finding(
                k.ASPF_STRICT,
                "aspf=s (strict SPF alignment) can never pass with SES: the custom MAIL FROM "
                "domain must be a subdomain (e.g. mail.example.com), never the From domain "
                "itself, so only DKIM can align. Remove aspf=s (relaxed is the default).",
            )
        )
    if tag("adkim") == "s":
        found.append(
            Finding(
                k.ADKIM_STRICT,
                "adkim=s (strict DKIM alignment) fails for mail sent From a subdomain such as "
                "news.example.com, which SES signs with d=example.com. Remove adkim=s unless "
                "every From domain is a verified SES identity of its own.",
            )
        )
    found.extend(_subdomain_policy_advice(record))
    if "fo" in (record.tags or {}) and "ruf" not in (record.tags or {}):
        found.append(
            Finding(
                k.FO_WITHOUT_RUF,
                "fo is ignored without ruf (it only chooses when failure reports are sent). "
                "Remove fo, or add ruf=mailto:... if you really want failure reports.",
            )
        )
    if tag("psd") == "y":
        found.append(
            Finding(
                k.PSD_Y,
                "psd=y declares this domain a public suffix (like a TLD) and makes each of "
                "its subdomains a separate organization: only public-suffix operators publish "
                "it. Remove psd=y.",
            )
        )
    return found


def _removed_tag_advice(record: DmarcRecord) -> list[Finding]:
    found: list[Finding] = []
    tag = record.tag
    pct_text = tag("pct")
    if pct_text is not None:
        found.append(Finding(k.PCT_REMOVED, _pct_message(record, pct_value(pct_text))))
    if tag("rf") is not None:
        found.append(
            Finding(
                k.RF_REMOVED,
                "rf (failure report format) was removed in RFC 9989; receivers only send AFRF "
                "anyway. Remove it.",
            )
        )
    if tag("ri") is not None:
        found.append(
            Finding(
                k.RI_REMOVED,
                "ri (report interval) was removed in RFC 9989, and receivers send aggregate "
                "reports daily whatever it says. Remove it.",
            )
        )
    return found


def _pct_message(record: DmarcRecord, pct: int | None) -> str:
    base = "pct was removed in RFC 9989: updated receivers ignore it."
    policy = record.tag("p") or "none"
    if pct == 0 and record.tag("t") == "y":
        return (
            f"{base} Here pct=0 serves RFC 7489 receivers while t=y serves RFC 9989 ones, so "
            f"both apply the policy one level below p={policy}: this is the staged test mode. "
            "Keep both until the reports show that the next stage is safe."
        )
    if pct == 0:
        return (
            f"{base} pct=0 makes RFC 7489 receivers apply one level below p={policy}, but RFC "
            f"9989 receivers apply p={policy} in full. Add t=y to test at both."
        )
    if pct is not None and pct < 100 and policy != "none":
        return (
            f"{base} pct={pct} means {pct}% at RFC 7489 receivers but 100% at RFC 9989 "
            f"receivers, which apply p={policy} to all failing mail. Ramp up with the staged "
            "ladder (t=y with pct=0) instead."
        )
    return f"{base} Remove it."


def _t_advice(record: DmarcRecord) -> Finding:
    policy = record.tag("p") or "none"
    if policy == "none":
        detail = "t=y has no effect on p=none. Remove it."
    elif pct_value(record.tag("pct") or "") == 0:
        detail = "pct=0 next to it gives RFC 7489 receivers the same one-level-lower policy."
    else:
        detail = (
            f"RFC 7489 receivers ignore t and apply p={policy} in full: add pct=0 so they test too."
        )
    return Finding(
        k.T_IGNORED_BY_7489,
        "t=y (test mode) is an RFC 9989 tag: updated receivers apply the policy one level "
        f"lower. {detail}",
    )


def _subdomain_policy_advice(record: DmarcRecord) -> list[Finding]:
    found: list[Finding] = []
    p = record.tag("p") if record.has_valid("p") else None
    sp = record.tag("sp") if record.has_valid("sp") else None
    np = record.tag("np") if record.has_valid("np") else None
    if p and sp and POLICY_RANK[sp] < POLICY_RANK[p]:
        found.append(
            Finding(
                k.SP_WEAKER,
                f"sp={sp} is weaker than p={p}: spoofed mail From any subdomain (which anyone "
                "can invent) gets the weaker treatment. Use sp at least as strict as p unless "
                "a subdomain is still being set up.",
            )
        )
    base = sp or p
    if base and np and POLICY_RANK[np] < POLICY_RANK[base]:
        found.append(
            Finding(
                k.NP_WEAKER,
                f"np={np} is weaker than the policy for existing subdomains ({base}): mail "
                "from non-existent subdomains is never legitimate, so np should be at least "
                "as strict.",
            )
        )
    return found


def _domain_advice(record: DmarcRecord, domain: str) -> list[Finding]:
    # psd=n makes the record's domain an organizational domain, where sp does apply.
    subdomain = org_domain_psl(domain) != domain and record.tag("psd") != "n"
    if "sp" in (record.tags or {}) and subdomain:
        return [
            Finding(
                k.SP_IGNORED_ON_SUBDOMAIN,
                f"sp is ignored in a record for {domain}, which is a subdomain of "
                f"{org_domain_psl(domain)} (RFC 9989 s4.7): put sp in the record of "
                f"{org_domain_psl(domain)} instead.",
            )
        ]
    return []


def _external_warnings(destinations: tuple[ExternalDestination, ...]) -> list[Finding]:
    return [
        Finding(k.EXTERNAL_NEEDS_AUTH, d.detail)
        for d in destinations
        if d.needs_authorization and d.authorized is not True
    ]

"""The verdict on a received message, and its JSON form (contract C6, ``verify-message``).

The contract's keys come first, in the contract's order; everything after them is extra
detail for people and scripts that want the why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sesdmarc_tui.core.message.dkim_reasons import DkimOutcome
from sesdmarc_tui.core.message.message import ParsedMessage
from sesdmarc_tui.core.message.trust import IgnoredHeader

Status = Literal["pass", "info", "warn", "error"]
Verdict = Literal["ok", "warn", "error"]


@dataclass(frozen=True)
class Check:
    check: str  # input, from, dkim, authentication_results, mail_from, spf, dmarc
    status: Status
    message: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "status": self.status,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class SignatureReport:
    outcome: DkimOutcome
    aligned_relaxed: bool | None  # None without a single From domain
    aligned_strict: bool | None

    def to_json(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "index": o.index,
            "d": o.d,
            "s": o.s,
            "result": o.result,
            "detail": o.detail,
            "aligned_relaxed": self.aligned_relaxed,
            "aligned_strict": self.aligned_strict,
            "reason": o.reason,
            "algorithm": o.algorithm,
            "key_name": o.key_name,
            "key_cname_chain": list(o.cname_chain),
            "key_bits": o.key_bits,
            "fix": o.fix,
        }


@dataclass(frozen=True)
class ReceiverDkim:
    domain: str | None
    header_i: str | None
    result: str


@dataclass(frozen=True)
class ReceiverView:
    """The trusted receiver's Authentication-Results, in the contract's shape."""

    authserv_id: str | None
    dkim: tuple[ReceiverDkim, ...]
    spf: tuple[str | None, str, str | None] | None  # (domain, result, smtp.mailfrom)
    dmarc: tuple[str | None, str | None, str] | None  # (header.from, policy comment, result)
    receiver_disposition: str | None
    aligned_dkim: bool | None
    aligned_spf: bool | None
    position: int

    def to_json(self) -> dict[str, Any]:
        spf = dmarc = None
        if self.spf is not None:
            spf = {"domain": self.spf[0], "result": self.spf[1], "smtp.mailfrom": self.spf[2]}
        if self.dmarc is not None:
            dmarc = {
                "header.from": self.dmarc[0],
                "policy_comment": self.dmarc[1],
                "result": self.dmarc[2],
            }
        return {
            "authserv_id": self.authserv_id,
            "dkim": [
                {"domain": d.domain, "header.i": d.header_i, "result": d.result} for d in self.dkim
            ],
            "spf": spf,
            "dmarc": dmarc,
            "aligned": {"dkim": self.aligned_dkim, "spf": self.aligned_spf},
            "disposition": self.receiver_disposition,
            "position": self.position,
        }


@dataclass(frozen=True)
class DmarcView:
    ours: str | None  # pass, fail, none, temperror; None when DMARC cannot apply
    receiver: str | None
    disposition: str | None
    receiver_disposition: str | None
    policy_domain: str | None
    policy: str | None
    adkim: str | None
    aspf: str | None
    org_domain_psl: str | None
    org_domain_tree_walk: str | None
    note: str | None
    basis: str

    def to_json(self) -> dict[str, Any]:
        return {
            "ours": self.ours,
            "receiver": self.receiver,
            "disposition": self.disposition,
            "receiver_disposition": self.receiver_disposition,
            "policy_domain": self.policy_domain,
            "policy": self.policy,
            "adkim": self.adkim,
            "aspf": self.aspf,
            "org_domain_psl": self.org_domain_psl,
            "org_domain_tree_walk": self.org_domain_tree_walk,
            "note": self.note,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class SpfView:
    return_path_domain: str | None
    mail_from_domain: str | None  # what SPF was checked for, as far as we know
    mail_from_source: str | None  # "authentication-results" or "return-path"
    expected_mail_from: str | None
    custom_mail_from_active: bool | None
    receiver_result: str | None
    aligned_relaxed: bool | None
    aligned_strict: bool | None

    def to_json(self) -> dict[str, Any]:
        return {
            "return_path_domain": self.return_path_domain,
            "mail_from_domain": self.mail_from_domain,
            "mail_from_source": self.mail_from_source,
            "expected_mail_from": self.expected_mail_from,
            "custom_mail_from_active": self.custom_mail_from_active,
            "receiver_result": self.receiver_result,
            "aligned_relaxed": self.aligned_relaxed,
            "aligned_strict": self.aligned_strict,
        }


@dataclass(frozen=True)
class MessageReport:
    message: ParsedMessage
    signatures: tuple[SignatureReport, ...]
    receiver: ReceiverView | None
    dmarc: DmarcView
    spf: SpfView
    findings: tuple[Check, ...]
    assumptions: tuple[str, ...]
    notes: tuple[str, ...]
    ignored: tuple[IgnoredHeader, ...]

    @property
    def from_domain(self) -> str | None:
        return self.message.from_domain

    @property
    def dkim_aligned_pass_relaxed(self) -> bool:
        return any(s.outcome.passed and s.aligned_relaxed for s in self.signatures)

    @property
    def dkim_aligned_pass_strict(self) -> bool:
        return any(s.outcome.passed and s.aligned_strict for s in self.signatures)

    @property
    def verdict(self) -> Verdict:
        statuses = {f.status for f in self.findings}
        if "error" in statuses:
            return "error"
        return "warn" if "warn" in statuses else "ok"

    def to_json(self) -> dict[str, Any]:
        m = self.message
        return {
            "from_domain": self.from_domain,
            "signatures": [s.to_json() for s in self.signatures],
            "dkim_aligned_pass_relaxed": self.dkim_aligned_pass_relaxed,
            "dkim_aligned_pass_strict": self.dkim_aligned_pass_strict,
            "return_path_domain": m.return_path_domain,
            "authentication_results": self.receiver.to_json() if self.receiver else None,
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
            "dmarc": self.dmarc.to_json(),
            "spf": self.spf.to_json(),
            "assumptions": list(self.assumptions),
            "notes": list(self.notes),
            "ignored_authentication_results": [
                {"position": i.position, "authserv_id": i.authserv_id, "why": i.why}
                for i in self.ignored
            ],
            "input": {
                "size": m.size,
                "line_endings": m.line_endings,
                "headers_only": m.headers_only,
                "body_size": m.body_size,
                "refused": m.refused,
                "from_addresses": list(m.from_info.addresses),
                "from_problem": m.from_info.problem,
                "return_path": m.return_path,
                "problems": list(m.problems),
            },
        }

"""The whole check of a received message, from parsed input and DKIM outcomes to a report.

DKIM is re-verified by us (the outcomes come from ``sesdmarc_tui.dns.dkim_verify``); SPF
cannot be redone without the connecting IP, so its result is the trusted receiver's. DMARC is
computed by us with the C5 logic (``core.dmarc.evaluate``) and shown next to the receiver's.
"""

from __future__ import annotations

from collections.abc import Sequence

from sesdmarc_tui.core.alignment import relaxed_aligned, strictly_aligned
from sesdmarc_tui.core.dmarc.evaluate import DKIM_RESULTS, SPF_RESULTS, Evaluation, evaluate_dmarc
from sesdmarc_tui.core.dmarc.resolve import MemoLookup
from sesdmarc_tui.core.dmarc.tree import tree_walk
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.message.authres import parse_authres
from sesdmarc_tui.core.message.checks import Facts, findings
from sesdmarc_tui.core.message.dkim_reasons import DkimOutcome
from sesdmarc_tui.core.message.message import ParsedMessage
from sesdmarc_tui.core.message.receiver import dkim_results, domain_part, receiver_view, spf_result
from sesdmarc_tui.core.message.report import (
    Check,
    DmarcView,
    MessageReport,
    ReceiverView,
    SignatureReport,
    SpfView,
)
from sesdmarc_tui.core.message.trust import TrustChoice, choose_trusted
from sesdmarc_tui.core.names import is_subdomain, org_domain_psl

_SPF_ALIASES = {"hardfail": "fail", "soft-fail": "softfail", "temperr": "temperror"}


class _OrgDomains:
    """RFC 9989 tree-walk organizational domains, each name walked once per report."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = MemoLookup(lookup)
        self._cache: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._cache:
            walk = tree_walk(name, self.lookup)
            # With no DMARC record on the way DMARC does not apply and every name would be its
            # own organizational domain; show alignment as it will be once the record exists.
            found = walk.found or walk.dns_errors
            self._cache[name] = walk.organizational_domain if found else org_domain_psl(name)
        return self._cache[name]


def build_report(
    message: ParsedMessage,
    outcomes: Sequence[DkimOutcome],
    lookup: Lookup,
    *,
    trusted_authserv_id: str | None = None,
    expected_mail_from: str | None = None,
) -> MessageReport:
    """Combine everything into the report; DNS only through ``lookup``; never raises."""
    if message.refused is not None:
        return _refused(message)
    orgs = _OrgDomains(lookup)
    from_domain = message.from_domain
    signatures = tuple(_signature(o, from_domain, orgs) for o in outcomes)
    headers = [
        parse_authres(h.value, position, h.index)
        for position, h in enumerate(message.fields("authentication-results"))
    ]
    trust = choose_trusted(headers, trusted_authserv_id)
    spf = spf_result(trust.chosen) if trust.chosen else None
    if spf and spf[0]:
        mail_from, source = spf[0], "authentication-results"
    elif message.return_path_domain:
        mail_from, source = message.return_path_domain, "return-path"
    else:
        mail_from, source = None, None
    notes: list[str] = []
    spf_word = _spf_word(spf[1] if spf else None, notes)
    pairs, dkim_basis = _dkim_pairs(signatures, trust, notes)
    evaluation = None
    if from_domain is not None:
        evaluation = evaluate_dmarc(from_domain, mail_from or "", spf_word, pairs, orgs.lookup)
        if evaluation.dmarc in ("pass", "fail"):
            # Without a verdict its alignment notes would mislead; the findings cover "none".
            notes.extend(evaluation.notes)
    adkim = evaluation.adkim if evaluation else None
    aspf = evaluation.aspf if evaluation else None
    receiver = receiver_view(trust.chosen, from_domain, adkim, aspf, orgs) if trust.chosen else None
    expected = domain_part(expected_mail_from)  # callers may pass an address or odd case
    spf_view = _spf_view(message, mail_from, source=source, expected=expected, spf=spf, orgs=orgs)
    basis = f"{dkim_basis}; " + (
        f"SPF result from {trust.trusted_id}" if spf else "SPF result unknown (counted as none)"
    )
    dmarc = _dmarc_view(from_domain, evaluation, receiver, basis)
    notes.extend(_psl_differences(from_domain, signatures, mail_from, orgs))
    if message.line_endings in ("lf", "mixed"):
        notes.append("LF line endings were converted to CRLF before DKIM verification.")
    facts = Facts(message, signatures, trust, receiver, evaluation, spf_view, dmarc)
    return MessageReport(
        message=message,
        signatures=signatures,
        receiver=receiver,
        dmarc=dmarc,
        spf=spf_view,
        findings=findings(facts),
        assumptions=(trust.assumption,) if trust.assumption else (),
        notes=tuple(dict.fromkeys(notes)),
        ignored=trust.ignored,
    )


def _refused(message: ParsedMessage) -> MessageReport:
    dmarc = DmarcView(None, None, None, None, None, None, None, None, None, None, None, "none")
    spf = SpfView(None, None, None, None, None, None, None, None)
    check = Check(
        "input",
        "error",
        f"the input cannot be checked: {message.refused}",
        "Save the received message as a file (.eml, 'Download original') and check that file.",
    )
    return MessageReport(message, (), None, dmarc, spf, (check,), (), (), ())


def _norm(domain: str | None) -> str | None:
    return domain_part(domain) if domain else None


def _signature(outcome: DkimOutcome, from_domain: str | None, orgs: _OrgDomains) -> SignatureReport:
    d = _norm(outcome.d)
    if from_domain is None:
        return SignatureReport(outcome, None, None)
    if d is None:
        return SignatureReport(outcome, False, False)
    return SignatureReport(
        outcome, relaxed_aligned(d, from_domain, orgs), strictly_aligned(d, from_domain)
    )


def _spf_word(result: str | None, notes: list[str]) -> str:
    if result is None:
        return "none"
    word = _SPF_ALIASES.get(result, result)
    if word not in SPF_RESULTS:
        notes.append(f"The receiver's SPF result {result[:30]!r} is not an RFC 7208 result.")
        return "none"
    return word


def _dkim_pairs(
    signatures: Sequence[SignatureReport], trust: TrustChoice, notes: list[str]
) -> tuple[list[tuple[str, str]], str]:
    checked = [s.outcome for s in signatures if s.outcome.reason != "not_checkable"]
    if signatures and not checked and trust.chosen is not None:
        notes.append(
            "DKIM could not be checked here, so our DMARC verdict uses the receiver's DKIM results."
        )
        pairs = [(d.domain, _dkim_word(d.result)) for d in dkim_results(trust.chosen) if d.domain]
        return pairs, f"DKIM results from {trust.trusted_id}"
    pairs = []
    for outcome in checked:
        d = _norm(outcome.d)
        if d is not None:
            pairs.append((d, outcome.result))
    return pairs, "DKIM verified here"


def _dkim_word(result: str) -> str:
    return result if result in DKIM_RESULTS else "none"


def _spf_view(
    message: ParsedMessage,
    mail_from: str | None,
    *,
    source: str | None,
    expected: str | None,
    spf: tuple[str | None, str, str | None] | None,
    orgs: _OrgDomains,
) -> SpfView:
    from_domain = message.from_domain
    relaxed = strict = None
    if from_domain is not None and mail_from is not None:
        relaxed = relaxed_aligned(mail_from, from_domain, orgs)
        strict = strictly_aligned(mail_from, from_domain)
    active: bool | None = None
    if mail_from is not None:
        if is_subdomain(mail_from, "amazonses.com"):
            active = False
        elif expected is not None:
            active = mail_from == expected
        elif relaxed:
            active = True
    return SpfView(
        return_path_domain=message.return_path_domain,
        mail_from_domain=mail_from,
        mail_from_source=source,
        expected_mail_from=expected,
        custom_mail_from_active=active,
        receiver_result=spf[1] if spf else None,
        aligned_relaxed=relaxed,
        aligned_strict=strict,
    )


def _dmarc_view(
    from_domain: str | None,
    evaluation: Evaluation | None,
    view: ReceiverView | None,
    basis: str,
) -> DmarcView:
    theirs = view.dmarc[2] if view and view.dmarc else None
    their_disposition = view.receiver_disposition if view else None
    if from_domain is None or evaluation is None:
        return DmarcView(
            None, theirs, None, their_disposition, None, None, None, None, None, None, None, basis
        )
    psl = org_domain_psl(from_domain)
    walk = evaluation.discovery.organizational_domain
    note = None
    if evaluation.dmarc == "none":
        note = (
            f"No DMARC record found for {from_domain}: alignment is shown as it will be once a "
            f"record is published at {psl} (its Public Suffix List organizational domain)."
        )
    elif psl != walk:
        note = (
            f"Organizational domain of {from_domain}: {walk} by the RFC 9989 DNS tree walk, "
            f"{psl} by the Public Suffix List (RFC 7489 receivers); relaxed alignment can differ "
            "between receivers."
        )
    return DmarcView(
        ours=evaluation.dmarc,
        receiver=theirs,
        disposition=evaluation.disposition,
        receiver_disposition=their_disposition,
        policy_domain=evaluation.policy_domain,
        policy=evaluation.discovery.policy,
        adkim=evaluation.adkim,
        aspf=evaluation.aspf,
        org_domain_psl=psl,
        org_domain_tree_walk=walk,
        note=note,
        basis=basis,
    )


def _psl_differences(
    from_domain: str | None,
    signatures: Sequence[SignatureReport],
    mail_from: str | None,
    orgs: _OrgDomains,
) -> list[str]:
    if from_domain is None:
        return []
    names = [("DKIM d=", _norm(s.outcome.d)) for s in signatures if s.outcome.passed]
    names.append(("MAIL FROM ", mail_from))
    notes = []
    for label, name in names:
        if name is None:
            continue
        by_walk = relaxed_aligned(name, from_domain, orgs)
        by_psl = relaxed_aligned(name, from_domain, org_domain_psl)
        if by_walk != by_psl:
            yes, no = ("tree walk", "PSL") if by_walk else ("PSL", "tree walk")
            notes.append(
                f"{label}{name} aligns with {from_domain} by the {yes} but not by the {no}: "
                "receivers may disagree."
            )
    return notes

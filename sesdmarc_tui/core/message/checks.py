"""The findings of a message check: one per problem, each with a one-sentence fix.

Severity rule: a problem that leaves DMARC failing (or unknown) is an error; the same problem
while DMARC still passes through the other mechanism is a warning, because the mail is
delivered but one broken path is left (SPF alone breaks on forwarding, DKIM alone on footers).
Without a DMARC policy (or without a single From domain, itself an error) nothing fails DMARC,
so such problems are warnings too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.core.dmarc.evaluate import Evaluation
from sesdmarc_tui.core.message.dkim_reasons import WHOLE_MESSAGE_FIX, DkimOutcome
from sesdmarc_tui.core.message.message import ParsedMessage
from sesdmarc_tui.core.message.report import (
    Check,
    DmarcView,
    ReceiverView,
    SignatureReport,
    SpfView,
    Status,
)
from sesdmarc_tui.core.message.trust import TrustChoice, shown_id
from sesdmarc_tui.core.names import is_subdomain

AMAZONSES_DKIM_FIX = "Easy DKIM is not active for this identity yet; see the DKIM step."


@dataclass(frozen=True)
class Facts:
    message: ParsedMessage
    signatures: tuple[SignatureReport, ...]
    trust: TrustChoice
    receiver: ReceiverView | None
    evaluation: Evaluation | None
    spf: SpfView
    dmarc: DmarcView

    @property
    def severity(self) -> Status:
        failing = self.evaluation is not None and self.evaluation.dmarc in ("fail", "temperror")
        return "error" if failing else "warn"

    @property
    def org(self) -> str:
        if self.evaluation is not None:
            return self.evaluation.discovery.organizational_domain
        return self.message.from_domain or "your domain"


def findings(f: Facts) -> tuple[Check, ...]:
    return (*_input(f), *_from(f), *_dkim(f), *_authres(f), *_mail_from(f), *_spf(f), *_dmarc(f))


def _input(f: Facts) -> list[Check]:
    out = []
    if f.message.headers_only:
        out.append(
            Check(
                "input",
                "warn",
                "only headers were given (no blank line and body), so DKIM cannot be checked",
                WHOLE_MESSAGE_FIX,
            )
        )
    if f.message.problems:
        out.append(Check("input", "info", "tolerated: " + "; ".join(f.message.problems[:3])))
    return out


def _from(f: Facts) -> list[Check]:
    problem = f.message.from_info.problem
    if problem is not None:
        return [
            Check(
                "from",
                "error",
                f"DMARC does not apply: {problem}",
                "Send with exactly one From header holding one address at the SES identity's "
                "domain.",
            )
        ]
    return [Check("from", "pass", f"From domain: {f.message.from_domain}")]


def _label(o: DkimOutcome) -> str:
    return f"DKIM signature {o.index + 1} (d={o.d or '?'}, s={o.s or '?'})"


def _dkim(f: Facts) -> list[Check]:
    if not f.signatures:
        return [
            Check(
                "dkim",
                f.severity,
                "the message has no DKIM signature",
                "Turn on Easy DKIM for the identity and wait for SUCCESS; see the DKIM step.",
            )
        ]
    out = []
    for sig in f.signatures:
        o = sig.outcome
        if o.passed:
            where = (
                "aligned with From"
                if sig.aligned_relaxed
                else f"not aligned with From {f.message.from_domain or '(none)'}"
            )
            out.append(Check("dkim", "pass", f"{_label(o)}: verified, {where}"))
        elif o.reason != "not_checkable":
            out.append(Check("dkim", "warn", f"{_label(o)}: {o.detail}", o.fix))
        elif not f.message.headers_only:  # headers alone: said once, in the input check
            out.append(Check("dkim", "info", f"{_label(o)}: {o.detail}", o.fix))
    summary = _dkim_summary(f)
    return out + ([summary] if summary else [])


def _dkim_summary(f: Facts) -> Check | None:
    sigs = f.signatures
    if any(s.outcome.passed and s.aligned_relaxed for s in sigs):
        return None
    checked = [s for s in sigs if s.outcome.reason != "not_checkable"]
    if not checked or f.message.from_domain is None:
        return None
    if all(s.outcome.d and is_subdomain(s.outcome.d, "amazonses.com") for s in checked):
        return Check("dkim", f.severity, "only amazonses.com signed", AMAZONSES_DKIM_FIX)
    failing_aligned = [s for s in checked if s.aligned_relaxed and not s.outcome.passed]
    if failing_aligned:
        o = failing_aligned[0].outcome
        return Check("dkim", f.severity, f"the aligned {_label(o)} failed: {o.detail}", o.fix)
    passing = [s.outcome.d or "?" for s in checked if s.outcome.passed]
    if passing:
        names = ", ".join(dict.fromkeys(passing))
        return Check(
            "dkim",
            f.severity,
            f"DKIM passed only for {names}, which does not align with {f.message.from_domain}",
            f"Sign with d={f.org}: send From an address at the verified SES identity with Easy "
            "DKIM active; see the DKIM step.",
        )
    first = checked[0].outcome
    return Check(
        "dkim", f.severity, "no DKIM signature verified, so only SPF can make DMARC pass", first.fix
    )


def _authres(f: Facts) -> list[Check]:
    trust = f.trust
    if trust.chosen is None:
        fix = (
            "Check the message as the recipient's mailbox saved it (Show original / View "
            "source), not the sender's copy."
            if not trust.ignored
            else "Pass the receiving provider's authserv-id (--trusted-authserv-id) from the "
            "ones found, or check the message as received there."
        )
        out = [Check("authentication_results", "warn", trust.problem or "no trusted header", fix)]
    else:
        out = [
            Check(
                "authentication_results",
                "pass",
                f"the receiver's verdict is read from the Authentication-Results of "
                f"{shown_id(trust.chosen.authserv_id)} (#{trust.chosen.position + 1} from the top)",
            )
        ]
    if trust.assumption:
        out.append(
            Check(
                "authentication_results",
                "info",
                trust.assumption,
                "Pass --trusted-authserv-id with the receiving provider's id (e.g. mx.google.com) "
                "to rule out a forged header.",
            )
        )
    for ignored in trust.ignored if trust.chosen else ():
        out.append(
            Check(
                "authentication_results",
                "info",
                f"Authentication-Results #{ignored.position + 1} ignored: {ignored.why}",
            )
        )
    return out


def _mail_from(f: Facts) -> list[Check]:
    spf = f.spf
    mail_from = spf.mail_from_domain
    if mail_from is None:
        what = "a null sender <>" if f.message.return_path == "" else "no Return-Path header"
        return [
            Check(
                "mail_from",
                "warn",
                f"{what} and no smtp.mailfrom from the receiver: the MAIL FROM domain is unknown",
                "Check the message as received: the receiver adds Return-Path at delivery.",
            )
        ]
    out = []
    if spf.return_path_domain and spf.return_path_domain != mail_from:
        out.append(
            Check(
                "mail_from",
                "info",
                f"the receiver checked SPF for {mail_from} while Return-Path is "
                f"{spf.return_path_domain}",
            )
        )
    if spf.custom_mail_from_active is False and is_subdomain(mail_from, "amazonses.com"):
        out.append(
            Check(
                "mail_from",
                f.severity,
                "Return-Path on amazonses.com: custom MAIL FROM is not active",
                f"Set up a custom MAIL FROM domain (e.g. mail.{f.org}) and check SES shows it as "
                "SUCCESS; see the MAIL FROM step.",
            )
        )
        return out
    expected = spf.expected_mail_from
    if expected is not None and mail_from != expected:
        out.append(
            Check(
                "mail_from",
                f.severity,
                f"MAIL FROM is {mail_from}, not the expected {expected}",
                f"Check SES shows {expected} as the identity's MAIL FROM with status SUCCESS "
                "(its MX and SPF records published); see the MAIL FROM step.",
            )
        )
    elif spf.aligned_relaxed:
        out.append(Check("mail_from", "pass", f"MAIL FROM {mail_from} aligns with From"))
        aspf = f.evaluation.aspf if f.evaluation else None
        if aspf == "s" and not spf.aligned_strict:
            out.append(
                Check(
                    "mail_from",
                    f.severity,
                    "aspf=s: a MAIL FROM subdomain never aligns strictly",
                    "Use relaxed SPF alignment (drop aspf=s) in the DMARC record; see the DMARC "
                    "step.",
                )
            )
    elif f.message.from_domain is not None:
        out.append(
            Check(
                "mail_from",
                f.severity,
                f"MAIL FROM {mail_from} does not align with From {f.message.from_domain}",
                f"Use a MAIL FROM subdomain of {f.org} (e.g. mail.{f.org}); see the MAIL FROM "
                "step.",
            )
        )
    return out


_SPF_FIXES = {
    "none": 'Publish "v=spf1 include:amazonses.com ~all" at {d}; see the MAIL FROM step.',
    "neutral": "End the SPF record at {d} with ~all after include:amazonses.com; see the MAIL "
    "FROM step.",
    "permerror": "Repair the SPF record at {d} (one record, at most 10 lookups); run "
    "`sesdmarc spf check {d}`.",
    "temperror": "Make sure the DNS servers of {d} answer, then send the test again.",
}
_SPF_DEFAULT_FIX = (
    "Add include:amazonses.com to the SPF record at {d} (merged into the one record); see the "
    "MAIL FROM step."
)


def _spf(f: Facts) -> list[Check]:
    result = f.spf.receiver_result
    if result is None:
        if f.trust.chosen is None:
            return []
        return [Check("spf", "info", "the receiver's header has no spf= result")]
    domain = f.spf.mail_from_domain or "the MAIL FROM domain"
    if result == "pass":
        return [Check("spf", "pass", f"SPF pass for {domain} at the receiver")]
    fix = _SPF_FIXES.get(result, _SPF_DEFAULT_FIX).format(d=domain)
    return [Check("spf", f.severity, f"the receiver's SPF result for {domain} is {result}", fix)]


def _dmarc(f: Facts) -> list[Check]:
    e = f.evaluation
    view = f.dmarc
    if e is None:
        return []
    out = []
    if e.dmarc == "pass":
        via = " and ".join(n for n, ok in (("DKIM", e.dkim_aligned), ("SPF", e.spf_aligned)) if ok)
        out.append(Check("dmarc", "pass", f"DMARC passes (our check), aligned through {via}"))
    elif e.dmarc == "fail":
        where = f" ({e.discovery.applied_policy}={e.discovery.policy} at _dmarc.{e.policy_domain})"
        out.append(
            Check(
                "dmarc",
                "error",
                f"DMARC would fail: disposition {e.disposition}{where}",
                f"Make DKIM (d={f.org}) or SPF (a MAIL FROM under {f.org}) pass and align; see the "
                "DKIM and MAIL FROM steps.",
            )
        )
    elif e.dmarc == "none":
        out.append(
            Check(
                "dmarc",
                "warn",
                f"no DMARC policy applies to {f.message.from_domain}",
                f"Publish a DMARC record at _dmarc.{f.org} (start with p=none and rua); see the "
                "DMARC step.",
            )
        )
    else:
        out.append(
            Check(
                "dmarc",
                "error",
                "DNS errors left our DMARC verdict unknown (temperror)",
                "Retry when DNS answers, or check the --nameserver given.",
            )
        )
    theirs = view.receiver
    if theirs in _DMARC_WORDS and theirs != e.dmarc:
        out.append(_disagreement(theirs, e.dmarc, f.trust.trusted_id))
    elif theirs is not None and theirs not in _DMARC_WORDS:
        # e.g. Microsoft's bestguesspass: a guess without a record, not a DMARC verdict.
        out.append(Check("dmarc", "info", f"the receiver reports dmarc={theirs[:30]}"))
    if view.note:
        out.append(Check("dmarc", "info", view.note))
    return out


_DMARC_WORDS = ("pass", "fail", "none", "temperror", "permerror")


def _disagreement(theirs: str, ours: str, receiver: str | None) -> Check:
    message = f"the receiver ({receiver}) says dmarc={theirs[:30]}, our check says {ours}"
    if theirs == "pass" and ours == "fail":
        fix = (
            "The message probably changed after the receiver checked it (forwarded, re-saved "
            "or edited): check the original as received."
        )
    else:
        fix = (
            "Compare the DKIM and SPF details above: the receiver may have used other DNS "
            "answers or the Public Suffix List; check again after DNS settles."
        )
    return Check("dmarc", "warn", message, fix)

"""A published DMARC record's linter findings as checklist items, each with its fix.

Severity for the check differs from the linter's in two places: an unauthorized external
``rua`` costs the owner every report (a warning, not advice), and canonical-form remarks are
information, since receivers read those records the same way.
"""

from __future__ import annotations

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.dmarc import findings as k
from sesdmarc_tui.core.dmarc.lint import lint_dmarc
from sesdmarc_tui.core.lookup import Lookup

_IDS = {
    k.EXTERNAL_NEEDS_AUTH: "dmarc_external_rua_unauthorized",
    k.ASPF_STRICT: "dmarc_aspf_strict",
    k.ADKIM_STRICT: "dmarc_adkim_strict",
    k.PCT_REMOVED: "dmarc_pct_ramp",
    k.NO_RUA: "dmarc_no_rua",
}
_TITLES = {
    k.EXTERNAL_NEEDS_AUTH: "reports go to another domain that has not accepted them",
    k.ASPF_STRICT: "aspf=s: SPF can never align with an SES MAIL FROM",
    k.ADKIM_STRICT: "adkim=s: DKIM fails for mail From subdomains",
    k.PCT_REMOVED: "pct does not ramp up the policy at RFC 9989 receivers",
    k.NO_RUA: "no rua: no aggregate reports",
    k.NOT_DMARC: "receivers do not read it as a DMARC record",
    k.SYNTAX: "a syntax error",
    k.MISSING_P: "no p tag",
    k.INVALID_TAG_VALUE: "an invalid tag value",
    k.DUPLICATE_TAG: "a repeated tag",
    k.INVALID_URI: "an invalid report address",
    k.P_NOT_SECOND_TAG: "p is not the second tag",
}
_FIXES = {
    k.EXTERNAL_NEEDS_AUTH: "Ask the destination's owner to publish the authorization record "
    "named in the detail, or send reports to an address in your own domain.",
    k.ASPF_STRICT: "Remove aspf=s (relaxed alignment is the default).",
    k.ADKIM_STRICT: "Remove adkim=s unless every From domain is an SES identity of its own.",
    k.PCT_REMOVED: "Stage with t=y plus pct=0 (the ladder in the wizard's DMARC step) instead "
    "of a percentage.",
    k.NO_RUA: "Add rua=mailto:dmarc-reports@<your domain> to receive aggregate reports.",
    k.MISSING_P: "Add p=none (or the intended policy) right after v=DMARC1;.",
    k.P_NOT_SECOND_TAG: "Put p right after v=DMARC1; as RFC 7489 receivers require.",
    k.DUPLICATE_TAG: "Keep one copy of each tag: a repeated tag invalidates the whole record.",
    k.INVALID_URI: "Write each report address as mailto:user@domain, separated by commas.",
    k.INVALID_TAG_VALUE: "Correct the value the detail names.",
    k.SYNTAX: "Correct the record as the detail says, starting v=DMARC1; p=...",
    k.NOT_DMARC: "Publish the record starting exactly with v=DMARC1; and tags separated by ;.",
}
_INFO = {k.NONCANONICAL_WS, k.NONCANONICAL_CASE, k.UNKNOWN_TAG, k.OBSOLETE_SIZE}


def lint_items(text: str, policy_domain: str, lookup: Lookup) -> list[CheckItem]:
    """Items for the record at ``_dmarc.<policy_domain>``, ending with its summary line."""
    result = lint_dmarc(text, policy_domain, lookup)
    where = f"_dmarc.{policy_domain}"
    items = [_item(where, f.kind, f.message, Severity.ERROR, text) for f in result.errors]
    for finding in result.warnings:
        severity = Severity.INFO if finding.kind in _INFO else Severity.WARNING
        items.append(_item(where, finding.kind, finding.message, severity, text))
    effective = result.record.effective
    if result.errors or effective is None:
        return items
    if effective.p == "reject":
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_p_reject",
                Severity.INFO,
                f"p=reject at {where}: failing mail is refused",
                "Right for a domain whose every sender signs with DKIM; mail forwarded or "
                "sent through mailing lists fails and is rejected (RFC 9989 s7.4).",
            )
        )
    stage = "monitoring only" if effective.p == "none" else f"policy {effective.p}"
    items.append(
        CheckItem(
            Area.DMARC,
            "dmarc_published",
            Severity.OK,
            f"DMARC record at {where} ({stage})",
            evidence=(text,),
        )
    )
    return items


def _item(where: str, kind: str, message: str, severity: Severity, text: str) -> CheckItem:
    return CheckItem(
        Area.DMARC,
        _IDS.get(kind, f"dmarc_{kind}"),
        severity,
        f"DMARC at {where}: {_TITLES.get(kind, kind.replace('_', ' '))}",
        message,
        _FIXES.get(kind, "Correct the record as the detail says."),
        (text,),
    )

"""SPF at the domain itself and at each MAIL FROM name, with the lookup limits counted.

With a custom MAIL FROM, receivers check SES mail against the MAIL FROM name's record, so that
is where ``include:amazonses.com`` must be reachable: before the ``all`` term (terms after it
are never evaluated, RFC 7208 s5.1). The apex record matters for other mail only; its problems
are reported all the same, since receivers see them on everything From the domain.
"""

from __future__ import annotations

from collections.abc import Sequence

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.spf import findings as f
from sesdmarc_tui.core.spf.check import SpfCheck, check_spf
from sesdmarc_tui.core.spf.count import LookupNode
from sesdmarc_tui.core.spf.merge import DEFAULT_TERM
from sesdmarc_tui.core.spf.parse import parse_spf

SES_INCLUDE = "amazonses.com"

_TITLES = {
    f.MULTIPLE_SPF_RECORDS: "two or more SPF records",
    f.TOO_MANY_DNS_LOOKUPS: "more than 10 DNS lookups",
    f.TOO_MANY_VOID_LOOKUPS: "more than 2 void lookups",
    f.INCLUDE_TARGET_HAS_NO_SPF: "an include: names a domain without SPF",
    f.SYNTAX: "a syntax error",
    f.DNS_ERROR: "the record could not be read",
    f.TERMS_AFTER_ALL_IGNORED: "terms after all are never evaluated",
    f.PLUS_ALL_ALLOWS_EVERYONE: "+all lets every server pass",
    f.NO_ALL_MECHANISM: "no all term",
}
_FIXES = {
    f.MULTIPLE_SPF_RECORDS: "Merge them into one v=spf1 record (sesdmarc spf merge helps).",
    f.TOO_MANY_DNS_LOOKUPS: "Remove includes you no longer use, or move a sender to a "
    "subdomain of its own, to stay within 10 lookups.",
    f.TOO_MANY_VOID_LOOKUPS: "Remove the a:, mx: and include: terms that name domains with no "
    "records.",
    f.INCLUDE_TARGET_HAS_NO_SPF: "Remove the include: of the domain without SPF, or fix its name.",
    f.SYNTAX: "Correct the record as the detail says (for example no space after include:).",
    f.DNS_ERROR: "Run the check again; if it keeps failing, check the domain's name servers.",
    f.TERMS_AFTER_ALL_IGNORED: "Move the terms before the all term.",
    f.PLUS_ALL_ALLOWS_EVERYONE: "Use ~all or -all.",
    f.NO_ALL_MECHANISM: "End the record with ~all (or -all once every sender is listed).",
    f.REDIRECT_IGNORED_WITH_ALL: "Remove either the all term or the redirect= modifier.",
    f.RECORD_TOO_LONG_FOR_UDP: "Shorten the record, e.g. move ip4:/ip6: ranges into an include.",
    f.PTR_MECHANISM_DISCOURAGED: "Replace ptr with ip4:, ip6: or a: terms.",
    f.MX_TOO_MANY_NAMES: "Replace mx with ip4:/ip6: terms for the mail servers.",
}
_INFO_WARNINGS = {f.LOOKUP_COUNT_IS_LOWER_BOUND, f.MACRO_TARGET_NOT_FOLLOWED}


def spf_items(domain: str, mail_from_names: Sequence[str], lookup: Lookup) -> list[CheckItem]:
    items = _apex(domain, check_spf(domain, lookup))
    for name in mail_from_names:
        items.extend(_mail_from(check_spf(name, lookup)))
    return items


def _apex(domain: str, check: SpfCheck) -> list[CheckItem]:
    if not check.records and check.error_kind == f.NO_SPF_RECORD:
        return [
            CheckItem(
                Area.SPF,
                "spf_apex_none",
                Severity.INFO,
                f"No SPF record at {domain}",
                "SES mail with a custom MAIL FROM is checked against the MAIL FROM name, not "
                f"this one. Other mail From {domain} has no SPF protection.",
            )
        ]
    items = _findings(check, skip=())
    if check.valid:
        items.append(_ok(check))
    return items


def _mail_from(check: SpfCheck) -> list[CheckItem]:
    name = check.domain
    if not check.records and check.error_kind == f.NO_SPF_RECORD:
        return [
            CheckItem(
                Area.SPF,
                "spf_mail_from_missing",
                Severity.ERROR,
                f"No SPF record at the MAIL FROM name {name}",
                "Receivers evaluate SPF for SES mail at the MAIL FROM name: without a record "
                "SPF gives none, and DMARC cannot pass through SPF.",
                f'Publish {name} TXT "v=spf1 {DEFAULT_TERM} ~all".',
            )
        ]
    ses = _ses_include(check)
    skip = (f.TERMS_AFTER_ALL_IGNORED,) if ses and ses.id == "spf_include_after_all" else ()
    items = _findings(check, skip=skip)
    if ses is not None:
        items.append(ses)
    elif check.valid:
        items.append(_ok(check))
    return items


def _ses_include(check: SpfCheck) -> CheckItem | None:
    """Whether receivers reach include:amazonses.com at the MAIL FROM name (None: they do)."""
    if len(check.records) != 1:
        return None  # the multiple-records error says it all
    record = parse_spf(check.records[0])
    ses = [t for t in record.mechanisms if t.name == "include" and _is_ses(t.target)]
    late = [t for t in ses if t in record.terms_after_all]
    if ses and len(late) < len(ses):
        return None
    if _nested_ses(check.count.tree):
        return None
    name = check.domain
    if late:
        return CheckItem(
            Area.SPF,
            "spf_include_after_all",
            Severity.ERROR,
            f"include:amazonses.com comes after the all term at {name}",
            f"Receivers stop at {record.all_term.text if record.all_term else 'all'} and never "
            "reach the include, so SES's servers fail SPF.",
            "Move include:amazonses.com before the all term.",
            (check.records[0],),
        )
    return CheckItem(
        Area.SPF,
        "spf_mail_from_no_amazonses",
        Severity.ERROR,
        f"The SPF record at {name} does not authorize SES",
        "SES sends from Amazon's servers; without include:amazonses.com they fail SPF.",
        "Add include:amazonses.com before the all term.",
        (check.records[0],),
    )


def _is_ses(target: str | None) -> bool:
    return (target or "").rstrip(".").lower() == SES_INCLUDE


def _nested_ses(tree: LookupNode) -> bool:
    """An include of amazonses.com reached through another include or redirect counts too."""
    return any(
        (child.domain is not None and _is_ses(child.domain)) or _nested_ses(child)
        for child in tree.children
    )


def _findings(check: SpfCheck, skip: Sequence[str]) -> list[CheckItem]:
    items: list[CheckItem] = []
    for finding in check.errors:
        if finding.kind == f.NO_SPF_RECORD:
            continue
        items.append(_item(check, finding.kind, finding.message, Severity.ERROR))
    for finding in check.warnings:
        if finding.kind in skip:
            continue
        severity = Severity.INFO if finding.kind in _INFO_WARNINGS else Severity.WARNING
        items.append(_item(check, finding.kind, finding.message, severity))
    return items


def _item(check: SpfCheck, kind: str, message: str, severity: Severity) -> CheckItem:
    title = _TITLES.get(kind, kind.replace("_", " "))
    return CheckItem(
        Area.SPF,
        f"spf_{kind}",
        severity,
        f"SPF at {check.domain}: {title}",
        message,
        _FIXES.get(kind, "Correct the record as the detail says."),
        check.records,
    )


def _ok(check: SpfCheck) -> CheckItem:
    return CheckItem(
        Area.SPF,
        "spf_valid",
        Severity.OK,
        f"SPF at {check.domain} is valid ({check.dns_lookups} of 10 lookups)",
        evidence=check.records,
    )

"""The custom MAIL FROM domain: its single MX, its status in SES, what SES does on MX failure.

The SPF record at the MAIL FROM name is judged by content in the SPF area (a merged record is
fine even though it differs from the one the wizard proposes); here only its publishing
mistakes (doubled name, partial propagation) are reported.
"""

from __future__ import annotations

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.dns.mistakes import HintKind
from sesdmarc_tui.dns.round import RecordRow, RecordState
from sesdmarc_tui.troubleshoot.areas.mail_from_plan import MailFromPlan, MailFromTarget
from sesdmarc_tui.troubleshoot.areas.rows import (
    effective_state,
    fine,
    hint_item,
    not_yet_visible,
    row_items,
    shown,
)
from sesdmarc_tui.troubleshoot.dnsround import DnsView

_TXT_STATES = (RecordState.PARTIAL, RecordState.INCOMPLETE)


def mail_from_items(plan: MailFromPlan, dns: DnsView) -> list[CheckItem]:
    items = list(plan.items)
    for target in plan.targets:
        mx_row, txt_row = dns.row(target.mx), dns.row(target.txt)
        found = _one_per_fix(_mx_items(target, mx_row) + _txt_items(txt_row))
        if target.identity is not None:
            found.extend(_status_items(target))
        if not found and mx_row is not None and fine(mx_row):
            found.append(_dns_ok(target))
            rows = [r for r in (mx_row, txt_row) if r is not None]
            found.extend(not_yet_visible(rows, Area.MAIL_FROM, "MAIL FROM records"))
        items.extend(found)
    return items


def _one_per_fix(items: list[CheckItem]) -> list[CheckItem]:
    """The MX and the TXT renamed together (a doubled name) is one thing to do, said once."""
    seen: dict[tuple[str, str], CheckItem] = {}
    for item in items:
        seen.setdefault((item.id, item.fix), item)
    return list(seen.values())


def _mx_items(target: MailFromTarget, row: RecordRow | None) -> list[CheckItem]:
    if row is None:
        return []
    identity = target.identity
    unusable = effective_state(row) in (RecordState.MISSING, RecordState.WRONG_VALUE) and not any(
        h.kind in (HintKind.EXTRA_MX, HintKind.DOUBLED_ZONE) for h in row.hints
    )
    if identity is None or not unusable:
        return row_items(row, Area.MAIL_FROM, "MAIL FROM MX")
    behaviour = identity.mail_from.behavior_on_mx_failure or "USE_DEFAULT_VALUE"
    if behaviour == "REJECT_MESSAGE":
        effect = "SES rejects every send with MailFromDomainNotVerified until it is fixed."
    else:
        effect = (
            "With BehaviorOnMxFailure USE_DEFAULT_VALUE, SES silently sends with an "
            "amazonses.com MAIL FROM instead: SPF passes but never aligns, so DMARC rests on "
            "DKIM alone."
        )
    return [
        CheckItem(
            Area.MAIL_FROM,
            "mail_from_mx_unusable",
            Severity.ERROR,
            f"The MAIL FROM MX at {target.name} is missing or wrong",
            f"{effect} Found: {', '.join(_found(row)) or 'nothing'}.",
            f"Publish exactly one MX: {shown(target.mx)}.",
            (target.name, *_found(row)),
        )
    ]


def _found(row: RecordRow) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for c in row.authoritative_cells for v in c.found))


def _txt_items(row: RecordRow | None) -> list[CheckItem]:
    if row is None:
        return []
    items = [
        hint_item(h, row.record, Area.MAIL_FROM, "MAIL FROM SPF record")
        for h in row.hints
        if h.kind is HintKind.DOUBLED_ZONE
    ]
    if not items and effective_state(row) in _TXT_STATES:
        items = row_items(row, Area.MAIL_FROM, "MAIL FROM SPF record")
    return items


def _status_items(target: MailFromTarget) -> list[CheckItem]:
    assert target.identity is not None
    status = target.identity.mail_from.status or "PENDING"
    where = f"{target.name} in {target.region}"
    if status == "SUCCESS":
        return [
            CheckItem(
                Area.MAIL_FROM,
                "mail_from_active",
                Severity.OK,
                f"Custom MAIL FROM {where} is active (SUCCESS)",
            )
        ]
    if status == "PENDING":
        return [
            CheckItem(
                Area.MAIL_FROM,
                "mail_from_pending",
                Severity.INFO,
                f"SES has not confirmed the MAIL FROM domain {where} yet (PENDING)",
                "SES checks the MX for up to 72 hours; the rows above show whether it is "
                "published.",
            )
        ]
    failed = status == "FAILED"
    return [
        CheckItem(
            Area.MAIL_FROM,
            "mail_from_failed" if failed else "mail_from_temporary_failure",
            Severity.ERROR if failed else Severity.WARNING,
            f"SES reports the MAIL FROM domain {where} as {status}",
            "SES could not find exactly one MX to its feedback host"
            + (" and gave up; it does not retry on its own." if failed else "; it keeps trying."),
            f"Publish {shown(target.mx)} as the only MX"
            + (", then set the MAIL FROM domain again in SES." if failed else "."),
        )
    ]


def _dns_ok(target: MailFromTarget) -> CheckItem:
    return CheckItem(
        Area.MAIL_FROM,
        "mail_from_dns_ok",
        Severity.OK,
        f"The MAIL FROM MX at {target.name} points at SES in {target.region}",
        evidence=(shown(target.mx),),
    )

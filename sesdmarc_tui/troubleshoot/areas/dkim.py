"""The Easy DKIM CNAMEs of each region, built from SES's tokens and checked on every server.

Each region (and account) has its own three tokens. A frequent mistake is publishing the
records of one region and expecting another to verify (AWS blog on multiple regions), so when
one region's records are all there and another's are all absent, that is said in one line
instead of three "missing" lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.records import DnsRecord, RecordError, dkim_records
from sesdmarc_tui.dns.round import RecordRow, RecordState
from sesdmarc_tui.troubleshoot.areas.rows import (
    effective_state,
    fine,
    has_mistake,
    not_yet_visible,
    row_items,
    shown,
)
from sesdmarc_tui.troubleshoot.dnsround import DnsView
from sesdmarc_tui.troubleshoot.ses_reader import SesView

WHAT = "DKIM CNAME"


@dataclass(frozen=True)
class DkimPlan:
    records: Mapping[str, tuple[DnsRecord, ...]]  # region -> its CNAMEs
    items: tuple[CheckItem, ...] = ()

    def all_records(self) -> list[DnsRecord]:
        return [r for records in self.records.values() for r in records]


def plan_dkim(domain: str, view: SesView) -> DkimPlan:
    records: dict[str, tuple[DnsRecord, ...]] = {}
    items: list[CheckItem] = []
    for identity in view.found():
        if not identity.dkim_tokens:
            items.append(
                CheckItem(
                    Area.DKIM,
                    "dkim_no_tokens",
                    Severity.WARNING,
                    f"SES returned no Easy DKIM tokens for {domain} in {identity.region}",
                    f"Signing origin: {identity.signing_origin or 'unknown'}. Without tokens "
                    "there are no CNAMEs to check (BYODKIM publishes its own TXT key).",
                    "Enable Easy DKIM on the identity if it should sign with AWS-managed keys.",
                )
            )
            continue
        try:
            records[identity.region] = dkim_records(
                domain, identity.dkim_tokens, identity.region, identity.signing_hosted_zone
            )
        except RecordError as exc:
            items.append(
                CheckItem(
                    Area.DKIM,
                    "dkim_unusable_tokens",
                    Severity.WARNING,
                    f"The DKIM tokens SES returned for {identity.region} are unusable",
                    str(exc),
                    "Report this: SES answered tokens that cannot form DNS names.",
                )
            )
    return DkimPlan(records, tuple(items))


def dkim_items(plan: DkimPlan, dns: DnsView) -> list[CheckItem]:
    items = list(plan.items)
    rows: dict[str, list[RecordRow]] = {}
    for region, records in plan.records.items():
        rows[region] = [row for r in records if (row := dns.row(r)) is not None]
    complete = [r for r, rs in rows.items() if rs and all(fine(row) for row in rs)]
    for region, region_rows in rows.items():
        if region in complete:
            items.append(_ok(region, region_rows))
            items.extend(not_yet_visible(region_rows, Area.DKIM, f"{WHAT}s for {region}"))
        elif _all_absent(region_rows):
            items.append(_region_missing(region, region_rows, complete))
        else:
            for row in region_rows:
                items.extend(row_items(row, Area.DKIM, f"{WHAT} for {region}"))
    return items


def _ok(region: str, rows: list[RecordRow]) -> CheckItem:
    return CheckItem(
        Area.DKIM,
        "dkim_published",
        Severity.OK,
        f"The {len(rows)} DKIM CNAMEs for {region} are published {_where_seen(rows)}",
        evidence=tuple(shown(r.record) for r in rows),
    )


def _where_seen(rows: list[RecordRow]) -> str:
    if rows[0].authoritative_cells:
        return "on every name server"
    return "(judged by the resolvers' answers)"


def _all_absent(rows: list[RecordRow]) -> bool:
    """Every record missing everywhere, and no hint (doubled name...) saying why."""
    return bool(rows) and all(
        effective_state(r) is RecordState.MISSING and not has_mistake(r) for r in rows
    )


def _where_published(rows: list[RecordRow]) -> str:
    """The not-at-delegated-servers hint names the servers: records added elsewhere stay unseen."""
    hint = next((h for r in rows for h in r.hints if h.servers), None)
    return f" Name servers asked: {', '.join(hint.servers)}." if hint else ""


def _region_missing(region: str, rows: list[RecordRow], complete: list[str]) -> CheckItem:
    evidence = tuple(shown(r.record) for r in rows)
    if complete:
        return CheckItem(
            Area.DKIM,
            "dkim_records_for_other_region",
            Severity.ERROR,
            f"DKIM records exist for {', '.join(complete)} but not for {region}",
            f"Each SES region has its own DKIM tokens: the records published for "
            f"{', '.join(complete)} do not verify the identity in {region}.",
            f"Publish the {len(rows)} CNAMEs of {region} as well (listed below); keep the others.",
            evidence,
        )
    return CheckItem(
        Area.DKIM,
        "dkim_records_missing",
        Severity.ERROR,
        f"None of the {len(rows)} DKIM CNAMEs for {region} is published",
        "SES verifies the domain and signs with d=<domain> only once these CNAMEs resolve. "
        "DKIM records published earlier for another region or account do not count: each has "
        "its own tokens." + _where_published(rows),
        f"Publish these {len(rows)} CNAMEs at the DNS provider the zone is delegated to.",
        evidence,
    )

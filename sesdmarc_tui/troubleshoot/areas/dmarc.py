"""DMARC for the domain: the record at ``_dmarc``, the organizational domain's, and discovery.

Discovery runs the RFC 9989 tree walk as receivers do. A subdomain with its own record and none
at the organizational domain becomes its own organizational domain, so SES's parent-level DKIM
``d=`` and MAIL FROM stop aligning (email-auth reference s1.5): that is reported even though the
subdomain's own record is fine.
"""

from __future__ import annotations

from collections.abc import Sequence

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.dmarc.discover import Discovery, discover_policy
from sesdmarc_tui.core.dmarc.resolve import DmarcAt, query_dmarc
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import org_domain_psl
from sesdmarc_tui.dns.query import QueryResult
from sesdmarc_tui.troubleshoot.areas.dmarc_lint import lint_items
from sesdmarc_tui.troubleshoot.areas.dmarc_names import (
    discarded_items,
    misplaced_items,
    server_items,
)


def dmarc_items(
    domain: str, zone: str, lookup: Lookup, answers: Sequence[QueryResult]
) -> list[CheckItem]:
    discovery = discover_policy(domain, lookup)
    own = next((s for s in discovery.asked if s.domain == domain), None) or query_dmarc(
        domain, lookup
    )
    items = server_items(domain, answers)
    items.extend(discarded_items(domain, own.discarded))
    items.extend(_own_items(own, domain, lookup))
    items.extend(misplaced_items(domain, zone, lookup, has_record=own.status == "record"))
    if own.status == "none" and not _explained(items):
        items.extend(_inherited_or_missing(discovery, domain, lookup))
    if own.status == "record":
        items.extend(_org_items(domain, lookup))
    return items


def _explained(items: list[CheckItem]) -> bool:
    """An error already says why receivers find no record at ``_dmarc.<domain>``."""
    return any(i.severity is Severity.ERROR for i in items)


def _own_items(own: DmarcAt, domain: str, lookup: Lookup) -> list[CheckItem]:
    where = f"_dmarc.{domain}"
    if own.status == "record" and own.record is not None:
        return lint_items(own.record.text, domain, lookup)
    if own.status == "multiple":
        return [
            CheckItem(
                Area.DMARC,
                "dmarc_multiple_records",
                Severity.ERROR,
                f"{len(own.records)} DMARC records at {where}",
                "Receivers discard them all and apply no DMARC at all (RFC 9989 s4.10).",
                f"Delete all but one v=DMARC1 record at {where}.",
                own.records,
            )
        ]
    if own.status == "error":
        return [
            CheckItem(
                Area.DMARC,
                "dmarc_dns_error",
                Severity.WARNING,
                f"The DMARC record at {where} could not be read",
                own.error or "DNS error",
                "Run the check again; if it persists, check the domain's name servers.",
            )
        ]
    return []


def _inherited_or_missing(discovery: Discovery, domain: str, lookup: Lookup) -> list[CheckItem]:
    at = discovery.policy_at
    if at is not None and at.domain != domain and at.record is not None and discovery.policy:
        covered = CheckItem(
            Area.DMARC,
            "dmarc_inherited",
            Severity.OK,
            f"Mail From {domain} is covered by the record at _dmarc.{at.domain} "
            f"({discovery.applied_policy}={discovery.policy})",
            evidence=(at.record.text,),
        )
        return [*lint_items(at.record.text, at.domain, lookup), covered]
    org = org_domain_psl(domain)
    return [
        CheckItem(
            Area.DMARC,
            "dmarc_missing",
            Severity.ERROR,
            f"No DMARC record for {domain}",
            f"Receivers found no record at _dmarc.{domain}"
            + (f" nor at _dmarc.{org}" if org != domain else "")
            + ", so no DMARC policy applies and no reports are sent.",
            f'Publish _dmarc.{org} TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@{org}".',
        )
    ]


def _org_items(domain: str, lookup: Lookup) -> list[CheckItem]:
    """A subdomain's own record is not the whole story: the organizational domain's counts."""
    org = org_domain_psl(domain)
    if org == domain:
        return []
    at = query_dmarc(org, lookup)
    if at.status == "record" and at.record is not None:
        return lint_items(at.record.text, org, lookup)
    if at.status != "none":
        return []  # several records or a DNS error: a check of the org domain itself says more
    return [
        CheckItem(
            Area.DMARC,
            "dmarc_org_record_missing",
            Severity.WARNING,
            f"{org} publishes no DMARC record of its own",
            f"Under RFC 9989 {domain} then becomes its own organizational domain: SES's "
            f"DKIM d={org} and a MAIL FROM under {org} no longer align with mail From {domain}.",
            f"Publish a DMARC record at _dmarc.{org} as well (p=none with rua is enough).",
        )
    ]

"""``run_check``: every inspection of a domain's SES mail setup, changing nothing.

Order matters only for what each step needs: SES first (the DKIM tokens and the MAIL FROM name
come from it), then the names DNS alone can settle (the zone, a MAIL FROM found in DNS), then
one concurrent DNS burst over every authoritative server and resolver, then the areas, which
turn answers into checklist items. Blocking, like the inspection commands: the wizard's
Troubleshoot entry runs it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from sesdmarc_tui.core.checklist import CheckItem, CheckReport, dedupe_items, merge_skipped
from sesdmarc_tui.core.lookup import Lookup, memoized
from sesdmarc_tui.core.names import normalize_domain
from sesdmarc_tui.dns.query import DEFAULT_QUERY_TIMEOUT, Server
from sesdmarc_tui.troubleshoot.areas.authorization import authorization_items
from sesdmarc_tui.troubleshoot.areas.dkim import dkim_items, plan_dkim
from sesdmarc_tui.troubleshoot.areas.dmarc import dmarc_items
from sesdmarc_tui.troubleshoot.areas.mail_from import mail_from_items
from sesdmarc_tui.troubleshoot.areas.mail_from_plan import plan_mail_from
from sesdmarc_tui.troubleshoot.areas.ses import ses_items
from sesdmarc_tui.troubleshoot.areas.spf import spf_items
from sesdmarc_tui.troubleshoot.dnsround import DnsView, run_dns
from sesdmarc_tui.troubleshoot.servers import find_zone
from sesdmarc_tui.troubleshoot.ses_reader import AwsSesReader, SessionFactory, SesView, read_ses


def run_check(
    domain: str,
    *,
    regions: Sequence[str] = (),
    profile: str | None = None,
    nameservers: Sequence[tuple[str, int]] = (),
    lookup: Lookup | None = None,
    authoritative: Sequence[Server] | None = None,
    resolvers: Sequence[Server] | None = None,
    session_factory: SessionFactory | None = None,
    mail_from: str | None = None,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
) -> CheckReport:
    """Inspect ``domain`` (raises ``DomainError`` for a name that is not a domain).

    ``regions``: SES regions to read (default: the profile's region). ``nameservers``: send
    every DNS query there (``--nameserver``). ``lookup``, ``authoritative``, ``resolvers`` and
    ``session_factory`` replace the defaults built from those (tests, the sandbox).
    ``mail_from``: the MAIL FROM domain to check when SES does not name one. ``timeout``:
    how long each query of the DNS burst may take.
    """
    name = normalize_domain(domain, min_labels=2)
    mail_from_name = normalize_domain(mail_from, min_labels=2) if mail_from else None
    factory = session_factory or AwsSesReader
    if lookup is None:
        from sesdmarc_tui.dns.lookup import make_lookup

        lookup = make_lookup(nameservers)
    ask = memoized(lookup)
    # What does not depend on each other runs side by side: each part is a chain of round
    # trips (AWS calls, an SOA walk, SPF includes, the DMARC tree walk), so in sequence they
    # would add up; side by side the check lasts about as long as the longest chain.
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="check") as pool:
        ses_read = pool.submit(read_ses, name, regions, profile, factory)
        zone = find_zone(name, ask)
        view = ses_read.result()
        dkim = plan_dkim(name, view)
        mail = plan_mail_from(name, zone, view, ask, mail_from_name)
        spf = pool.submit(spf_items, name, mail.names(), ask)
        dns = run_dns(
            zone,
            name,
            [*dkim.all_records(), *mail.records()],
            nameservers,
            resolvers=resolvers,
            authoritative=authoritative,
            timeout=timeout,
        )
        dmarc = pool.submit(dmarc_items, name, zone, ask, dns.dmarc_answers)
        items: list[CheckItem] = [
            *ses_items(name, view),
            *dkim_items(dkim, dns),
            *mail_from_items(mail, dns),
            *spf.result(),
            *dmarc.result(),
            *authorization_items(view),
        ]
    return CheckReport(
        domain=name,
        regions=view.regions or tuple(regions),
        items=dedupe_items(items),
        skipped=merge_skipped([*view.skipped, *mail.skipped]),
        notes=_notes(zone, dns, view),
    )


def _notes(zone: str, dns: DnsView, view: SesView) -> tuple[str, ...]:
    pick = dns.servers
    servers = ", ".join(s.name for s in pick.authoritative) or "none found"
    resolvers = ", ".join(s.name for s in pick.resolvers)
    notes = [f"Zone {zone}: name servers asked: {servers}; resolvers asked: {resolvers}."]
    if view.regions:
        notes.append(f"SES read in {', '.join(view.regions)}.")
    return (*notes, *pick.notes)

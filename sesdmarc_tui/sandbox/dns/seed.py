"""The demo's DNS world: the operator's domain and the amazonses.com zones SES records point to.

Serving the real amazonses.com names here is safe: in demo mode the product asks only the
sandbox's servers. The values imitate the real ones where the product reads them: the SPF
record of amazonses.com is made of ``ip4:`` terms only, so ``include:amazonses.com`` costs one
lookup (email-auth.md s3.3), and each DKIM token name holds a ``p=`` TXT key, as real SES serves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from sesdmarc_tui.core.regions import (
    dkim_target_zone,
    mail_from_mx_host,
    normalize_dkim_token,
    ses_region_names,
)
from sesdmarc_tui.sandbox.dns.zones import ZoneError, ZoneStore

DEMO_DOMAIN = "example.com"
DEMO_REGION = "us-east-1"
SES_ZONE = "amazonses.com"
# Route 53's default SOA gives a 900 s negative TTL (email-auth.md s6); the demo zone keeps it
# lower so the negative-cache effect passes within a demo minute or two of sped-up time.
DEMO_SOA_MINIMUM = 300
DEMO_SOA_TTL = 900
SES_SPF = (
    "v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ip4:69.169.224.0/20 "
    "ip4:23.249.208.0/20 ip4:23.251.224.0/19 ip4:76.223.176.0/20 ip4:54.240.64.0/19 "
    "ip4:54.240.96.0/19 ip4:76.223.128.0/19 -all"
)
# The address the sandbox's SES "sends" from: inside 54.240.0.0/18 above, so SPF passes.
SES_SENDING_IP = "54.240.8.21"
FEEDBACK_ADDRESSES = ("54.240.8.201", "54.240.8.202")
DKIM_KEY_TTL = 1800


@dataclass(frozen=True)
class SeedRecord:
    name: str
    rtype: str
    ttl: int
    values: tuple[str, ...]


def demo_zone_records(domain: str = DEMO_DOMAIN) -> tuple[SeedRecord, ...]:
    """What the demo domain holds before the wizard runs: a small, ordinary mail setup.

    The AWS half creates the same records in the moto hosted zone, so Route 53 listings and DNS
    answers agree. The apex SPF gives the wizard an existing record to leave alone (SES's MAIL
    FROM lives on a subdomain); there is no DMARC record yet.
    """
    return (
        SeedRecord(domain, "A", 300, ("192.0.2.10",)),
        SeedRecord(f"www.{domain}", "CNAME", 300, (f"{domain}.",)),
        SeedRecord(domain, "MX", 300, (f"10 mail.{domain}.",)),
        SeedRecord(f"mail.{domain}", "A", 300, ("192.0.2.25",)),
        SeedRecord(domain, "TXT", 300, ("v=spf1 mx -all", "demo-site-verification=3kq9x2")),
    )


def ses_records(regions: Iterable[str] = (DEMO_REGION,)) -> tuple[SeedRecord, ...]:
    """amazonses.com's SPF TXT set and each region's MAIL FROM feedback host."""
    records = [
        SeedRecord(SES_ZONE, "TXT", 3600, (SES_SPF, "amazonses:Hn7kqXo0sandbox-verification")),
    ]
    for region in dict.fromkeys(regions):
        records.append(SeedRecord(mail_from_mx_host(region), "A", 300, FEEDBACK_ADDRESSES))
    return tuple(records)


def ses_zones(regions: Iterable[str] = (DEMO_REGION,)) -> tuple[str, ...]:
    """amazonses.com and every DKIM key zone the regions use (dkim.amazonses.com or regional)."""
    zones = [SES_ZONE]
    zones.extend(dkim_target_zone(region) for region in regions)
    return tuple(dict.fromkeys(zones))


def seed_store(
    store: ZoneStore | None = None,
    *,
    domain: str = DEMO_DOMAIN,
    regions: Iterable[str] | None = None,
) -> ZoneStore:
    """A store (new, or the one given) with the demo domain's zone and the SES zones.

    By default every SES region's feedback host and DKIM zone is served, so an identity the
    demo creates in any region (or a check across regions) finds its SES names.
    """
    store = ZoneStore() if store is None else store
    region_list = ses_region_names() if regions is None else tuple(regions)
    store.add_zone(domain, soa_minimum=DEMO_SOA_MINIMUM, soa_ttl=DEMO_SOA_TTL)
    for zone in ses_zones(region_list):
        store.add_zone(zone, soa_minimum=60, soa_ttl=900)
    with store.batch():
        for record in (*demo_zone_records(domain), *ses_records(region_list)):
            store.set_rrset(record.name, record.rtype, record.ttl, list(record.values))
    return store


def dkim_key_name(token: str, region: str, signing_hosted_zone: str | None = None) -> str:
    """``<token>.<zone>``: where SES serves the public key the CNAME of that token points to."""
    return f"{normalize_dkim_token(token)}.{dkim_target_zone(region, signing_hosted_zone)}"


def publish_dkim_key(
    store: ZoneStore,
    token: str,
    region: str,
    public_key_b64: str,
    *,
    signing_hosted_zone: str | None = None,
    ttl: int = DKIM_KEY_TTL,
) -> str:
    """Serve ``p=<key>`` at the token's key name, as SES does; returns that name.

    A ``signing_hosted_zone`` the store does not serve yet is added on the way, so the AWS half
    may hand SES's ``SigningHostedZone`` through unchanged.
    """
    zone = dkim_target_zone(region, signing_hosted_zone)
    if zone not in store.zones():
        with contextlib.suppress(ZoneError):  # another thread may add it first
            store.add_zone(zone, soa_minimum=60, soa_ttl=900)
    name = dkim_key_name(token, region, signing_hosted_zone)
    store.set_rrset(name, "TXT", ttl, [f"p={public_key_b64}"])
    return name

"""Route 53 hosted-zone lookup for a domain: the closest enclosing public zone.

``ListHostedZonesByName`` is a start point in the zone list (ordered by reversed labels), not a
filter, so the lookup asks for each candidate name from the domain up (``a.b.example.com``,
``b.example.com``, ``example.com``...) and keeps only zones whose name matches exactly. This
also works with moto, whose version of the call is an exact-match filter. Private zones are
skipped with the reason (SES verifies over public DNS); several public zones of one name are
reported, because only the one the registrar delegates to is live.

Record changes are a DNS provider built elsewhere on top of this and ``AwsSession``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.names import DomainError, normalize_domain, parent_names

SERVICE = "route53"
PAGE_SIZE = "100"
PRIVATE_REASON = "private zone (visible only inside its VPCs; SES checks public DNS)"


@dataclass(frozen=True)
class HostedZone:
    id: str
    name: str
    private: bool
    record_count: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class SkippedZone:
    zone: HostedZone
    reason: str


@dataclass(frozen=True)
class ZoneLookup:
    """The outcome of a lookup. ``zone`` is set only when exactly one public zone fits."""

    domain: str
    zone: HostedZone | None
    candidates: tuple[HostedZone, ...] = ()
    skipped: tuple[SkippedZone, ...] = ()
    message: str = ""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass(frozen=True)
class HostedZoneDetails:
    zone: HostedZone
    name_servers: tuple[str, ...]


def zone_id(raw_id: str) -> str:
    """``/hostedzone/Z123`` -> ``Z123``."""
    return raw_id.rsplit("/", 1)[-1]


def _zone(raw: Mapping[str, Any]) -> HostedZone:
    config = raw.get("Config") or {}
    count = raw.get("ResourceRecordSetCount")
    return HostedZone(
        id=zone_id(str(raw["Id"])),
        name=str(raw["Name"]).rstrip(".").lower(),
        private=bool(config.get("PrivateZone", False)),
        record_count=int(count) if count is not None else None,
        comment=config.get("Comment") or None,
    )


def _zones_named(session: AwsSession, name: str) -> list[HostedZone]:
    """All hosted zones called exactly ``name``, following NextDNSName/NextHostedZoneId."""
    found: list[HostedZone] = []
    params: dict[str, Any] = {"DNSName": name + ".", "MaxItems": PAGE_SIZE}
    while True:
        page = session.call(SERVICE, "ListHostedZonesByName", "list_hosted_zones_by_name", **params)
        for raw in page.get("HostedZones") or ():
            zone = _zone(raw)
            if zone.name != name:
                # The list is ordered: once past the name, no later zone can match.
                return found
            found.append(zone)
        next_name = str(page.get("NextDNSName") or "").rstrip(".").lower()
        if not page.get("IsTruncated") or next_name != name:
            return found
        params["DNSName"] = page["NextDNSName"]
        params["HostedZoneId"] = page["NextHostedZoneId"]


def find_hosted_zone(session: AwsSession, domain: str) -> ZoneLookup:
    """Walk up from ``domain`` to the closest name with a public hosted zone in this account."""
    try:
        name = normalize_domain(domain, min_labels=2)
    except DomainError as exc:
        raise AwsError(ErrorKind.INVALID_INPUT, exc.message, exc.hint) from None
    skipped: list[SkippedZone] = []
    for candidate in parent_names(name):
        zones = _zones_named(session, candidate)
        public = [z for z in zones if not z.private]
        skipped.extend(SkippedZone(z, PRIVATE_REASON) for z in zones if z.private)
        if len(public) == 1:
            return ZoneLookup(name, public[0], tuple(public), tuple(skipped))
        if len(public) > 1:
            ids = ", ".join(z.id for z in public)
            return ZoneLookup(
                name,
                None,
                tuple(public),
                tuple(skipped),
                f"{len(public)} public hosted zones are named {candidate} ({ids}): pick the one "
                "whose name servers the registrar lists (compare get_hosted_zone name servers).",
            )
    note = f" ({len(skipped)} private zone(s) skipped)" if skipped else ""
    return ZoneLookup(
        name,
        None,
        (),
        tuple(skipped),
        f"No public Route 53 hosted zone for {name} or a parent domain in this account{note}. "
        "Use another account's profile, or publish the records by hand.",
    )


def get_hosted_zone(session: AwsSession, hosted_zone_id: str) -> HostedZoneDetails:
    """The zone and its delegation-set name servers (to compare with the registrar's NS)."""
    response = session.call(SERVICE, "GetHostedZone", "get_hosted_zone", Id=zone_id(hosted_zone_id))
    servers = (response.get("DelegationSet") or {}).get("NameServers") or ()
    return HostedZoneDetails(
        _zone(response["HostedZone"]),
        tuple(str(s).rstrip(".").lower() for s in servers),
    )


def public_zone_names(session: AwsSession, limit: int = 200) -> list[str]:
    """Names of the account's public hosted zones (at most ``limit``), to suggest a domain."""
    names: list[str] = []
    params: dict[str, Any] = {"MaxItems": PAGE_SIZE}
    while len(names) < limit:
        page = session.call(SERVICE, "ListHostedZones", "list_hosted_zones", **params)
        names += [z.name for z in map(_zone, page.get("HostedZones") or ()) if not z.private]
        if not page.get("IsTruncated") or not page.get("NextMarker"):
            break
        params["Marker"] = page["NextMarker"]
    return sorted(set(names[:limit]))

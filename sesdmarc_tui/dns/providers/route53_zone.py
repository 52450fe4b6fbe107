"""Which Route 53 hosted zone the provider writes to, refused with the reason when unusable.

The zone is found by ``aws.route53.find_hosted_zone`` (walk up the labels, exact-name match,
private zones skipped). A private zone, or a public zone the registrar does not delegate to, is
refused: records written there are never seen by SES (ses-api.md s6). Delegation is checked
only when the caller passes ``public_ns`` (name -> the NS names public DNS gives), because that
needs a DNS lookup this module does not make itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sesdmarc_tui.aws.errors import AwsError
from sesdmarc_tui.aws.route53 import (
    PRIVATE_REASON,
    HostedZone,
    ZoneLookup,
    find_hosted_zone,
    get_hosted_zone,
)
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind

PublicNs = Callable[[str], Sequence[str]]


@contextmanager
def aws_errors() -> Iterator[None]:
    """AwsError (already translated by ``aws.errors.translate``) as a DnsProviderError."""
    try:
        yield
    except AwsError as exc:
        raise DnsProviderError(ProviderErrorKind.AWS, exc.message, exc.remedy) from exc


def _names(servers: Sequence[str]) -> set[str]:
    return {s.rstrip(".").lower() for s in servers}


def _delegation(
    session: AwsSession, zone: HostedZone, public_ns: PublicNs
) -> tuple[bool, set[str]]:
    """(whether public DNS delegates to this zone, the NS names public DNS lists)."""
    with aws_errors():
        details = get_hosted_zone(session, zone.id)
    public = _names(public_ns(zone.name))
    return bool(public & set(details.name_servers)), public


def _undelegated_error(zone: HostedZone, public: set[str]) -> DnsProviderError:
    listed = ", ".join(sorted(public)) or "no NS records"
    return DnsProviderError(
        ProviderErrorKind.ZONE,
        f"Hosted zone {zone.id} ({zone.name}) is not the delegated one: public DNS lists "
        f"{listed}, none of which serve this zone, so records written there are never seen.",
        "Set the registrar's name servers to the zone's (get_hosted_zone), or use the zone "
        "the registrar points to.",
    )


def _private_error(zone: HostedZone) -> DnsProviderError:
    return DnsProviderError(
        ProviderErrorKind.ZONE,
        f"Hosted zone {zone.id} ({zone.name}) is a {PRIVATE_REASON}.",
        f"Use the public hosted zone of {zone.name}, or publish the records by hand.",
    )


def _from_lookup(lookup: ZoneLookup, session: AwsSession, public_ns: PublicNs | None) -> HostedZone:
    if lookup.zone is not None:
        return lookup.zone
    if lookup.ambiguous and public_ns is not None:
        live = [z for z in lookup.candidates if _delegation(session, z, public_ns)[0]]
        if len(live) == 1:
            return live[0]
    if not lookup.candidates and lookup.skipped:
        private = lookup.skipped[0].zone
        if all(s.reason == PRIVATE_REASON for s in lookup.skipped):
            err = _private_error(private)
            raise DnsProviderError(
                ProviderErrorKind.ZONE,
                f"No public hosted zone for {lookup.domain}: {err.message}",
                err.remedy,
            )
    raise DnsProviderError(
        ProviderErrorKind.ZONE,
        lookup.message or f"No usable hosted zone for {lookup.domain}.",
        "Pick the hosted zone by its ID, or publish the records by hand.",
    )


def resolve_zone(
    session: AwsSession,
    *,
    zone_id: str | None = None,
    domain: str | None = None,
    public_ns: PublicNs | None = None,
) -> HostedZone:
    """The public hosted zone to write to: by ID, or the closest enclosing zone of ``domain``."""
    if zone_id is not None:
        with aws_errors():
            zone = get_hosted_zone(session, zone_id).zone
        if zone.private:
            raise _private_error(zone)
    elif domain is not None:
        with aws_errors():
            lookup = find_hosted_zone(session, domain)
        zone = _from_lookup(lookup, session, public_ns)
    else:
        raise ValueError("give zone_id or domain")
    if public_ns is not None:
        delegated, public = _delegation(session, zone, public_ns)
        if not delegated:
            raise _undelegated_error(zone, public)
    return zone

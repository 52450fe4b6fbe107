"""Building the chosen DNS provider for a domain (the default ``FlowContext.dns_provider``).

The providers themselves live in ``dns.providers``; this only wires the operator's choices to
them: the Route 53 session (possibly another account's profile), the RFC 2136 key (its secret
from ``FlowContext.secrets``, never from the state), and the zone apex for the providers that
need it named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.names import normalize_domain, org_domain_psl, parent_names
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind
from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext, ProviderConfig

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import DnsProvider


def find_zone_apex(lookup: Lookup, domain: str) -> str | None:
    """The closest enclosing name that has an SOA record: the zone the domain's records are in.

    Stops at the registered domain: above it are public suffixes, which are never the zone an
    operator can write to.
    """
    name = normalize_domain(domain)
    floor = org_domain_psl(name)
    for candidate in parent_names(name):
        answer = lookup(candidate, "SOA")
        if answer.kind is AnswerKind.OK and answer.values and not answer.cname_chain:
            return candidate
        if candidate == floor:
            break
    return None


def zone_for(ctx: FlowContext, config: ProviderConfig, domain: str) -> str:
    if config.zone:
        return normalize_domain(config.zone)
    found = find_zone_apex(ctx.lookup, domain)
    if found is None:
        raise DnsProviderError(
            ProviderErrorKind.ZONE,
            f"No zone (SOA record) was found for {domain} or a parent domain.",
            "Type the zone name (usually the registered domain, such as example.com).",
        )
    return found


def build_provider(ctx: FlowContext, config: ProviderConfig, domain: str) -> DnsProvider:
    if config.kind == "route53":
        from sesdmarc_tui.dns.providers.route53 import Route53Provider

        session = ctx.session(config.profile, config.region or ctx.default_region or "us-east-1")

        def public_ns(zone: str) -> list[str]:
            answer = ctx.lookup(zone, "NS")
            return list(answer.values) if answer.kind is AnswerKind.OK else []

        return Route53Provider(
            session,
            zone_id=config.zone_id,
            domain=None if config.zone_id else domain,
            public_ns=public_ns if ctx.check_delegation else None,
            sleep=ctx.sleep,
        )
    if config.kind == "rfc2136":
        from sesdmarc_tui.dns.providers.rfc2136 import Rfc2136Provider
        from sesdmarc_tui.dns.providers.rfc2136_wire import TsigKey

        if not config.server:
            raise DnsProviderError(
                ProviderErrorKind.PLAN,
                "No RFC 2136 server was given.",
                "Enter the primary server's address in the Domain step.",
            )
        key = None
        if config.key_name:
            secret = ctx.secrets.get(TSIG_SECRET, "")
            if not secret:
                raise DnsProviderError(
                    ProviderErrorKind.TSIG,
                    "The TSIG secret is not known in this session (it is never saved).",
                    "Enter the TSIG secret again in the Domain step.",
                )
            key = TsigKey(config.key_name, config.algorithm, secret)
        return Rfc2136Provider(
            config.server,
            zone_for(ctx, config, domain),
            key,
            port=config.port,
            sleep=ctx.sleep,
        )
    from sesdmarc_tui.dns.providers.manual import ManualProvider

    return ManualProvider(zone_for(ctx, config, domain), ctx.lookup, sleep=ctx.sleep)

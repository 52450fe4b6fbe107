"""Step 2, Domain: the domain, its organizational domain, its SES identity, where DNS lives.

The domain is normalised to its A-label form. An SES identity that already exists in this
account and region is adopted by the DKIM step, never recreated. The DNS provider is built
here once to surface its problems early: a Route 53 zone that is private, missing, ambiguous
or not the delegated one; an RFC 2136 key without its secret (never saved, so asked again on
resume); a zone that cannot be found for manual publishing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.names import org_domain_psl
from sesdmarc_tui.dns.providers.errors import DnsProviderError
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Choice,
    Fact,
    Field,
    FlowError,
    InputError,
    Inspection,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.providers import find_zone_apex
from sesdmarc_tui.flow.runner import apply_plan
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    DOMAIN,
    complete,
    dns_provider,
    expect,
    owner,
    owner_ses,
    planned,
    profile_choices,
    profile_of,
    provider_config,
)

PROVIDERS = (
    Choice(
        "route53",
        "Route 53",
        "The wizard writes the records to the hosted zone (found by walking up the domain's "
        "labels; private or undelegated zones are refused).",
    ),
    Choice(
        "rfc2136",
        "RFC 2136 (dynamic update)",
        "The wizard sends signed updates (TSIG) to your primary server: BIND, Knot, PowerDNS.",
    ),
    Choice(
        "manual",
        "Manual",
        "You add the records at your DNS host; the wizard gives you copy-ready values, a "
        "zone-file snippet and CSV, and watches DNS until they appear.",
    ),
)


@dataclass(frozen=True, kw_only=True)
class DomainInspection(Inspection):
    domain: str
    organizational_domain: str
    identity: IdentityStatus | None
    dns_zone: str | None
    name_servers: tuple[str, ...]
    provider: str
    provider_zone: str | None
    provider_error: DnsProviderError | None


def _algorithms(_ctx: FlowContext, _state: SessionState) -> list[Choice]:
    # rfc2136_wire loads dnspython's network modules: only when RFC 2136 is really chosen.
    from sesdmarc_tui.dns.providers.rfc2136_wire import ALGORITHMS

    return [Choice(name, name) for name in ALGORITHMS]


def _algorithm(text: str) -> str:
    from sesdmarc_tui.dns.providers.rfc2136_wire import ALGORITHMS

    value = text.strip().lower().rstrip(".")
    if value not in ALGORITHMS:
        raise InputError(f"{text!r} is not a TSIG algorithm.", "hmac-sha256 is the usual one.")
    return value


def _provider_fields(state: SessionState) -> list[Field]:
    kind = state.value(DOMAIN, "provider")
    if kind == "route53":
        return [
            Field(
                "route53_profile",
                "Route 53 profile",
                "choice",
                help="The profile of the account whose hosted zone holds the domain (often the "
                "identity owner).",
                choices=profile_choices,
                required=False,
                suggest=lambda _ctx, st: profile_of(st),
            ),
            Field(
                "route53_zone_id",
                "Hosted zone ID",
                help="Only when several public zones share the name: the one the registrar "
                "delegates to.",
                required=False,
                placeholder="Z0123456789ABCDEFGHIJ",
            ),
        ]
    if kind == "rfc2136":
        return [
            Field("rfc2136_server", "Primary server address", validator=validators.ipv4_or_6),
            Field("rfc2136_port", "Port", default="53", validator=validators.port),
            Field(
                "rfc2136_key_name",
                "TSIG key name",
                help="Leave empty only if the server accepts unsigned updates from this address.",
                validator=validators.dns_name,
                required=False,
            ),
            Field(
                "rfc2136_algorithm",
                "TSIG algorithm",
                "choice",
                default="hmac-sha256",
                choices=_algorithms,
                validator=_algorithm,
            ),
            Field(
                TSIG_SECRET,
                "TSIG secret",
                "secret",
                help="Base64, as in the server's key file. Kept in memory only, never saved.",
                validator=validators.base64_secret,
                required=False,
            ),
            Field(
                "zone",
                "Zone",
                help="Found from DNS when empty.",
                required=False,
                validator=validators.domain,
            ),
        ]
    if kind == "manual":
        return [
            Field(
                "zone",
                "Zone",
                help="Found from DNS when empty.",
                required=False,
                validator=validators.domain,
            ),
        ]
    return []


def suggest_domain(ctx: FlowContext, state: SessionState) -> str | None:
    """The domain when the owner's account makes it obvious: its only public hosted zone.

    A suggestion only: any failure to list (no Route 53 access, another DNS host) means no
    suggestion, never an error on the form."""
    from sesdmarc_tui.aws.errors import AwsError
    from sesdmarc_tui.aws.route53 import public_zone_names

    try:
        names = public_zone_names(owner(ctx, state), limit=2)
    except (AwsError, FlowError):
        return None
    return names[0] if len(names) == 1 else None


class DomainStep:
    id = DOMAIN
    title = "Domain"
    help_id = "domain"

    def fields(self, state: SessionState) -> list[Field]:
        return [
            Field(
                "domain",
                "Domain",
                help="The domain mail will be sent From, e.g. example.com (IDN allowed).",
                validator=validators.domain,
                placeholder="example.com",
                suggest=suggest_domain,
            ),
            Field(
                "provider",
                "DNS provider",
                "choice",
                default="route53",
                help="How the records get published.",
                static_choices=PROVIDERS,
            ),
            *_provider_fields(state),
        ]

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain = validators.domain(state.value(DOMAIN, "domain") or state.domain or "")
        identity = owner_ses(ctx, state).get_identity(domain)
        apex = find_zone_apex(ctx.lookup, domain)
        ns = ctx.lookup(apex, "NS") if apex else None
        servers = tuple(ns.values) if ns is not None and ns.kind is AnswerKind.OK else ()
        config = provider_config(state)
        zone: str | None = None
        problem: DnsProviderError | None = None
        try:
            zone = dns_provider(ctx, state, domain).zone
        except DnsProviderError as exc:
            problem = exc
        org = org_domain_psl(domain)
        facts = [
            Fact("Domain", domain, "ok"),
            Fact("Organizational domain", org + ("" if org == domain else " (DMARC goes here)")),
            Fact(
                "SES identity",
                f"exists in {identity.region} (DKIM {identity.dkim_status or 'unknown'}): it "
                "will be adopted, not recreated."
                if identity
                else "none yet: the DKIM step creates it.",
                "ok" if identity else "info",
            ),
            Fact(
                "DNS zone",
                f"{apex} served by {', '.join(servers) or 'unknown servers'}"
                if apex
                else "No zone found in public DNS.",
                "info" if apex else "warn",
            ),
        ]
        if problem is not None:
            facts.append(Fact("DNS provider", problem.message, "error", problem.remedy))
        else:
            facts.append(
                Fact("DNS provider", f"{config.kind}: records go to the zone {zone}.", "ok")
            )
        return DomainInspection(
            step_id=self.id,
            facts=tuple(facts),
            domain=domain,
            organizational_domain=org,
            identity=identity,
            dns_zone=apex,
            name_servers=servers,
            provider=config.kind,
            provider_zone=zone,
            provider_error=problem,
            zone=zone,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, DomainInspection)
        blockers = tuple(f for f in found.facts if f.level == "error")
        return Plan(step_id=self.id, blockers=blockers, inspection=found)

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, DomainInspection)
        if not plan.blocked:
            state.domain = found.domain
            state.provider = found.provider
            state.step(self.id).resources.update(
                {
                    "organizational_domain": found.organizational_domain,
                    "zone": found.provider_zone,
                    "identity_existed": found.identity is not None,
                }
            )
            complete(ctx, state, self.id)
        return apply_plan(ctx, state, plan, progress, execute=lambda _a: "")

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        if not (state.domain and state.provider):
            if state.value(DOMAIN, "domain"):
                return StepStatus("current", "Confirm the domain and the DNS provider.")
            return StepStatus("todo", "Type the domain and choose how DNS is published.")
        keyed = state.provider == "rfc2136" and state.value(DOMAIN, "rfc2136_key_name")
        if keyed and not ctx.secrets.get(TSIG_SECRET):
            return StepStatus(
                "attention",
                "The TSIG secret is needed again (it is never saved).",
                "Enter the TSIG secret in the Domain step.",
            )
        return StepStatus("done", f"{state.domain}, published with {state.provider}.")

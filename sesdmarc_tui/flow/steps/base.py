"""The ``Step`` protocol every wizard step implements, and what the steps share.

A step is described once: its fields, a read-only ``inspect``, a ``plan`` that compares wanted
with current (empty when nothing is to do), an ``apply`` that carries the plan out through
``runner.apply_plan``, and a live ``status``. Every method blocks and may call AWS or DNS, so
front ends call them from a worker thread; progress comes back through the callback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from sesdmarc_tui.flow.context import FlowContext, ProviderConfig, ProviderKind
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Choice,
    Field,
    FlowError,
    Inspection,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.state import SessionState

if TYPE_CHECKING:
    from sesdmarc_tui.aws.ses import SesAdapter
    from sesdmarc_tui.aws.session import AwsSession
    from sesdmarc_tui.dns.providers.base import DnsProvider

InspectionT = TypeVar("InspectionT", bound=Inspection)

ACCOUNTS = "accounts"
DOMAIN = "domain"
DKIM = "dkim"
MAIL_FROM = "mail_from"
DMARC = "dmarc"
AUTHORIZATION = "authorization"
TEST_EMAIL = "test_email"
SUMMARY = "summary"


class Step(Protocol):
    id: str
    title: str
    help_id: str

    def fields(self, state: SessionState) -> list[Field]: ...

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection: ...

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan: ...

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport: ...

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus: ...


def expect(inspection: Inspection, kind: type[InspectionT]) -> InspectionT:
    """The step's own inspection type, or a clear error when another step's was passed."""
    if not isinstance(inspection, kind):
        raise FlowError(
            f"This plan needs a {kind.__name__}, not a {type(inspection).__name__}.",
            "Inspect the step again, then plan.",
        )
    return inspection


def planned(plan: Plan, kind: type[InspectionT]) -> InspectionT:
    """The inspection a plan was made from (apply needs what inspect read)."""
    if plan.inspection is None:
        raise FlowError("The plan carries no inspection.", "Inspect the step again, then plan.")
    return expect(plan.inspection, kind)


def missing(what: str, step_title: str) -> FlowError:
    return FlowError(
        f"{what} is not chosen yet.", f"Complete the {step_title} step first.", kind="missing"
    )


def profile_of(state: SessionState) -> str | None:
    return state.value(ACCOUNTS, "profile") or None


def region_of(state: SessionState) -> str:
    region = state.region or state.value(ACCOUNTS, "region")
    if not region:
        raise missing("The SES region", "Accounts")
    return region


def domain_of(state: SessionState) -> str:
    domain = state.domain or state.value(DOMAIN, "domain")
    if not domain:
        raise missing("The domain", "Domain")
    return domain


def profile_choices(ctx: FlowContext, _state: SessionState) -> list[Choice]:
    return [Choice(p.name, p.label) for p in ctx.profiles()]


def owner(ctx: FlowContext, state: SessionState) -> AwsSession:
    return ctx.session(profile_of(state), region_of(state))


def owner_ses(ctx: FlowContext, state: SessionState) -> SesAdapter:
    return ctx.ses(owner(ctx, state))


def identity_arn(state: SessionState) -> str:
    from sesdmarc_tui.core.regions import identity_arn as build

    if not state.account:
        raise missing("The identity-owner account", "Accounts")
    return build(region_of(state), state.account, domain_of(state))


def provider_config(state: SessionState) -> ProviderConfig:
    inputs = state.inputs(DOMAIN)
    kind = inputs.get("provider") or state.provider
    if kind not in ("route53", "rfc2136", "manual"):
        raise missing("The DNS provider", "Domain")
    chosen: ProviderKind = kind  # type: ignore[assignment]
    port = inputs.get("rfc2136_port") or "53"
    return ProviderConfig(
        kind=chosen,
        profile=(inputs.get("route53_profile") or profile_of(state))
        if chosen == "route53"
        else None,
        region=region_of(state) if chosen == "route53" else None,
        zone_id=inputs.get("route53_zone_id") or None,
        server=inputs.get("rfc2136_server") or None,
        port=int(port) if port.isdigit() else 53,
        key_name=inputs.get("rfc2136_key_name") or None,
        algorithm=inputs.get("rfc2136_algorithm") or "hmac-sha256",
        zone=inputs.get("zone") or None,
    )


def dns_provider(ctx: FlowContext, state: SessionState, domain: str) -> DnsProvider:
    return ctx.provider(provider_config(state), domain)


def complete(ctx: FlowContext, state: SessionState, step_id: str) -> None:
    """Stamp the step as completed (kept as history; the live status still decides)."""
    from sesdmarc_tui.flow.state import iso_time

    state.step(step_id).completed_at = iso_time(ctx.now())

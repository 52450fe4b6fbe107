"""The reports collection as a wizard step: fields, inspect, plan, apply, status.

It follows the ``Step`` protocol, so a front end adds it to a ``Wizard``'s steps (or calls it
directly) like any other. What it leaves in the session (``state.step("reports").resources``)
is what the rest of the wizard needs: the ``rua`` URI for the DMARC record, the external
destination record when the address is in another organisation, and the ``s3://`` source the
Reports screen reads.
"""

from __future__ import annotations

from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Choice,
    Field,
    InputError,
    Inspection,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.reports.actions import execute, plan_collection, remember
from sesdmarc_tui.flow.reports.inspect import (
    REPORTS,
    CollectionInspection,
    inspect_collection,
    receiving,
)
from sesdmarc_tui.flow.runner import apply_plan, save
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import dns_provider, expect, planned


def _address(text: str) -> str:
    try:
        return spec.reports_address(text).address
    except spec.CollectionError as exc:
        raise InputError(exc.message, exc.hint) from None


def _region(text: str) -> str:
    region = text.strip().lower()
    try:
        spec.inbound_host(region)
    except spec.CollectionError as exc:
        raise InputError(exc.message, exc.hint) from None
    return region


def collection_rua(state: SessionState) -> str | None:
    """The ``rua`` URI of the reports address this wizard set up, if any."""
    found = state.resource(REPORTS, "rua")
    return found if isinstance(found, str) else None


def collection_source(state: SessionState) -> str | None:
    found = state.resource(REPORTS, "source")
    return found if isinstance(found, str) else None


class ReportsCollectionStep:
    id = REPORTS
    title = "Reports collection"
    help_id = "reports"

    def fields(self, state: SessionState) -> list[Field]:
        domain = state.domain or "example.com"
        return [
            Field(
                "address",
                "Reports address",
                default=spec.default_address(domain),
                help="Where receivers send the aggregate reports; a subdomain keeps the MX "
                "that points it at SES away from your own mail.",
                validator=_address,
            ),
            Field(
                "region",
                "Receiving region",
                "choice",
                default=state.region if state.region in spec.RECEIVING_REGIONS else "us-east-1",
                help="SES receives mail in fewer regions than it sends from.",
                static_choices=tuple(Choice(r, r) for r in spec.RECEIVING_REGIONS),
                validator=_region,
            ),
            Field("bucket", "S3 bucket", required=False, help="Default: one named after you."),
            Field("prefix", "Key prefix", required=False, help="Default: dmarc/<address domain>/."),
        ]

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        return inspect_collection(ctx, state)

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        return plan_collection(ctx, state, expect(inspection, CollectionInspection))

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, CollectionInspection)
        provider = dns_provider(ctx, state, found.address.domain) if plan.dns else None
        report = apply_plan(
            ctx,
            state,
            plan,
            progress,
            execute=lambda action: execute(ctx, state, found, action),
            provider=provider,
        )
        remember(state, found)
        save(ctx, state)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        region = state.resource(REPORTS, "region")
        rule_set = state.resource(REPORTS, "rule_set")
        rule = state.resource(REPORTS, "rule")
        if not (isinstance(region, str) and isinstance(rule_set, str) and isinstance(rule, str)):
            return StepStatus("todo", "No reports collection set up by this wizard yet.")
        _s3, rules = receiving(ctx, state, region)
        active = rules.active_rule_set()
        if active is None or active.name != rule_set or active.rule(rule) is None:
            return StepStatus(
                "attention",
                f"The receipt rule {rule} is not in the active rule set in {region}.",
                "Run the reports collection again.",
            )
        address = state.resource(REPORTS, "address")
        answer = ctx.lookup(str(address).rpartition("@")[2], "MX")
        if not any(spec.inbound_host(region) in v for v in answer.values):
            return StepStatus("current", f"Waiting for the MX of {address} to be visible.")
        return StepStatus("done", f"Reports to {address} are stored in {collection_source(state)}.")

"""The reports collection as a wizard step: fields, inspect, plan, apply, status.

It sits between MAIL FROM and DMARC in ``default_steps`` (SES receives only for a verified
domain, and the DMARC step's ``rua`` points at the address it sets up). It is optional: the
first field asks whether to collect with SES at all, and "skip" (the default, since it creates
AWS resources and an MX) inspects nothing, plans nothing and writes nothing to AWS or DNS.
What it leaves in the session (``state.step("reports").resources``) is what the rest of the
wizard needs: the ``rua`` URI for the DMARC record, the external destination record when the
address is in another organisation, and the ``s3://`` source the Reports screen reads.
"""

from __future__ import annotations

from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.flow.context import FlowContext
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
from sesdmarc_tui.flow.reports.actions import execute, plan_collection, remember
from sesdmarc_tui.flow.reports.inspect import (
    REPORTS,
    CollectionInspection,
    inspect_collection,
    receiving,
)
from sesdmarc_tui.flow.runner import apply_plan, save
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import complete, dns_provider, expect, planned

SKIP = "skip"
SES = "ses"
MODES = (
    Choice(
        SKIP,
        "Skip: no collection by the wizard",
        "Nothing is created in AWS or DNS; the reports go wherever the DMARC step's rua says "
        "(read them later with the Reports screen or `sesdmarc reports PATH`).",
    ),
    Choice(
        SES,
        "Collect with SES receiving into S3",
        "A reports address whose MX points at SES, a receipt rule that stores its mail in an "
        "S3 bucket (with the bucket policy SES needs), and the rua for the DMARC step.",
    ),
)
SKIPPED = "Skipped: no reports collection set up by the wizard (nothing was created)."


def _address(text: str) -> str:
    try:
        return spec.reports_address(text).address
    except spec.CollectionError as exc:
        raise InputError(exc.message, exc.hint) from None


def _bucket(text: str) -> str:
    try:
        return spec.validate_bucket(text)
    except spec.CollectionError as exc:
        raise InputError(exc.message, exc.hint) from None


def _prefix(text: str) -> str:
    try:
        return spec.validate_prefix(text)
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


def _set_up(state: SessionState) -> bool:
    return all(isinstance(state.resource(REPORTS, k), str) for k in ("region", "rule_set", "rule"))


def mode_of(state: SessionState) -> str | None:
    """``ses``, ``skip``, or None when the operator has not said (inspected as a skip).

    A session that set collection up before the choice existed counts as ``ses``."""
    mode = state.inputs(REPORTS).get("collect")
    if mode in (SES, SKIP):
        return mode
    return SES if _set_up(state) else None


class ReportsCollectionStep:
    id = REPORTS
    title = "Reports inbox"
    help_id = "reports_collection"

    def fields(self, state: SessionState) -> list[Field]:
        mode = Field(
            "collect",
            "Collect the DMARC reports",
            "choice",
            default=SES if _set_up(state) else SKIP,
            help="Optional. Skip it if the reports go to a mailbox or service you already have.",
            static_choices=MODES,
        )
        if mode_of(state) != SES:
            return [mode]
        domain = state.domain or "example.com"
        return [
            mode,
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
            Field(
                "bucket",
                "S3 bucket",
                required=False,
                help="Default: one named after you.",
                validator=_bucket,
            ),
            Field(
                "prefix",
                "Key prefix",
                required=False,
                help="Default: dmarc/<address domain>/.",
                validator=_prefix,
            ),
        ]

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        if mode_of(state) != SES:  # reads nothing: a skip must not need S3 or SES rights
            return Inspection(step_id=self.id, facts=(Fact("Reports inbox", SKIPPED),))
        return inspect_collection(ctx, state)

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        if not isinstance(inspection, CollectionInspection):
            return Plan(step_id=self.id, inspection=inspection)  # skipped: nothing to do
        return plan_collection(ctx, state, expect(inspection, CollectionInspection))

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        if not isinstance(plan.inspection, CollectionInspection):
            # Skipped: keep the choice, so the checklist shows the step as decided.
            state.inputs(self.id)["collect"] = SKIP
            complete(ctx, state, self.id)
            report = apply_plan(ctx, state, plan, progress, execute=_nothing)
            save(ctx, state)
            return report
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
        mode = mode_of(state)
        if mode == SKIP:
            return StepStatus("done", SKIPPED)
        region = state.resource(REPORTS, "region")
        rule_set = state.resource(REPORTS, "rule_set")
        rule = state.resource(REPORTS, "rule")
        if not (isinstance(region, str) and isinstance(rule_set, str) and isinstance(rule, str)):
            if mode is None:
                return StepStatus(
                    "todo",
                    "Not decided: collect the reports with SES receiving, or skip.",
                    "Skipping writes nothing; the DMARC step's rua then decides where they go.",
                )
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


def _nothing(_action: object) -> str:
    raise FlowError("A skipped reports collection has no actions.")

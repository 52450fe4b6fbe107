"""Step 1, Accounts: the identity owner's profile and SES region, and what AWS says about them.

Read-only: caller identity (STS, needs no permission), the SES account in that region
(sandbox or production, quota; per region), and organization membership (which decides
whether the Authorization step can offer the tree). Applying it records the account and
region in the session, which, with the domain, names the session file.
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.aws.errors import AwsError
from sesdmarc_tui.aws.organizations import OrgAccess, OrgTree
from sesdmarc_tui.aws.ses_models import AccountStatus
from sesdmarc_tui.aws.session import CallerIdentity
from sesdmarc_tui.core.regions import ses_region, ses_region_names
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Choice,
    Fact,
    Field,
    FlowError,
    Inspection,
    Level,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.runner import apply_plan
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    ACCOUNTS,
    complete,
    expect,
    planned,
    profile_choices,
    profile_of,
)


@dataclass(frozen=True, kw_only=True)
class AccountsInspection(Inspection):
    profile: str | None
    region: str
    identity: CallerIdentity
    account_status: AccountStatus | None
    organization: OrgAccess


def _suggest_profile(ctx: FlowContext, _state: SessionState) -> str | None:
    if ctx.default_profile:
        return ctx.default_profile
    found = ctx.profiles()
    return found[0].name if found else None


def _suggest_region(ctx: FlowContext, state: SessionState) -> str | None:
    chosen = profile_of(state)
    for info in ctx.profiles():
        if info.name == chosen and info.region:
            return info.region
    return ctx.default_region


def _sending_fact(status: AccountStatus | None, error: AwsError | None, region: str) -> Fact:
    if status is None:
        reason = error.message if error is not None else "no answer"
        return Fact("SES account", f"Not readable: {reason}", "warn", error.remedy if error else "")
    if status.in_sandbox:
        return Fact(
            "SES account",
            f"Sandbox in {region}: mail only to verified addresses, "
            f"{status.max_24_hour_send or 0:g} messages a day.",
            "warn",
            "Request production access for this region before real sending.",
        )
    quota = "unlimited" if status.unlimited_daily_quota else f"{status.max_24_hour_send or 0:g}"
    level: Level = "ok" if status.sending_enabled and status.enforcement == "healthy" else "warn"
    return Fact("SES account", f"Production in {region}, daily quota {quota}.", level)


def _org_fact(access: OrgAccess) -> Fact:
    org = access.organization
    if access.tree_available and org is not None:
        return Fact("Organization", f"{org.id}: the tree can be browsed from this account.", "ok")
    if org is not None:
        return Fact("Organization", f"Member of {org.id}; {access.reason}", "info")
    if access.state == "not_in_organization":
        return Fact("Organization", "Not in an organization: delegates are named by account ID.")
    return Fact("Organization", access.reason or "Not readable.", "warn")


class AccountsStep:
    id = ACCOUNTS
    title = "Accounts"
    help_id = "accounts"

    def fields(self, state: SessionState) -> list[Field]:
        return [
            Field(
                "profile",
                "Identity-owner profile",
                "choice",
                help="The AWS profile of the account that will own the domain identity in SES.",
                choices=profile_choices,
                suggest=_suggest_profile,
            ),
            Field(
                "region",
                "SES region",
                "choice",
                help="Identities, policies, sandbox and quotas are per region; delegates send "
                "in this region too.",
                validator=validators.region,
                static_choices=tuple(Choice(n, ses_region(n).label) for n in ses_region_names()),
                suggest=_suggest_region,
            ),
        ]

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        profile = profile_of(state)
        region = state.value(ACCOUNTS, "region") or state.region
        if not region:
            raise FlowError("No SES region was chosen.", "Pick the region in this step.")
        session = ctx.session(profile, region)
        identity = session.caller_identity()
        status: AccountStatus | None = None
        error: AwsError | None = None
        try:
            status = ctx.ses(session).get_account()
        except AwsError as exc:
            error = exc
        organization = OrgTree(session).load()
        facts = (
            Fact("Account", identity.account, "ok"),
            Fact("Signed in as", identity.arn),
            Fact("Region", region),
            _sending_fact(status, error, region),
            _org_fact(organization),
        )
        return AccountsInspection(
            step_id=self.id,
            facts=facts,
            profile=profile,
            region=region,
            identity=identity,
            account_status=status,
            organization=organization,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, AccountsInspection)
        blockers: tuple[Fact, ...] = ()
        if state.account and state.domain and state.account != found.identity.account:
            blockers = (
                Fact(
                    "Account",
                    f"This session belongs to account {state.account}, but the profile signs "
                    f"in to {found.identity.account}.",
                    "error",
                    "Pick the profile of the session's account, or start a new session.",
                ),
            )
        return Plan(step_id=self.id, blockers=blockers, inspection=found)

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, AccountsInspection)
        if not plan.blocked:
            state.account = found.identity.account
            state.region = found.region
            org = found.organization.organization
            state.step(self.id).resources.update(
                {
                    "principal_arn": found.identity.arn,
                    "organization_id": org.id if org is not None else None,
                    "organization_tree": found.organization.tree_available,
                    "sandbox": found.account_status.in_sandbox if found.account_status else None,
                }
            )
            complete(ctx, state, self.id)
        return apply_plan(ctx, state, plan, progress, execute=lambda _a: "")

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        if state.account and state.region:
            return StepStatus("done", f"Account {state.account} in {state.region}.")
        if state.value(ACCOUNTS, "profile") or state.value(ACCOUNTS, "region"):
            return StepStatus("current", "Confirm the profile and region.")
        return StepStatus("todo", "Pick the identity owner's profile and SES region.")

"""Step 6, Authorization: the identity policy that lets delegate accounts send as the domain.

The policy is built by ``core.policy`` (``aws:PrincipalOrgID`` on every org statement, org
paths with the exact ``ForAnyValue:StringLike`` form), linted, checked by IAM Access Analyzer
where the account allows it, and compared with what the identity already has: an equal policy
means an empty plan. The delegate's least-privilege IAM policy and a "who may send?" answer for
any account come with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sesdmarc_tui.aws.access_analyzer import PolicyValidation
from sesdmarc_tui.aws.organizations import OrgAccess, OrgTree
from sesdmarc_tui.aws.ses import same_policy
from sesdmarc_tui.core.policy import (
    DEFAULT_POLICY_NAME,
    build_policy_json,
    delegate_iam_policy,
    lint_policy,
    policy_json_pretty,
)
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    Action,
    ApplyReport,
    Fact,
    Field,
    FlowError,
    Inspection,
    Level,
    Plan,
    Preview,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.runner import apply_plan
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    AUTHORIZATION,
    complete,
    domain_of,
    expect,
    identity_arn,
    owner,
    owner_ses,
    planned,
)
from sesdmarc_tui.flow.steps.senders import SCOPES, build_scopes, org_tree, target_choices

_SEVERITY: dict[str, Level] = {"error": "error", "warning": "warn", "info": "info"}


@dataclass(frozen=True, kw_only=True)
class AuthorizationInspection(Inspection):
    domain: str
    identity_exists: bool
    policies: dict[str, str]
    organization: OrgAccess
    tree: OrgTree  # for screens that browse it lazily (children() in a worker)
    policy_name: str
    wanted: str | None  # compact policy JSON, or None when the inputs make none
    problem: str | None = None


def _from_addresses(state: SessionState) -> list[str]:
    text = state.value(AUTHORIZATION, "from_addresses")
    return [p for p in text.replace(",", " ").split() if p]


def _analyzer_facts(result: PolicyValidation) -> tuple[list[Fact], list[Fact]]:
    if not result.available:
        return [], [Fact("IAM Access Analyzer", result.unavailable_reason or "Not available.")]
    blockers = [Fact(f.issue_code, f.details, "error") for f in result.findings if f.is_error]
    notes = [Fact(f.issue_code, f.details, "warn") for f in result.findings if not f.is_error] or [
        Fact("IAM Access Analyzer", "No findings.", "ok")
    ]
    return blockers, notes


class AuthorizationStep:
    id = AUTHORIZATION
    title = "Authorization"
    help_id = "authorization"

    def fields(self, state: SessionState) -> list[Field]:
        domain = state.domain or "example.com"
        scope = state.value(self.id, "scope") or "organization"
        fields = [
            Field("scope", "Who may send", "choice", default="organization", static_choices=SCOPES),
        ]
        if scope != "organization":
            fields.append(
                Field(
                    "targets",
                    "Account IDs" if scope == "accounts" else "OUs",
                    "multi",
                    help="Pick from the organization tree, or type IDs (OUs as full org paths "
                    "when the tree cannot be read).",
                    validator=validators.account_ids
                    if scope == "accounts"
                    else validators.org_targets,
                    choices=target_choices,
                )
            )
        fields += [
            Field(
                "from_addresses",
                "Restrict From addresses",
                required=False,
                help=f"Optional ses:FromAddress patterns, e.g. *@{domain} or app@{domain}.",
                validator=validators.from_patterns(domain),
            ),
            Field(
                "policy_name",
                "Policy name",
                default=DEFAULT_POLICY_NAME,
                validator=validators.policy_name,
            ),
        ]
        return fields

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain = domain_of(state)
        ses = owner_ses(ctx, state)
        identity = ses.get_identity(domain)
        policies = ses.get_policies(domain) if identity is not None else {}
        tree = org_tree(ctx, state)
        access = tree.load()
        name = state.value(self.id, "policy_name") or DEFAULT_POLICY_NAME
        wanted: str | None = None
        problem: str | None = None
        remedy = "Adjust the scope or the IDs."
        try:
            wanted = build_policy_json(
                identity_arn(state),
                build_scopes(ctx, state, tree),
                from_addresses=_from_addresses(state),
            )
        except (ValueError, FlowError) as exc:
            problem = str(getattr(exc, "message", "") or exc)
            remedy = str(getattr(exc, "remedy", "") or getattr(exc, "hint", "") or remedy)
        facts = [
            Fact(
                "Existing policies",
                ", ".join(sorted(policies)) if policies else "none",
                "info",
            ),
            Fact(
                "Organization",
                access.organization.id
                if access.organization
                else (access.reason or "not in an organization"),
            ),
        ]
        if identity is None:
            facts.append(
                Fact("SES identity", "Not created yet.", "error", "Complete the DKIM step first.")
            )
        if problem:
            facts.append(Fact("Policy", problem, "error", remedy))
        return AuthorizationInspection(
            step_id=self.id,
            facts=tuple(facts),
            domain=domain,
            identity_exists=identity is not None,
            policies=policies,
            organization=access,
            tree=tree,
            policy_name=name,
            wanted=wanted,
            problem=problem,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, AuthorizationInspection)
        if found.wanted is None or not found.identity_exists:
            refused = tuple(f for f in found.facts if f.level == "error")
            return Plan(step_id=self.id, blockers=refused, inspection=found)
        arn = identity_arn(state)
        report = lint_policy(found.wanted, identity_arn=arn)
        blockers = [Fact(f.kind, f.message, "error", f.fix) for f in report.errors]
        notes = [
            Fact(f.kind, f.message, _SEVERITY[f.severity.value], f.fix)
            for f in report.findings
            if f.severity.value != "error"
        ]
        analyzer_blockers, analyzer_notes = _analyzer_facts(
            ctx.validate_policy(owner(ctx, state), found.wanted)
        )
        iam = delegate_iam_policy(arn, from_addresses=_from_addresses(state))
        previews = [
            Preview(
                f"Identity policy {found.policy_name}",
                policy_json_pretty(json.loads(found.wanted)),
                "json",
            )
        ]
        existing = found.policies.get(found.policy_name)
        if existing is not None and not same_policy(existing, found.wanted):
            previews.append(
                Preview(f"Current {found.policy_name} (to be replaced)", existing, "json")
            )
        previews.append(
            Preview("IAM policy for the delegate's role", policy_json_pretty(iam), "json")
        )
        actions: tuple[Action, ...] = ()
        if existing is None or not same_policy(existing, found.wanted):
            verb = "Update" if existing is not None else "Create"
            actions = (
                Action(
                    id=f"{self.id}.put_policy",
                    description=f"{verb} the sending authorization policy {found.policy_name} "
                    f"on {found.domain}",
                    kind="aws_write",
                    call=f"sesv2 {verb}EmailIdentityPolicy(EmailIdentity={found.domain}, "
                    f"PolicyName={found.policy_name}, Policy=<{len(found.wanted)} bytes>)",
                    params={
                        "identity": found.domain,
                        "policy_name": found.policy_name,
                        "policy": found.wanted,
                    },
                    key=f"ses:policy:{state.account}:{state.region}:{found.domain}:"
                    f"{found.policy_name}",
                ),
            )
        return Plan(
            step_id=self.id,
            actions=actions,
            blockers=(*blockers, *analyzer_blockers),
            notes=(*notes, *analyzer_notes),
            previews=tuple(previews),
            inspection=found,
        )

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, AuthorizationInspection)

        def execute(action: Action) -> str:
            assert found.wanted is not None
            outcome = owner_ses(ctx, state).put_policy(
                found.domain, found.policy_name, found.wanted
            )
            return f"Policy {found.policy_name} {outcome}."

        report = apply_plan(ctx, state, plan, progress, execute=execute)
        state.step(self.id).resources.update(
            {"policy_name": found.policy_name, "policy": found.wanted}
        )
        complete(ctx, state, self.id)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        name = state.resource(self.id, "policy_name")
        wanted = state.resource(self.id, "policy")
        if not isinstance(name, str) or not isinstance(wanted, str):
            return StepStatus("todo", "No sending authorization policy set by this wizard yet.")
        current = owner_ses(ctx, state).get_policies(domain_of(state)).get(name)
        if current is None:
            return StepStatus(
                "attention",
                f"The policy {name} is missing from the identity.",
                "Apply the Authorization step again.",
            )
        if not same_policy(current, wanted):
            return StepStatus(
                "attention",
                f"The policy {name} was changed outside the wizard.",
                "Run the Authorization step to review the difference.",
            )
        return StepStatus("done", f"Policy {name} in place.")

"""Step 4, custom MAIL FROM: a subdomain (default ``mail.<domain>``) for SPF alignment.

SES needs exactly one MX at that name, to its feedback host, and an SPF record; the name must
not receive mail. The provider merges the SPF into any record already there (never a second
SPF record) and refuses an MX to anything but an SES feedback host, which means the name
receives mail. Records are published first, then ``PutEmailIdentityMailFromAttributes`` tells
SES, which checks the MX from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.aws.ses_models import MAIL_FROM_BEHAVIORS, IdentityStatus
from sesdmarc_tui.core.records import DnsRecord, mail_from_records
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    Action,
    ApplyReport,
    Choice,
    Fact,
    Field,
    Inspection,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.runner import apply_plan
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    MAIL_FROM,
    complete,
    dns_provider,
    domain_of,
    expect,
    owner_ses,
    planned,
    region_of,
)
from sesdmarc_tui.flow.steps.publish import dns_part

BEHAVIORS = (
    Choice(
        "USE_DEFAULT_VALUE",
        "Fall back to amazonses.com",
        "If SES cannot find the MX, mail still goes out with an amazonses.com MAIL FROM: "
        "delivered, but SPF does not align for DMARC (DKIM still can).",
    ),
    Choice(
        "REJECT_MESSAGE",
        "Reject the send",
        "If SES cannot find the MX, sending fails with MailFromDomainNotVerified: nothing "
        "leaves unaligned, but an MX outage stops your mail.",
    ),
)
FAILED_REMEDY = (
    "SES gave up looking for the MX. Check that the name has exactly one MX, to the SES "
    "feedback host, and receives no mail; then apply this step again to restart the check."
)


@dataclass(frozen=True, kw_only=True)
class MailFromInspection(Inspection):
    domain: str
    mail_from: str
    behavior: str
    identity: IdentityStatus | None


class MailFromStep:
    id = MAIL_FROM
    title = "MAIL FROM"
    help_id = "mail_from"

    def fields(self, state: SessionState) -> list[Field]:
        domain = state.domain or "example.com"
        return [
            Field(
                "subdomain",
                "MAIL FROM domain",
                default=f"mail.{domain}",
                help="A subdomain used only as the bounce address; it must not receive mail.",
                validator=validators.subdomain_of(domain),
            ),
            Field(
                "behavior",
                "If SES cannot find the MX",
                "choice",
                default="USE_DEFAULT_VALUE",
                static_choices=BEHAVIORS,
            ),
        ]

    def _wanted(self, state: SessionState) -> tuple[str, str, str]:
        domain = domain_of(state)
        inputs = state.inputs(self.id)
        mail_from = validators.subdomain_of(domain)(inputs.get("subdomain") or f"mail.{domain}")
        behavior = inputs.get("behavior") or "USE_DEFAULT_VALUE"
        if behavior not in MAIL_FROM_BEHAVIORS:
            behavior = "USE_DEFAULT_VALUE"
        return domain, mail_from, behavior

    def records(self, state: SessionState) -> tuple[DnsRecord, ...]:
        _domain, mail_from, _behavior = self._wanted(state)
        return mail_from_records(mail_from, region_of(state))

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain, mail_from, behavior = self._wanted(state)
        identity = owner_ses(ctx, state).get_identity(domain)
        current = identity.mail_from if identity is not None else None
        facts = [Fact("MAIL FROM domain", mail_from)]
        if identity is None:
            facts.append(
                Fact("SES identity", "Not created yet.", "error", "Complete the DKIM step first.")
            )
        elif current is not None and current.configured:
            level = "ok" if current.status == "SUCCESS" else "info"
            if current.status in ("FAILED", "TEMPORARY_FAILURE"):
                level = "error"
            facts.append(
                Fact(
                    "In SES",
                    f"{current.domain}: {current.status or 'unknown'} "
                    f"(on MX failure: {current.behavior_on_mx_failure})",
                    level,  # type: ignore[arg-type]
                    FAILED_REMEDY if level == "error" else "",
                )
            )
        else:
            facts.append(Fact("In SES", "No custom MAIL FROM yet."))
        return MailFromInspection(
            step_id=self.id,
            facts=tuple(facts),
            records=self.records(state),
            domain=domain,
            mail_from=mail_from,
            behavior=behavior,
            identity=identity,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, MailFromInspection)
        if found.identity is None:
            blockers = tuple(f for f in found.facts if f.level == "error")
            return Plan(step_id=self.id, blockers=blockers, inspection=found)
        part = dns_part(self.id, dns_provider(ctx, state, found.mail_from), found.records)
        current = found.identity.mail_from
        actions = list(part.actions)
        restart = current.domain == found.mail_from and current.status == "FAILED"
        if (
            current.domain != found.mail_from
            or current.behavior_on_mx_failure != found.behavior
            or restart
        ):
            verb = "Restart the MAIL FROM check for" if restart else "Set the MAIL FROM domain to"
            actions.append(
                Action(
                    id=f"{self.id}.put_mail_from",
                    description=f"{verb} {found.mail_from} (on MX failure: {found.behavior})",
                    kind="aws_write",
                    call=f"sesv2 PutEmailIdentityMailFromAttributes(EmailIdentity={found.domain},"
                    f" MailFromDomain={found.mail_from}, BehaviorOnMxFailure={found.behavior})",
                    params={
                        "identity": found.domain,
                        "mail_from_domain": found.mail_from,
                        "behavior_on_mx_failure": found.behavior,
                    },
                    key=f"ses:mail_from:{state.account}:{state.region}:{found.domain}:"
                    f"{found.mail_from}:{found.behavior}",
                )
            )
        return Plan(
            step_id=self.id,
            actions=tuple(actions),
            blockers=part.blockers,
            notes=part.notes,
            previews=part.previews,
            dns=part.plan,
            inspection=found,
        )

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, MailFromInspection)

        def execute(action: Action) -> str:
            owner_ses(ctx, state).put_mail_from(
                found.domain,
                found.mail_from,
                "REJECT_MESSAGE" if found.behavior == "REJECT_MESSAGE" else "USE_DEFAULT_VALUE",
            )
            state.step(self.id).resources.update(
                {"mail_from_domain": found.mail_from, "behavior_on_mx_failure": found.behavior}
            )
            return "SES now checks the MX of " + found.mail_from

        provider = dns_provider(ctx, state, found.mail_from) if plan.dns is not None else None
        report = apply_plan(ctx, state, plan, progress, execute=execute, provider=provider)
        complete(ctx, state, self.id)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        identity = owner_ses(ctx, state).get_identity(domain_of(state))
        if identity is None or not identity.mail_from.configured:
            return StepStatus("todo", "No custom MAIL FROM domain is set in SES.")
        current = identity.mail_from
        if current.status == "SUCCESS":
            return StepStatus("done", f"MAIL FROM {current.domain} verified.")
        if current.status in ("FAILED", "TEMPORARY_FAILURE"):
            return StepStatus(
                "attention", f"MAIL FROM {current.domain}: {current.status}.", FAILED_REMEDY
            )
        return StepStatus(
            "current",
            f"MAIL FROM {current.domain}: {current.status or 'PENDING'}; SES is checking the MX.",
        )

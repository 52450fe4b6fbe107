"""Step 3, DKIM and verification: the SES identity with Easy DKIM, and its three CNAMEs.

The plan is made in two rounds because the CNAMEs depend on what SES returns: first
``CreateEmailIdentity`` (Easy DKIM, RSA 2048; an existing identity is adopted), then, once the
tokens and ``SigningHostedZone`` are known, the three ``<token>._domainkey`` CNAMEs (the
region table only when SES gives no zone; never a hard-coded ``dkim.amazonses.com``). The
identity is verified when SES sees them: PENDING is normal for minutes to hours; FAILED means
SES stopped looking and the operator must act. The propagation board (``dns.board``) shows the
records in ``Inspection.records``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.records import DnsRecord, RecordError, dkim_records
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    Action,
    ApplyReport,
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
    DKIM,
    complete,
    dns_provider,
    domain_of,
    expect,
    owner_ses,
    planned,
    region_of,
)
from sesdmarc_tui.flow.steps.publish import dns_part

KEY_LENGTH = "RSA_2048_BIT"
PENDING_NOTE = (
    "SES is looking for the three CNAMEs. PENDING is normal: it usually turns SUCCESS within "
    "minutes of the records being visible, and SES keeps looking for up to 72 hours."
)
FAILED_REMEDY = (
    "SES stopped looking. Check that the three CNAMEs are visible on the propagation board "
    "(not TXT, not with the zone doubled), then recreate the identity in the SES console or "
    "with this wizard's cleanup; recreating gives new tokens."
)


@dataclass(frozen=True, kw_only=True)
class DkimInspection(Inspection):
    domain: str
    region: str
    identity: IdentityStatus | None
    problem: str | None = None


def expected_records(identity: IdentityStatus, domain: str, region: str) -> tuple[DnsRecord, ...]:
    return dkim_records(domain, identity.dkim_tokens, region, identity.signing_hosted_zone)


def _identity_facts(identity: IdentityStatus | None) -> list[Fact]:
    if identity is None:
        return [Fact("SES identity", "Not created yet.", "info")]
    dkim = identity.dkim_status or "unknown"
    level = {"SUCCESS": "ok", "PENDING": "info", "FAILED": "error"}.get(dkim, "warn")
    facts = [
        Fact("SES identity", f"{identity.domain} in {identity.region}", "ok"),
        Fact(
            "DKIM status",
            dkim + (f": {PENDING_NOTE}" if dkim == "PENDING" else ""),
            level,  # type: ignore[arg-type]
            FAILED_REMEDY if dkim in ("FAILED", "TEMPORARY_FAILURE") else "",
        ),
    ]
    length = identity.current_key_length or identity.next_key_length
    if length:
        facts.append(Fact("Key length", length, "ok" if "2048" in length else "warn"))
    if identity.signing_origin not in (None, "AWS_SES") and not identity.dkim_tokens:
        facts.append(
            Fact("DKIM keys", f"{identity.signing_origin}: not Easy DKIM, kept as it is.", "warn")
        )
    return facts


class DkimStep:
    id = DKIM
    title = "DKIM and verification"
    help_id = "dkim"

    def fields(self, state: SessionState) -> list[Field]:
        return []

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain, region = domain_of(state), region_of(state)
        identity = owner_ses(ctx, state).get_identity(domain)
        records: tuple[DnsRecord, ...] = ()
        problem: str | None = None
        if identity is not None and identity.dkim_tokens:
            try:
                records = expected_records(identity, domain, region)
            except RecordError as exc:
                problem = f"SES returned unusable DKIM data: {exc}"
        elif identity is not None:
            problem = "SES returned no Easy DKIM tokens for this identity."
        facts = _identity_facts(identity)
        if problem:
            facts.append(Fact("DKIM records", problem, "error", "Check the identity in SES."))
        return DkimInspection(
            step_id=self.id,
            facts=tuple(facts),
            records=records,
            domain=domain,
            region=region,
            identity=identity,
            problem=problem,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, DkimInspection)
        if found.identity is None:
            create = Action(
                id=f"{self.id}.create_identity",
                description=f"Create the SES identity {found.domain} in {found.region} with "
                "Easy DKIM (2048-bit keys)",
                kind="aws_write",
                call=f"sesv2 CreateEmailIdentity(EmailIdentity={found.domain}, "
                f"DkimSigningAttributes={{NextSigningKeyLength: {KEY_LENGTH}}})",
                params={"identity": found.domain, "region": found.region, "key_length": KEY_LENGTH},
                key=f"ses:identity:{state.account}:{found.region}:{found.domain}",
            )
            note = Fact(
                "Next",
                "Once SES returns the tokens, the three DKIM CNAMEs are planned for publishing.",
            )
            return Plan(step_id=self.id, actions=(create,), notes=(note,), inspection=found)
        if not found.records:
            blockers = tuple(f for f in found.facts if f.level == "error")
            return Plan(step_id=self.id, blockers=blockers, inspection=found)
        part = dns_part(self.id, dns_provider(ctx, state, found.domain), found.records)
        return Plan(
            step_id=self.id,
            actions=part.actions,
            blockers=part.blockers,
            notes=part.notes,
            previews=part.previews,
            dns=part.plan,
            inspection=found,
        )

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, DkimInspection)
        resources = state.step(self.id).resources

        def execute(action: Action) -> str:
            identity = owner_ses(ctx, state).create_or_adopt_identity(found.domain)
            resources.update(
                {
                    "identity": identity.domain,
                    "identity_outcome": identity.outcome,
                    "selectors": list(identity.dkim_tokens),
                    "signing_hosted_zone": identity.signing_hosted_zone,
                }
            )
            return f"Identity {identity.outcome}: DKIM {identity.dkim_status or 'status pending'}."

        provider = dns_provider(ctx, state, found.domain) if plan.dns is not None else None
        report = apply_plan(ctx, state, plan, progress, execute=execute, provider=provider)
        if plan.dns is not None:
            complete(ctx, state, self.id)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        identity = owner_ses(ctx, state).get_identity(domain_of(state))
        if identity is None:
            return StepStatus("todo", "The SES identity does not exist yet.")
        dkim = identity.dkim_status
        if dkim == "SUCCESS":
            return StepStatus("done", "DKIM verified: SES signs mail for the domain.")
        if dkim in ("FAILED", "TEMPORARY_FAILURE"):
            return StepStatus("attention", f"DKIM verification {dkim}.", FAILED_REMEDY)
        if not state.step(self.id).resources.get("published"):
            return StepStatus("current", f"DKIM {dkim or 'not started'}: publish the three CNAMEs.")
        return StepStatus("current", f"DKIM {dkim or 'not started'}. {PENDING_NOTE}")

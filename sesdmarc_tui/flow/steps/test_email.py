"""Step 7, Test email: send as the delegate, then check the message that arrived.

The delegate is its own profile or a role assumed from the owner; it always sends in the
owner's region, with ``FromEmailAddressIdentityArn`` naming the owner's identity (a delegate
in another region gets the misleading "Email address is not verified"). While either account
is in the SES sandbox, the recipient must be a verified identity. A send is recorded in the
session, so a resumed wizard never sends it twice; the received message (fetched from the
environment's mailbox, or pasted) is then checked by the verify-message engine: every DKIM
signature, SPF, alignment, and the receiver's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.ses_models import AccountStatus
from sesdmarc_tui.core.policy import Decision
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import EXTERNAL_ID, DelegateChoice, FlowContext
from sesdmarc_tui.flow.model import (
    Action,
    ApplyReport,
    Choice,
    Fact,
    Field,
    FlowError,
    Inspection,
    JsonValue,
    Plan,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.runner import apply_plan, save
from sesdmarc_tui.flow.state import SessionState, iso_time
from sesdmarc_tui.flow.steps.base import (
    MAIL_FROM,
    TEST_EMAIL,
    domain_of,
    expect,
    identity_arn,
    owner,
    planned,
    profile_choices,
    region_of,
)
from sesdmarc_tui.flow.steps.senders import who_may_send

if TYPE_CHECKING:
    from sesdmarc_tui.aws.session import AwsSession
    from sesdmarc_tui.core.message import MessageReport

MODES = (
    Choice("profile", "A profile of the delegate account"),
    Choice("role", "A role assumed from the owner", "For example OrganizationAccountAccessRole."),
)
RESEND = (
    Choice("no", "No: look for the first one", "Check its headers here once it arrives."),
    Choice("yes", "Yes: send another test email"),
)
BODY = (
    "This is a test message from sesdmarc. It was sent by a delegate account as {domain}.\n"
    'Open its headers ("show original") and paste them into the wizard, or save the whole\n'
    "message as a file, to check DKIM, SPF and DMARC as your mailbox provider saw them.\n"
)
SENDING = "sending_since"  # set while SES is being asked to send; cleared with its answer
# Failures after which the message may have gone out all the same (no answer, or a broken one).
UNKNOWN_OUTCOME = frozenset(
    {
        ErrorKind.ENDPOINT_UNREACHABLE,
        ErrorKind.SERVICE_ERROR,
        ErrorKind.UNEXPECTED_RESPONSE,
        ErrorKind.UNEXPECTED,
    }
)
DENIED = ("explicit_deny", "implicit_deny", "from_not_covered")


@dataclass(frozen=True, kw_only=True)
class TestEmailInspection(Inspection):
    domain: str
    region: str
    delegate_account: str
    from_address: str
    to: str
    decision: Decision | None
    send_key: str
    message_id: str | None


def delegate_choice(ctx: FlowContext, state: SessionState) -> DelegateChoice:
    inputs = state.inputs(TEST_EMAIL)
    if inputs.get("delegate_mode") == "role":
        if not inputs.get("role_arn"):
            raise FlowError("No role ARN to assume.", "Type the delegate role's ARN.")
        return DelegateChoice(
            "role", role_arn=inputs["role_arn"], external_id=ctx.secrets.get(EXTERNAL_ID) or None
        )
    if not inputs.get("delegate_profile"):
        raise FlowError("No delegate profile was chosen.", "Pick the delegate's profile.")
    return DelegateChoice("profile", profile=inputs["delegate_profile"])


def delegate_session(ctx: FlowContext, state: SessionState) -> AwsSession:
    return ctx.delegate(owner(ctx, state), delegate_choice(ctx, state))


def _account_fact(label: str, status: AccountStatus | None) -> Fact:
    if status is None:
        return Fact(label, "SES account state not readable.", "info")
    if status.in_sandbox:
        return Fact(
            label,
            "In the SES sandbox: the recipient must be a verified identity.",
            "warn",
            "Verify the recipient address in SES, or request production access.",
        )
    return Fact(label, "Out of the SES sandbox.", "ok")


def _account(ctx: FlowContext, session: AwsSession) -> AccountStatus | None:
    try:
        return ctx.ses(session).get_account()
    except AwsError:
        return None


class TestEmailStep:
    id = TEST_EMAIL
    title = "Test email"
    help_id = "test_email"

    def fields(self, state: SessionState) -> list[Field]:
        domain = state.domain or "example.com"
        mode = state.value(self.id, "delegate_mode") or "profile"
        fields = [
            Field("delegate_mode", "Send as", "choice", default="profile", static_choices=MODES)
        ]
        if mode == "role":
            fields += [
                Field(
                    "role_arn",
                    "Delegate role ARN",
                    validator=validators.role_arn,
                    placeholder="arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
                ),
                Field(
                    EXTERNAL_ID,
                    "External ID",
                    "secret",
                    required=False,
                    help="Only if the role's trust policy asks for one; never saved.",
                    validator=validators.external_id,
                ),
            ]
        else:
            fields.append(
                Field("delegate_profile", "Delegate profile", "choice", choices=profile_choices)
            )
        fields += [
            Field(
                "from_address",
                "From",
                default=f"test@{domain}",
                validator=validators.address_in(domain),
            ),
            Field(
                "to",
                "To",
                help="A mailbox you can read (verified in SES while in the sandbox).",
                validator=validators.email_address,
            ),
            Field("subject", "Subject", default=f"sesdmarc test for {domain}"),
        ]
        if _unconfirmed_send(state) is not None:
            fields.append(
                Field(
                    "resend",
                    "Send again?",
                    "choice",
                    default="no",
                    static_choices=RESEND,
                    help="An earlier run stopped while SES was sending; it may have been sent.",
                )
            )
        return fields

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain, region = domain_of(state), region_of(state)
        inputs = state.inputs(self.id)
        from_address = inputs.get("from_address") or f"test@{domain}"
        to = inputs.get("to", "")
        delegate = delegate_session(ctx, state)
        account = delegate.caller_identity().account
        decision: Decision | None = None
        facts = [Fact("Delegate", f"{delegate.describe()} sends in {region}", "ok")]
        try:
            decision = who_may_send(ctx, state, account, from_address=from_address)
            facts.append(
                Fact("Authorized?", decision.reason, "ok" if decision.allowed else "error")
            )
        except (AwsError, ValueError) as exc:
            facts.append(Fact("Authorized?", f"Not evaluated: {exc}", "warn"))
        facts.append(_account_fact("Owner account", _account(ctx, owner(ctx, state))))
        facts.append(_account_fact("Delegate account", _account(ctx, delegate)))
        message_id = state.resource(self.id, "message_id")
        if isinstance(message_id, str):
            facts.append(Fact("Sent", f"Message ID {message_id}", "ok"))
        return TestEmailInspection(
            step_id=self.id,
            facts=tuple(facts),
            domain=domain,
            region=region,
            delegate_account=account,
            from_address=from_address,
            to=to,
            decision=decision,
            send_key=f"ses:send:{account}:{region}:{from_address}:{to}",
            message_id=message_id if isinstance(message_id, str) else None,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, TestEmailInspection)
        if found.send_key in state.step(self.id).done:
            note = Fact("Sent", f"Already sent (message ID {found.message_id}).", "ok")
            return Plan(step_id=self.id, notes=(note,), inspection=found)
        pending = _unconfirmed_send(state)
        if pending is not None and state.value(self.id, "resend") != "yes":
            note = Fact(
                "Sent?",
                f"A run stopped while SES was sending the test email (at {pending}): it may "
                "have been sent, and SES cannot be asked, so it is not sent again on its own.",
                "warn",
                f"Look in {found.to}'s mailbox and check the message here; or answer "
                "'Send again?' with yes.",
            )
            return Plan(step_id=self.id, notes=(note,), inspection=found)
        blockers: list[Fact] = []
        if not found.to:
            blockers.append(Fact("To", "No recipient.", "error", "Type the address to send to."))
        if found.decision is not None and found.decision.outcome in DENIED:
            blockers.append(
                Fact(
                    "Authorization",
                    found.decision.reason,
                    "error",
                    "Fix the Authorization step's scope, then plan again.",
                )
            )
        arn = identity_arn(state)
        send = Action(
            id=f"{self.id}.send",
            description=f"Send a test email from {found.from_address} to {found.to} as account "
            f"{found.delegate_account}",
            kind="aws_write",
            call=f"sesv2 SendEmail(FromEmailAddress={found.from_address}, "
            f"FromEmailAddressIdentityArn={arn}, To={found.to}) in {found.region}",
            params={
                "from": found.from_address,
                "to": found.to,
                "identity_arn": arn,
                "delegate_account": found.delegate_account,
                "region": found.region,
            },
            key=found.send_key,
        )
        return Plan(step_id=self.id, actions=(send,), blockers=tuple(blockers), inspection=found)

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, TestEmailInspection)
        subject = state.value(self.id, "subject") or f"sesdmarc test for {found.domain}"

        def execute(action: Action) -> str:
            resources = state.step(self.id).resources
            # SES has no idempotency token: record the attempt first, so a run stopped between
            # SES's answer and the save is not taken for "never sent" and sent twice.
            resources[SENDING] = iso_time(ctx.now())
            save(ctx, state)
            try:
                message_id = ctx.ses(delegate_session(ctx, state)).send_test_email(
                    from_address=found.from_address,
                    to=found.to,
                    subject=subject,
                    body=BODY.format(domain=found.domain),
                    identity_arn=str(action.params["identity_arn"]),
                )
            except AwsError as exc:
                if exc.kind not in UNKNOWN_OUTCOME:
                    resources[SENDING] = None  # SES answered with a refusal: nothing was sent
                    save(ctx, state)
                raise
            state.step(self.id).resources.update(
                {
                    "message_id": message_id,
                    "sent_at": iso_time(ctx.now()),
                    "delegate_account": found.delegate_account,
                    "verification": None,
                    SENDING: None,
                }
            )
            state.inputs(self.id).pop("resend", None)
            return f"Sent: message ID {message_id}"

        return apply_plan(ctx, state, plan, progress, execute=execute)

    def verify(
        self, ctx: FlowContext, state: SessionState, raw: bytes | None = None
    ) -> MessageReport:
        """Check the received message (``raw``, or fetched through ``ctx.mailbox``)."""
        from sesdmarc_tui.dns.dkim_verify import check_message

        message_id = state.resource(self.id, "message_id")
        if raw is None:
            if ctx.mailbox is None or not isinstance(message_id, str):
                raise FlowError(
                    "No received message to check.",
                    "Paste the message's headers, or give the saved .eml file.",
                )
            raw = ctx.mailbox(message_id)
            if raw is None:
                raise FlowError(
                    f"Message {message_id} has not arrived yet.", "Wait a moment and check again."
                )
        mail_from = state.resource(MAIL_FROM, "mail_from_domain")
        report = check_message(
            raw, ctx.lookup, expected_mail_from=mail_from if isinstance(mail_from, str) else None
        )
        passed = report.dmarc.ours == "pass" or report.dkim_aligned_pass_relaxed
        errors = [f for f in report.findings if f.status == "error"]
        summary: dict[str, JsonValue] = {
            "passed": passed,
            "verdict": report.verdict,
            "dmarc": report.dmarc.ours,
            "dkim_aligned": report.dkim_aligned_pass_relaxed,
            "from_domain": report.from_domain,
            "problem": errors[0].message if errors else None,
            "fix": errors[0].fix if errors else None,
            "checked_at": iso_time(ctx.now()),
        }
        state.step(self.id).resources["verification"] = summary
        state.touch(ctx.now(), self.id)
        save(ctx, state)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        message_id = state.resource(self.id, "message_id")
        pending = _unconfirmed_send(state)
        if pending is not None and not isinstance(message_id, str):
            return StepStatus(
                "attention",
                f"Unknown whether the test email went out: a run stopped sending it ({pending}).",
                "Check the received message if it arrived, or send again.",
            )
        if not isinstance(message_id, str):
            return StepStatus("todo", "No test email sent yet.")
        result = state.resource(self.id, "verification")
        if not isinstance(result, dict):
            return StepStatus("current", f"Sent ({message_id}): check the received message.")
        if result.get("passed"):
            return StepStatus("done", f"Delivered and verified: DMARC {result.get('dmarc')}.")
        return StepStatus(
            "attention",
            str(result.get("problem") or "The message did not pass."),
            str(result.get("fix") or ""),
        )


def _unconfirmed_send(state: SessionState) -> str | None:
    """When a send was attempted and its answer never recorded (the run stopped in between)."""
    pending = state.resource(TEST_EMAIL, SENDING)
    return pending if isinstance(pending, str) else None

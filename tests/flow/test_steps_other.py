"""Authorization and Test email plans, manual publishing, failures and cancellation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sesdmarc_tui.aws.access_analyzer import Finding, PolicyValidation
from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import FlowError
from sesdmarc_tui.flow.steps.senders import who_may_send
from tests.flow.fakes import (
    DELEGATE,
    DOMAIN,
    ORG_ID,
    FakeProvider,
    FakeSes,
    World,
    fake_context,
    ready_wizard,
)


def test_authorization_builds_an_org_policy_and_the_delegate_iam_policy(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    wizard.set_inputs("authorization", {"scope": "organization", "from_addresses": f"*@{DOMAIN}"})
    plan = wizard.plan("authorization")
    [put] = plan.actions
    policy = json.loads(str(put.params["policy"]))
    [statement] = policy["Statement"]
    assert statement["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": ORG_ID}
    assert statement["Condition"]["StringLike"] == {"ses:FromAddress": [f"*@{DOMAIN}"]}
    assert put.call.startswith("sesv2 CreateEmailIdentityPolicy(")
    titles = [p.title for p in plan.previews]
    assert titles == [
        "Identity policy sesdmarc-delegated-sending",
        "IAM policy for the delegate's role",
    ]
    assert '"ses:SendRawEmail"' in plan.previews[1].text
    assert any(n.label == "IAM Access Analyzer" for n in plan.notes)
    wizard.apply("authorization", plan)
    assert wizard.status("authorization").done
    assert wizard.plan("authorization").empty
    assert who_may_send(ctx, wizard.state, DELEGATE, from_address=f"app@{DOMAIN}").allowed
    assert not who_may_send(ctx, wizard.state, DELEGATE).allowed  # FromAddress is required
    assert not who_may_send(ctx, wizard.state, DELEGATE, from_address="x@other.org").allowed


def test_authorization_shows_the_policy_it_replaces(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    FakeSes(world, "111111111111", "eu-west-1").put_policy(
        DOMAIN, "sesdmarc-delegated-sending", '{"Version": "2012-10-17", "Statement": []}'
    )
    wizard.set_inputs("authorization", {"scope": "accounts", "targets": "222222222222"})
    plan = wizard.plan("authorization")
    assert plan.actions[0].call.startswith("sesv2 UpdateEmailIdentityPolicy(")
    assert plan.previews[1].title == "Current sesdmarc-delegated-sending (to be replaced)"


def test_an_ou_needs_the_tree_or_a_typed_path(fake: tuple[FlowContext, FakeProvider]) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    wizard.set_inputs("authorization", {"scope": "ou_subtree", "targets": "ou-ab12-cdef3456"})
    plan = wizard.plan("authorization")
    assert plan.blocked and "full path" in plan.blockers[0].remedy
    path = f"{ORG_ID}/r-ab12/ou-ab12-cdef3456/"
    assert not wizard.set_inputs("authorization", {"targets": path})
    plan = wizard.plan("authorization")
    statement = json.loads(str(plan.actions[0].params["policy"]))["Statement"][0]
    assert statement["Condition"]["ForAnyValue:StringLike"] == {
        "aws:PrincipalOrgPaths": [path + "*"]
    }


def test_access_analyzer_errors_block_the_policy(tmp_path: Path, world: World) -> None:
    ctx, _dns = fake_context(tmp_path, world)
    finding = Finding("ERROR", "MISSING_VERSION", "The policy has no version.")
    ctx.validate_policy = lambda _s, _p: PolicyValidation(True, (finding,))
    wizard = ready_wizard(ctx, through="dkim")
    plan = wizard.plan("authorization")
    assert plan.blocked and plan.blockers[0].label == "MISSING_VERSION"


def test_test_email_sends_once_and_is_refused_when_not_authorized(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    wizard.set_inputs("test_email", {"delegate_profile": "delegate", "to": "me@example.org"})
    plan = wizard.plan("test_email")
    assert plan.blocked and "no sending authorization policy" in plan.blockers[0].value
    wizard.run_step("authorization")
    plan = wizard.plan("test_email")
    [send] = plan.actions
    assert "FromEmailAddressIdentityArn=arn:aws:ses:eu-west-1:111111111111:identity/" in send.call
    wizard.apply("test_email", plan)
    assert wizard.plan("test_email").empty
    assert len(world.sent) == 1
    assert wizard.status("test_email").kind == "current"


def test_manual_publishing_hands_out_instructions_and_waits(tmp_path: Path, world: World) -> None:
    ctx, dns = fake_context(tmp_path, world, provider="manual")
    wizard = ready_wizard(ctx, provider="manual", through="dkim")
    wizard.set_inputs("dmarc", {"stage": "1"})
    run = wizard.run_step("dmarc")
    report = run.reports[-1]
    assert report.waiting and report.instructions is not None
    assert "_dmarc.example.com" in report.instructions.zone_snippet
    assert run.status.kind == "current" and "Waiting" in run.status.message
    assert dns.applies == [] and not world.zone.has(f"_dmarc.{DOMAIN}", "TXT")
    results = [e["result"] for e in ctx.audit.entries() if e["step"] == "dmarc"]
    assert results == ["manual"]
    world.zone.put(
        f"_dmarc.{DOMAIN}", "TXT", f"v=DMARC1; p=none; rua=mailto:dmarc-reports@{DOMAIN}"
    )
    assert wizard.status("dmarc").done


def test_a_failed_action_is_audited_and_saved(
    fake: tuple[FlowContext, FakeProvider], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)

    def denied(self: FakeSes, domain: str) -> None:
        raise AwsError(
            ErrorKind.ACCESS_DENIED,
            "Not allowed to call ses:CreateEmailIdentity.",
            "Grant ses:CreateEmailIdentity.",
        )

    monkeypatch.setattr(FakeSes, "create_or_adopt_identity", denied)
    with pytest.raises(FlowError) as caught:
        wizard.run_step("dkim")
    assert caught.value.kind == "access_denied"
    assert caught.value.remedy == "Grant ses:CreateEmailIdentity."
    assert caught.value.step == "dkim" and caught.value.action == "dkim.create_identity"
    [entry] = [e for e in ctx.audit.entries() if e["step"] == "dkim"]
    assert entry["result"] == "error" and "ses:CreateEmailIdentity" in str(entry["message"])


def test_cancel_stops_before_the_next_action(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, dns = fake
    wizard = ready_wizard(ctx)
    wizard.apply("dkim", wizard.plan("dkim"))
    plan = wizard.plan("dkim")
    seen: list[str] = []

    def progress(message: str, fraction: float | None) -> None:
        seen.append(message)
        if len(seen) == 1:  # while the first action runs
            wizard.cancel()

    ctx.cancel_event.clear()
    step = wizard.step("dkim")
    with pytest.raises(FlowError) as caught:
        step.apply(ctx, wizard.state, plan, progress)
    assert caught.value.kind == "cancelled"
    assert dns.writes == 1
    assert wizard.plan("dkim").actions and len(wizard.plan("dkim").actions) == 2

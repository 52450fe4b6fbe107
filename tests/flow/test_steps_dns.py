"""DKIM, MAIL FROM and DMARC plans on canned DNS and SES states."""

from __future__ import annotations

import pytest

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import FlowError
from sesdmarc_tui.flow.steps.dkim import DkimInspection, DkimStep, expected_records
from sesdmarc_tui.flow.steps.dmarc import DmarcInspection
from tests.flow.fakes import DOMAIN, FakeProvider, World, ready_wizard, token_for


def test_dkim_plans_the_identity_first_then_the_three_cnames(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    plan = wizard.plan("dkim")
    [create] = plan.actions
    assert create.kind == "aws_write"
    assert create.call == (
        "sesv2 CreateEmailIdentity(EmailIdentity=example.com, "
        "DkimSigningAttributes={NextSigningKeyLength: RSA_2048_BIT})"
    )
    wizard.apply("dkim", plan)
    assert wizard.status("dkim").kind == "current"  # PENDING until the CNAMEs exist
    plan = wizard.plan("dkim")
    tokens = [token_for(DOMAIN, i) for i in range(3)]
    assert sorted(a.params["name"] for a in plan.actions) == sorted(
        f"{t}._domainkey.{DOMAIN}" for t in tokens
    )
    assert {tuple(a.params["values"]) for a in plan.actions} == {
        (f"{t}.dkim.amazonses.com",) for t in tokens
    }
    assert all(a.kind == "dns_change" and "UPSERT CNAME" in a.call for a in plan.actions)
    assert plan.previews and "IN CNAME" in plan.previews[0].text
    wizard.apply("dkim", plan)
    assert wizard.status("dkim").done
    assert wizard.plan("dkim").empty


def test_dkim_records_fall_back_to_the_region_table() -> None:
    identity = IdentityStatus(
        DOMAIN, "af-south-1", dkim_tokens=tuple(token_for(DOMAIN, i) for i in range(3))
    )
    records = expected_records(identity, DOMAIN, "af-south-1")
    assert {r.values[0].split(".", 1)[1] for r in records} == {"dkim.af-south-1.amazonses.com"}


def test_dkim_refuses_a_cname_where_a_txt_already_is(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    wizard.apply("dkim", wizard.plan("dkim"))
    token = token_for(DOMAIN, 0)
    world.zone.put(f"{token}._domainkey.{DOMAIN}", "TXT", "v=DKIM1; p=abc")
    plan = wizard.plan("dkim")
    assert plan.blocked and "cannot share its name" in plan.blockers[0].value
    with pytest.raises(FlowError) as caught:
        wizard.apply("dkim", plan)
    assert caught.value.kind == "blocked"
    assert not world.zone.has(f"{token}._domainkey.{DOMAIN}", "CNAME")


def test_mail_from_refuses_a_name_that_receives_mail(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    world.zone.put(f"mail.{DOMAIN}", "MX", "10 mx1.mailhost.example")
    plan = wizard.plan("mail_from")
    assert plan.blocked
    assert "receives mail" in plan.blockers[0].value


def test_mail_from_merges_an_existing_spf_record(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="dkim")
    world.zone.put(f"mail.{DOMAIN}", "TXT", "v=spf1 ip4:192.0.2.1 -all", "other=1")
    plan = wizard.plan("mail_from")
    kinds = [(a.kind, a.params.get("type")) for a in plan.actions]
    assert kinds == [("dns_change", "MX"), ("dns_change", "TXT"), ("aws_write", None)]
    txt = plan.actions[1]
    assert txt.params["values"] == [
        "v=spf1 ip4:192.0.2.1 include:amazonses.com -all",
        "other=1",
    ]
    assert plan.actions[2].call.startswith(
        "sesv2 PutEmailIdentityMailFromAttributes(EmailIdentity=example.com, "
        "MailFromDomain=mail.example.com, BehaviorOnMxFailure=USE_DEFAULT_VALUE)"
    )
    wizard.apply("mail_from", plan)
    assert wizard.status("mail_from").done
    assert wizard.plan("mail_from").empty


def test_mail_from_needs_the_identity(fake: tuple[FlowContext, FakeProvider]) -> None:
    ctx, _dns = fake
    plan = ready_wizard(ctx).plan("mail_from")
    assert plan.blocked and plan.blockers[0].remedy == "Complete the DKIM step first."


def test_dmarc_shows_the_tag_diff_and_the_next_stage(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    world.zone.put(
        f"_dmarc.{DOMAIN}", "TXT", f"v=DMARC1; p=quarantine; pct=25; rua=mailto:d@{DOMAIN}"
    )
    wizard = ready_wizard(ctx)
    wizard.set_inputs("dmarc", {"stage": "5", "rua": f"d@{DOMAIN}"})
    inspection = wizard.inspect("dmarc")
    assert isinstance(inspection, DmarcInspection)
    assert inspection.existing_stage is None  # pct=25 matches no stage
    plan = wizard.plan("dmarc", inspection)
    diff = plan.previews[0].text
    assert "~ p: quarantine -> reject" in diff and "- pct=25" in diff
    assert any(n.label == "Next stage" for n in plan.notes)
    [action] = plan.actions
    assert action.params["values"] == [f"v=DMARC1; p=reject; rua=mailto:d@{DOMAIN}"]


def test_dmarc_external_destination_needs_a_record_there(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    wizard.set_inputs("dmarc", {"rua": "reports@dmarc-vendor.example"})
    plan = wizard.plan("dmarc")
    outside = [p for p in plan.previews if p.title.startswith("Records the report")]
    assert outside and (
        'example.com._report._dmarc.dmarc-vendor.example. TXT "v=DMARC1;"' in outside[0].text
    )


def test_dmarc_replaces_two_records_with_one(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    world.zone.put(f"_dmarc.{DOMAIN}", "TXT", "v=DMARC1; p=none", "v=DMARC1; p=reject")
    wizard = ready_wizard(ctx)
    inspection = wizard.inspect("dmarc")
    assert any(f.level == "error" and "ignore them all" in f.value for f in inspection.facts)
    wizard.run_step("dmarc")
    assert world.zone.sets[(f"_dmarc.{DOMAIN}", "TXT")] == (
        f"v=DMARC1; p=none; rua=mailto:dmarc-reports@{DOMAIN}",
    )
    assert wizard.status("dmarc").done
    assert "consider the next stage from 2027-01-29" in wizard.status("dmarc").message


def test_dmarc_strict_alignment_is_refused_with_the_reason(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    errors = ready_wizard(ctx).set_inputs("dmarc", {"alignment": "strict"})
    assert "subdomain" in errors["alignment"].hint


def test_plan_rejects_another_steps_inspection(fake: tuple[FlowContext, FakeProvider]) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    with pytest.raises(FlowError):
        DkimStep().plan(ctx, wizard.state, wizard.inspect("domain"))
    assert isinstance(wizard.inspect("dkim"), DkimInspection)

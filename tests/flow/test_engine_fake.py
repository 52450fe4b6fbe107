"""The whole flow in the in-memory world: every step, idempotence, resume, inputs."""

from __future__ import annotations

import pytest

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import FlowError
from tests.flow.fakes import DELEGATE, DOMAIN, OWNER, REGION, FakeProvider, World


def _setup(wizard: Wizard) -> None:
    assert not wizard.set_inputs("accounts", {"profile": "owner", "region": REGION})
    wizard.run_step("accounts")
    assert not wizard.set_inputs("domain", {"domain": "Example.COM", "provider": "route53"})
    wizard.run_step("domain")


def test_whole_flow_in_memory(fake: tuple[FlowContext, FakeProvider], world: World) -> None:
    ctx, dns = fake
    wizard = Wizard(ctx)
    _setup(wizard)
    assert wizard.state.key == (OWNER, REGION, DOMAIN)
    assert wizard.state_path is not None and wizard.state_path.exists()

    run = wizard.run_step("dkim")
    assert [len(p.actions) for p in run.plans] == [1, 3, 0]
    assert run.status.done
    wizard.set_inputs("mail_from", {"subdomain": "mail", "behavior": "USE_DEFAULT_VALUE"})
    assert wizard.run_step("mail_from").status.done
    assert wizard.run_step("reports").status.done  # the optional step, skipped by default
    wizard.set_inputs("dmarc", {"stage": "1", "rua": f"dmarc@{DOMAIN}"})
    assert wizard.run_step("dmarc").status.done
    wizard.set_inputs("authorization", {"scope": "organization"})
    assert wizard.run_step("authorization").status.done
    wizard.set_inputs("test_email", {"delegate_profile": "delegate", "to": "me@example.org"})
    run = wizard.run_step("test_email")
    assert run.status.kind == "current"  # sent, waiting for the received message
    assert world.sent[0]["account"] == DELEGATE
    report = wizard.verify_message()
    assert report.dkim_aligned_pass_relaxed
    assert wizard.status("test_email").done
    summary = wizard.run_step("summary")
    assert summary.status.done and wizard.state.finished
    assert world.zone.sets[(f"mail.{DOMAIN}", "TXT")] == ("v=spf1 include:amazonses.com ~all",)
    assert world.zone.sets[(f"_dmarc.{DOMAIN}", "TXT")] == (
        f"v=DMARC1; p=none; rua=mailto:dmarc@{DOMAIN}",
    )
    writes_before = (list(world.writes), dns.writes)

    # Everything again: every plan is empty, nothing is written, no second email.
    for step in ("dkim", "mail_from", "dmarc", "authorization", "test_email"):
        assert wizard.plan(step).empty, step
        wizard.run_step(step)
    assert (world.writes, dns.writes) == writes_before


def test_resume_from_saved_state_repeats_no_write(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, dns = fake
    first = Wizard(ctx)
    _setup(first)
    first.run_step("dkim")
    first.set_inputs("mail_from", {"subdomain": f"bounce.{DOMAIN}"})
    first.run_step("mail_from")
    path = first.state_path
    assert path is not None
    done_writes = (list(world.writes), dns.writes)
    del first

    second = Wizard.from_saved(ctx, path)
    assert second.resume().id == "reports"  # the optional step is still to decide
    for step in ("reports", "dmarc", "authorization"):
        second.run_step(step)
    assert world.writes[: len(done_writes[0])] == done_writes[0]
    assert "CreateEmailIdentity" not in world.writes[len(done_writes[0]) :]
    assert "PutEmailIdentityMailFromAttributes" not in world.writes[len(done_writes[0]) :]
    assert dns.writes == done_writes[1] + 1  # only the DMARC record


def test_a_new_wizard_is_offered_the_unfinished_session(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    first = Wizard(ctx)
    _setup(first)
    saved = first.state_path
    assert saved is not None

    second = Wizard(ctx)
    second.set_inputs("accounts", {"profile": "owner", "region": REGION})
    second.run_step("accounts")
    offer = second.offer(DOMAIN)
    assert offer is not None and offer.state is not None
    assert offer.state.session_id == first.state.session_id
    second.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"})
    with pytest.raises(FlowError) as caught:
        second.run_step("domain")
    assert caught.value.kind == "resumable"

    kept = second.start_over(DOMAIN)
    assert kept is not None and kept.exists()
    second.run_step("domain")
    assert second.state_path == saved
    assert Wizard.from_saved(ctx, saved).state.session_id == second.state.session_id
    assert ctx.store.load(kept).session_id == first.state.session_id


def test_a_damaged_session_file_is_reported_not_resumed(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    first = Wizard(ctx)
    _setup(first)
    assert first.state_path is not None
    first.state_path.write_text("{")
    with pytest.raises(FlowError) as caught:
        Wizard.from_saved(ctx, first.state_path)
    assert caught.value.kind == "corrupt"
    second = Wizard(ctx)
    second.set_inputs("accounts", {"profile": "owner", "region": REGION})
    second.run_step("accounts")
    offer = second.offer(DOMAIN)
    assert offer is not None and offer.problem is not None and offer.state is None

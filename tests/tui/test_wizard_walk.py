"""Acceptance: the whole wizard through the screens, and a resume that repeats no write.

(1) Accounts to a delivered, verified test email, with DKIM PENDING after the identity is
created and SUCCESS only once the CNAMEs are published through the confirmation, and the
Summary checklist all green; the optional Reports inbox on the way is skipped with
nothing written. (2) A session stops after MAIL FROM; a new app over the saved session
resumes at the Reports inbox (still to decide) and finishes, and none of the earlier
writes happens again.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from screens.widgets.facts_view import FactsView
from screens.widgets.propagation_board import PropagationView
from sesdmarc_tui.flow.engine import Wizard
from tests.flow.fakes import fake_context
from tests.tui import drive
from tests.tui.states import advance
from tests.tui.world import TuiWorld, make_app, zone_rounds

SIZE = (100, 32)


async def test_whole_wizard_to_a_verified_test_email(tui: TuiWorld) -> None:
    app = make_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await drive.walk(pilot, "accounts", "domain")
        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "dkim"
        statuses = await drive.dkim(pilot)
        assert statuses[0] == "The SES identity does not exist yet."
        assert statuses[1].startswith("DKIM PENDING: publish")  # created, nothing published
        assert statuses[2].startswith("DKIM verified")  # SUCCESS only after publishing
        assert tui.dns.writes == 3
        board = app.screen.query_one(PropagationView)
        assert board.round is not None and board.round.complete

        await drive.next_step(pilot)
        await drive.walk(pilot, "mail_from", "mail_from")
        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "reports"  # the optional step, before DMARC
        before = (list(tui.world.writes), tui.dns.writes)
        await drive.checked_apply(pilot)  # the default is to skip it
        assert (list(tui.world.writes), tui.dns.writes) == before  # nothing written
        assert app.screen.status is not None and app.screen.status.done  # type: ignore[attr-defined]
        await drive.next_step(pilot)
        await drive.walk(pilot, "dmarc", "test_email")
        assert app.wizard.status("test_email").done
        assert [m["to"] for m in tui.world.sent] == ["me@example.org"]

        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "summary"
        checklist = app.screen.query_one(FactsView).facts
        steps = [f for f in checklist if f.label in {s.title for s in app.wizard.steps}]
        assert len(steps) == 8 and all(f.level == "ok" for f in steps)
        await drive.apply(pilot)  # Finish
        assert app.wizard.state.finished
        assert all(status.done for status in app.statuses.values())
        assert app.screen.query_one("#next", Button).disabled  # the last step


async def test_resume_after_mail_from_repeats_no_write(tui: TuiWorld, tmp_path: Path) -> None:
    """The interrupted session is made by the engine (the sandbox test walks it on screen);
    the resumed one is driven through the screens."""
    first = advance(tui.wizard(), "mail_from")
    first.run_step("mail_from")
    path = first.state_path
    assert path is not None and path.exists()
    writes_before = list(tui.world.writes)
    assert writes_before == ["CreateEmailIdentity", "PutEmailIdentityMailFromAttributes"]
    assert tui.dns.writes == 5  # three CNAMEs, the MX and the SPF record
    del first

    # A new process: a new context over the same world and state directory.
    ctx, dns = fake_context(tmp_path, tui.world)
    resumed = TuiWorld(ctx, tui.world, dns, zone_rounds(tui.world.zone))
    app = make_app(resumed, Wizard.from_saved(ctx, path), resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert drive.screen_step(pilot) == "reports"  # the optional step is still to decide
        for step in ("dkim", "mail_from"):  # going back finds nothing to do
            app.show_step(step)
            await drive.settle(pilot)
            assert app.screen.plan is not None and app.screen.plan.empty  # type: ignore[attr-defined]
        app.show_step("reports")
        await drive.walk(pilot, "reports", "test_email")
        await drive.next_step(pilot)
        await drive.apply(pilot)
        assert app.wizard.state.finished
    assert tui.world.writes[: len(writes_before)] == writes_before
    after = tui.world.writes[len(writes_before) :]
    assert after == ["CreateEmailIdentityPolicy", "SendEmail"]
    assert dns.writes == 1  # only the DMARC record

"""Acceptance in the sandbox: the screens drive the real adapters against moto + SES shim.

The same walk as ``test_wizard_walk`` but with nothing faked: Route 53 changes mirrored into
the sandbox's DNS server, SES DKIM PENDING until its own resolver sees the CNAMEs (polled by
the screen with back-off), the propagation board asking real DNS servers on loopback, and the
test email delivered to the sandbox mailbox and checked from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screens.app import SesdmarcApp
from screens.widgets.facts_view import FactsView
from screens.widgets.propagation_board import PropagationView
from sesdmarc_tui.flow.engine import Wizard
from tests.support.sandbox_flow import Writes, sandbox_context
from tests.tui import drive

DOMAIN = "example.com"
REGION = "eu-west-1"
RECIPIENT = f"ops@{DOMAIN}"  # verified through the domain identity: fine in the SES sandbox
SIZE = (100, 32)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    pytest.importorskip("moto")
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box


def step_status(app: SesdmarcApp) -> Any:
    return getattr(app.screen, "status", None)


async def test_whole_wizard_in_the_sandbox(sandbox: Any, tmp_path: Path) -> None:
    writes = Writes()
    app = SesdmarcApp(
        Wizard(sandbox_context(sandbox, tmp_path / "data", writes)), blink=False, board_interval=0.5
    )
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.fill(pilot, {"profile": sandbox.profiles.owner, "region": REGION})
        await drive.checked_apply(pilot)
        assert app.wizard.state.account == sandbox.world.management.id
        await drive.next_step(pilot)
        await drive.fill(pilot, {"domain": DOMAIN, "provider": "route53"})
        await drive.checked_apply(pilot)
        await drive.next_step(pilot)

        assert drive.screen_step(pilot) == "dkim"
        await drive.apply(pilot)  # CreateEmailIdentity
        assert app.wizard.status("dkim").message.startswith("DKIM PENDING")
        assert writes.ops() == ["CreateEmailIdentity"]  # nothing published yet
        assert await drive.apply(pilot)  # the CNAMEs, through the confirmation
        await drive.until(pilot, lambda: step_status(app) is not None and step_status(app).done)
        board = app.screen.query_one(PropagationView)
        await drive.until(pilot, lambda: board.round is not None and board.round.complete)

        await drive.next_step(pilot)
        await drive.checked_apply(pilot)
        await drive.until(pilot, lambda: step_status(app) is not None and step_status(app).done)
        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "reports"
        before = writes.total()
        await drive.checked_apply(pilot)  # Reports inbox: skipped, the default
        assert step_status(app).done and writes.total() == before
        await drive.next_step(pilot)
        await drive.checked_apply(pilot)  # DMARC, stage 1 with the suggested rua
        await drive.next_step(pilot)
        marketing = sandbox.world.account("marketing")
        await drive.fill(pilot, {"scope": "ou_subtree", "targets": marketing.ou_id})
        await drive.checked_apply(pilot)
        assert step_status(app).done
        await drive.next_step(pilot)
        delegate = sandbox.profiles.delegate_for("marketing")
        await drive.fill(pilot, {"delegate_profile": delegate, "to": RECIPIENT})
        await drive.checked_apply(pilot)
        await drive.press(pilot, "f7")  # fetch from the sandbox mailbox and check it
        assert step_status(app).done, step_status(app)

        await drive.next_step(pilot)
        facts = app.screen.query_one(FactsView).facts
        titles = {s.title for s in app.wizard.steps}
        assert [f.level for f in facts if f.label in titles] == ["ok"] * 8
        await drive.apply(pilot)
        assert app.wizard.state.finished
    assert writes.ops() == [
        "CreateEmailIdentity",
        *["ChangeResourceRecordSets"] * 5,
        "PutEmailIdentityMailFromAttributes",
        "ChangeResourceRecordSets",
        "CreateEmailIdentityPolicy",
        "SendEmail",
    ]


async def test_resume_in_the_sandbox_repeats_no_write(sandbox: Any, tmp_path: Path) -> None:
    state_dir = tmp_path / "data"
    first_writes = Writes()
    first = SesdmarcApp(
        Wizard(sandbox_context(sandbox, state_dir, first_writes)), blink=False, board_interval=0
    )
    async with first.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.fill(pilot, {"profile": sandbox.profiles.owner, "region": REGION})
        await drive.checked_apply(pilot)
        await drive.next_step(pilot)
        await drive.fill(pilot, {"domain": DOMAIN, "provider": "route53"})
        await drive.checked_apply(pilot)
        await drive.next_step(pilot)
        await drive.apply(pilot)
        await drive.apply(pilot)
        await drive.until(pilot, lambda: step_status(first) is not None and step_status(first).done)
        await drive.next_step(pilot)
        await drive.checked_apply(pilot)
        await drive.until(pilot, lambda: step_status(first) is not None and step_status(first).done)
        path = first.wizard.state_path
        await pilot.press("ctrl+q")
    assert path is not None
    assert first_writes.ops().count("ChangeResourceRecordSets") == 5

    writes = Writes()
    ctx = sandbox_context(sandbox, state_dir, writes)
    app = SesdmarcApp(Wizard.from_saved(ctx, path), resume=True, blink=False, board_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert drive.screen_step(pilot) == "reports"
        await drive.checked_apply(pilot)  # skipped
        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "dmarc"
        await drive.checked_apply(pilot)
        await drive.next_step(pilot)
        await drive.fill(pilot, {"scope": "organization"})
        await drive.checked_apply(pilot)
        await drive.next_step(pilot)
        delegate = sandbox.profiles.delegate_for("marketing")
        await drive.fill(pilot, {"delegate_profile": delegate, "to": RECIPIENT})
        await drive.checked_apply(pilot)
        await drive.press(pilot, "f7")
        await drive.next_step(pilot)
        await drive.apply(pilot)
        assert app.wizard.state.finished
    assert not set(first_writes.aws) & set(writes.aws)
    assert writes.ops() == [
        "ChangeResourceRecordSets",  # DMARC only
        "CreateEmailIdentityPolicy",
        "SendEmail",
    ]
    assert [name for name, *_ in writes.dns] == [f"_dmarc.{DOMAIN}"]

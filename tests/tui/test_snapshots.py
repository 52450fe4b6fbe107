"""SVG snapshots: every step at 100x32, two at 80x24, the confirmation, help and Troubleshoot.

Deterministic by construction: the fake world's clock is fixed, DKIM tokens derive from the
domain, state lives in a fixed directory, the cursor does not blink, the board refreshes only
when asked, and no notification is on screen when the picture is taken. Sync tests, as
``snap_compare`` runs its own event loop. Update with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.themes import LIGHT
from sesdmarc_tui.core.checklist import Area, CheckItem, CheckReport, Severity
from tests.tui import drive
from tests.tui.states import at_step
from tests.tui.world import DOMAIN, REGION, make_app

WIDE = (100, 32)
SMALL = (80, 24)
Before = Callable[[Pilot[Any]], Awaitable[None]]


async def checked(pilot: Pilot[Any]) -> None:
    """The step as the operator sees it after Check: facts, plan, records."""
    await drive.settle(pilot)
    if getattr(pilot.app.screen, "plan", None) is None:
        await drive.check(pilot)
    pilot.app.screen.set_focus(None)
    await drive.settle(pilot)


async def dkim_created(pilot: Pilot[Any]) -> None:
    await checked(pilot)
    await drive.apply(pilot)  # the identity: PENDING, the CNAMEs to publish
    pilot.app.clear_notifications()
    pilot.app.screen.set_focus(None)
    await drive.settle(pilot)


async def dkim_board(pilot: Pilot[Any]) -> None:
    await dkim_created(pilot)
    pilot.app.screen.query_one("#board-grid").focus()  # scrolls to it; the reason line shows
    await drive.press(pilot, "right")


async def dkim_confirm(pilot: Pilot[Any]) -> None:
    await dkim_created(pilot)
    await drive.press(pilot, "f6")


async def help_open(pilot: Pilot[Any]) -> None:
    await checked(pilot)
    await drive.press(pilot, "f1")


def snapshot(
    snap_compare: Any, name: str, step: str, before: Before, size: tuple[int, int], **options: Any
) -> bool:
    tui, wizard = at_step(name, step)
    app = make_app(tui, wizard, **options)
    return bool(snap_compare(app, terminal_size=size, run_before=before))


@pytest.mark.parametrize(
    "step",
    [
        "accounts",
        "domain",
        "dkim",
        "mail_from",
        "reports",
        "dmarc",
        "authorization",
        "test_email",
        "summary",
    ],
)
def test_step_wide(snap_compare: Any, step: str) -> None:
    """Each step after Check, at 100x32."""
    assert snapshot(snap_compare, f"wide-{step}", step, checked, WIDE)


def test_dkim_pending_with_records(snap_compare: Any) -> None:
    """DKIM after the identity is created: PENDING, three CNAMEs to publish."""
    assert snapshot(snap_compare, "dkim-created", "dkim", dkim_created, WIDE)


def test_dkim_propagation_board(snap_compare: Any) -> None:
    """The propagation board focused on a name-server cell: the reason shows below."""
    assert snapshot(snap_compare, "dkim-board", "dkim", dkim_board, WIDE)


def test_dkim_confirmation_diff(snap_compare: Any) -> None:
    """The confirmation before publishing: each CNAME as an added value."""
    assert snapshot(snap_compare, "dkim-confirm", "dkim", dkim_confirm, WIDE)


def test_accounts_small(snap_compare: Any) -> None:
    """Accounts at 80x24: the narrow layout."""
    assert snapshot(snap_compare, "small-accounts", "accounts", checked, SMALL)


def test_dkim_small(snap_compare: Any) -> None:
    """DKIM with its records at 80x24."""
    assert snapshot(snap_compare, "small-dkim", "dkim", dkim_created, SMALL)


def test_mail_from_light_theme(snap_compare: Any) -> None:
    """MAIL FROM in the light theme."""
    assert snapshot(snap_compare, "light-mail-from", "mail_from", checked, WIDE, theme=LIGHT)


def test_help_modal(snap_compare: Any) -> None:
    """F1 on DMARC: the step's Markdown help and its keys."""
    assert snapshot(snap_compare, "help-dmarc", "dmarc", help_open, WIDE)


def fixed_report(domain: str, _region: str | None) -> CheckReport:
    return CheckReport(
        domain=domain,
        regions=(REGION,),
        items=(
            CheckItem(Area.DKIM, "dkim.cname", Severity.OK, "The three DKIM CNAMEs resolve."),
            CheckItem(
                Area.DMARC,
                "dmarc.missing",
                Severity.ERROR,
                "No DMARC record at _dmarc.example.com.",
                fix="Publish v=DMARC1; p=none; rua=mailto:... (the DMARC step does this).",
            ),
        ),
    )


async def troubleshoot_run(pilot: Pilot[Any]) -> None:
    await drive.settle(pilot)
    await drive.press(pilot, "ctrl+p")
    await pilot.press(*"troubleshoot")
    await drive.press(pilot, "enter")
    await drive.press(pilot, "enter")  # in the domain box: run the checks
    pilot.app.screen.set_focus(None)
    await drive.settle(pilot)


def test_troubleshoot(snap_compare: Any) -> None:
    """Troubleshoot from the first screen (through the palette), with a fixed report."""
    tui, wizard = at_step("troubleshoot", "accounts")
    wizard.state.domain = DOMAIN
    app = make_app(tui, wizard, checker=fixed_report)
    assert snap_compare(app, terminal_size=WIDE, run_before=troubleshoot_run)


async def cleanup_open(pilot: Pilot[Any]) -> None:
    await checked(pilot)
    pilot.app.screen.query_one("#cleanup").press()
    await drive.settle(pilot)
    pilot.app.screen.set_focus(None)
    await drive.settle(pilot)


def test_summary_cleanup_plan(snap_compare: Any) -> None:
    """The Summary's cleanup dialog: exactly what the session created, before anything goes."""
    assert snapshot(snap_compare, "summary-cleanup", "summary", cleanup_open, WIDE)

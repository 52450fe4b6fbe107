"""Screen behaviour: inline validation, dependent fields, errors with remedies, navigation."""

from __future__ import annotations

from typing import Any

import pytest
from textual.notifications import Notify
from textual.widgets import Input, Static

from screens.steps.base import StepScreen
from screens.widgets.error_panel import ErrorScreen
from screens.widgets.help_screen import HelpScreen
from screens.widgets.step_sidebar import StepItem
from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from tests.tui import drive
from tests.tui.states import advance
from tests.tui.world import DOMAIN, TuiWorld, make_app

SIZE = (100, 32)


def static_text(widget: Any) -> str:
    return str(widget.render())


async def test_invalid_domain_is_refused_inline(tui: TuiWorld) -> None:
    app = make_app(tui, advance(tui.wizard(), "domain"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await pilot.click("#field-domain")
        await pilot.press(*"exa mple")
        await drive.settle(pilot)
        error = app.screen.query_one("#error-domain", Static)
        assert error.display  # the validator's own message, shown while typing
        assert "exa mple" in static_text(error) or "domain" in static_text(error).lower()
        await drive.check(pilot)
        assert app.screen.query_one("#error-domain", Static).display
        assert app.wizard.state.domain is None  # nothing was kept


async def test_provider_choice_brings_its_fields(tui: TuiWorld) -> None:
    app = make_app(tui, advance(tui.wizard(), "domain"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert app.screen.query("#field-route53_zone_id")
        drive.set_value(pilot, "provider", "rfc2136")
        await drive.settle(pilot)
        assert app.screen.query("#field-rfc2136_server")
        assert app.screen.query_one("#field-tsig_secret", Input).password
        assert not app.screen.query("#field-route53_zone_id")
        assert app.screen.query_one("#field-domain", Input).value == DOMAIN  # kept


async def test_aws_failure_shows_message_and_remedy(
    tui: TuiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.flow import fakes

    def denied(self: Any, domain: str) -> None:
        raise AwsError(
            ErrorKind.ACCESS_DENIED,
            "Access denied to ses:GetEmailIdentity [arn:aws:ses:eu-west-1:1:identity/x].",
            "Add ses:GetEmailIdentity to the role's policy.",
        )

    monkeypatch.setattr(fakes.FakeSes, "get_identity", denied)
    app = make_app(tui, advance(tui.wizard(), "domain"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "Access denied" in app.screen.info.message
        assert app.screen.info.remedy == "Add ses:GetEmailIdentity to the role's policy."
        await drive.press(pilot, "c")  # copy the error: brackets in it must not break markup
        assert "[arn:aws:ses" in app.clipboard
        await drive.press(pilot, "escape")
        assert isinstance(app.screen, StepScreen)
        assert "Fix: Add ses:GetEmailIdentity" in static_text(app.screen.query_one("#status-line"))


async def test_help_opens_for_the_step_and_closes(tui: TuiWorld) -> None:
    app = make_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.help_id == "accounts"
        assert ("f5", "Check") in app.screen.keys
        await drive.press(pilot, "q")
        assert isinstance(app.screen, StepScreen)


async def test_sidebar_click_and_keys_navigate(tui: TuiWorld) -> None:
    app = make_app(tui, advance(tui.wizard(), "dkim"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert drive.screen_step(pilot) == "dkim"
        await pilot.click("#side-accounts")
        await drive.settle(pilot)
        assert drive.screen_step(pilot) == "accounts"
        side = app.screen.query_one("#side-domain", StepItem)
        assert side.state == "done"
        await drive.next_step(pilot)
        assert drive.screen_step(pilot) == "domain"
        await drive.press(pilot, "b")
        assert drive.screen_step(pilot) == "accounts"
        await drive.press(pilot, "b")  # nothing before the first step
        assert drive.screen_step(pilot) == "accounts"


async def test_palette_switches_theme_and_jumps(tui: TuiWorld) -> None:
    app = make_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert app.theme == "sesdmarc-dark"
        await drive.press(pilot, "ctrl+p")
        await pilot.press(*"switch to light")
        await drive.settle(pilot)
        await drive.press(pilot, "enter")
        assert app.theme == "sesdmarc-light"
        await drive.press(pilot, "ctrl+p")
        await pilot.press(*"go to step 6")
        await drive.settle(pilot)
        await drive.press(pilot, "enter")
        assert drive.screen_step(pilot) == "dmarc"


async def test_small_terminal_walk_with_the_mouse(tui: TuiWorld) -> None:
    """80x24: the buttons are on screen and the first two steps complete by clicks."""
    app = make_app(tui)
    async with app.run_test(size=(80, 24)) as pilot:
        await drive.settle(pilot)
        drive.set_value(pilot, "region", "eu-west-1")
        await drive.settle(pilot)
        for button in ("#check", "#apply", "#next"):
            await pilot.click(button)
            await drive.settle(pilot)
        assert drive.screen_step(pilot) == "domain"
        assert app.wizard.state.account == "111111111111"


async def test_dynamic_notifications_use_no_markup(tui: TuiWorld) -> None:
    messages: list[Any] = []
    app = make_app(tui, advance(tui.wizard(), "dkim"))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await drive.settle(pilot)
        await drive.apply(pilot)  # identity created: "more to do" notification
        await pilot.press("ctrl+y")
        await drive.settle(pilot)
    notes = [m.notification for m in messages if isinstance(m, Notify)]
    assert notes and all(not n.markup for n in notes)


async def test_aws_retry_notices_from_a_worker_are_shown(tui: TuiWorld) -> None:
    import asyncio

    messages: list[Any] = []
    app = make_app(tui, advance(tui.wizard(), "dkim"))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await drive.settle(pilot)
        text = "SES throttled CreateEmailIdentity [429]; retrying in 1.6 s (attempt 2 of 5)"
        await asyncio.to_thread(app.wizard.ctx.notice, text)  # as a worker thread would
        await drive.settle(pilot)
    notes = [m.notification for m in messages if isinstance(m, Notify)]
    assert [(n.message, n.severity, n.markup) for n in notes] == [(text, "warning", False)]


async def test_starting_screen_then_the_step(tui: TuiWorld) -> None:
    from screens.app import SesdmarcApp
    from screens.starting import StartingScreen

    seen: list[str] = []

    def build() -> Any:
        seen.append(type(app.screen).__name__)  # what shows while the wizard is built
        return tui.wizard()

    app = SesdmarcApp(build, rounds=tui.rounds, blink=False, board_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert seen == [StartingScreen.__name__]
        assert drive.screen_step(pilot) == "accounts"
        assert len(app.screen_stack) == 2  # the starting screen is gone


async def test_context_that_cannot_be_built_is_explained(tui: TuiWorld) -> None:
    from screens.app import START_FAILED, SesdmarcApp

    def build() -> Any:
        raise AwsError(
            ErrorKind.EXPIRED_CREDENTIALS,
            "The SSO session for profile owner has expired.",
            "Run: aws sso login --profile owner",
        )

    app = SesdmarcApp(build, blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert app.screen.info.remedy == "Run: aws sso login --profile owner"
        await drive.press(pilot, "escape")
    assert app.return_code == START_FAILED


async def test_changed_values_need_a_new_check_before_apply(tui: TuiWorld) -> None:
    app = make_app(tui, advance(tui.wizard(), "mail_from"))
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        await drive.check(pilot)
        assert app.screen.plan is not None  # type: ignore[attr-defined]
        drive.set_value(pilot, "subdomain", f"bounce.{DOMAIN}")
        await drive.settle(pilot)
        assert app.screen.plan is None  # type: ignore[attr-defined]
        assert app.screen.query_one("#apply").disabled
        await drive.press(pilot, "f6")  # nothing happens without a plan
        assert tui.world.writes == ["CreateEmailIdentity"]
        await drive.check(pilot)
        await drive.apply(pilot)
        assert tui.world.zone.has(f"bounce.{DOMAIN}", "MX")


async def test_troubleshoot_has_its_own_help(tui: TuiWorld) -> None:
    app = make_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await drive.settle(pilot)
        app.action_troubleshoot()
        await drive.settle(pilot)
        await drive.press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and app.screen.help_id == "troubleshoot"

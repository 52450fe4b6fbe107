"""Troubleshoot: every inspection of a domain, nothing changed, each problem with its fix.

Reached from the sidebar or the palette on any screen, including the first. The checks are
the troubleshoot engine's (``sesdmarc check``); the AWS side reads through the wizard's own
context (its profiles, endpoints and caches), the DNS side through its resolvers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.messages import CheckFinished
from screens.widgets.error_panel import ErrorScreen, describe_error

if TYPE_CHECKING:
    from sesdmarc_tui.aws.ses_models import IdentityStatus
    from sesdmarc_tui.core.checklist import CheckReport
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.engine import Wizard

Checker = Callable[[str, "str | None"], "CheckReport"]
"""``checker(domain, region) -> CheckReport``: blocking, run in a worker thread."""


class ContextReader:
    """The troubleshoot engine's ``SesReader`` over the wizard's cached sessions."""

    def __init__(self, ctx: FlowContext, profile: str | None, region: str) -> None:
        self._session = ctx.session(profile, region)
        self._ses = ctx.ses(self._session)

    @property
    def region(self) -> str:
        return self._session.region

    def get_identity(self, domain: str) -> IdentityStatus | None:
        return self._ses.get_identity(domain)

    def account_id(self) -> str | None:
        return self._session.account_id


def context_checker(wizard: Wizard) -> Checker:
    def check(domain: str, region: str | None) -> CheckReport:
        from sesdmarc_tui.troubleshoot import run_check

        ctx = wizard.ctx
        profile = wizard.state.value("accounts", "profile") or ctx.default_profile
        home = region or ctx.default_region or "us-east-1"
        return run_check(
            domain,
            regions=[region] if region else [],
            profile=profile,
            lookup=ctx.lookup,
            authoritative=ctx.authoritative,
            resolvers=ctx.resolvers or None,
            session_factory=lambda p, r: ContextReader(ctx, p, r or home),
        )

    return check


class TroubleshootScreen(Screen[None]):
    help_id = "troubleshoot"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the wizard", id="troubleshoot.close")
    ]

    def __init__(self, checker: Checker, domain: str = "", region: str = "") -> None:
        super().__init__(name="troubleshoot")
        self.checker = checker
        self.initial_domain = domain
        self.initial_region = region

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("sesdmarc", "bold"), "  ·  Troubleshoot"), id="title-bar")
        with VerticalScroll(id="main"):
            yield Static(
                Text(
                    "Runs every check (SES, DKIM, MAIL FROM, SPF, DMARC, authorization) without "
                    "changing anything, and lists each problem with its fix."
                )
            )
            with Horizontal(classes="field-row"):
                yield Static(Text("Domain"), classes="field-label")
                yield Input(
                    self.initial_domain, placeholder="example.com", id="ts-domain", compact=True
                )
            with Horizontal(classes="field-row"):
                yield Static(Text("SES region"), classes="field-label")
                yield Input(
                    self.initial_region, placeholder="eu-west-1", id="ts-region", compact=True
                )
            yield Static(id="ts-status")
            yield Static(id="ts-report")
        with Horizontal(id="actions"):
            yield Button("◀ Back to the wizard", id="ts-close", compact=True)
            yield Button("Run the checks", id="ts-run", variant="primary", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = bool(getattr(self.app, "blink", True))
        self.query_one("#ts-domain", Input).focus()

    @on(Button.Pressed, "#ts-run")
    @on(Input.Submitted)
    def action_run(self) -> None:
        domain = self.query_one("#ts-domain", Input).value.strip()
        region = self.query_one("#ts-region", Input).value.strip() or None
        if not domain:
            self.query_one("#ts-status", Static).update(Text("Type the domain to check.", "bold"))
            return
        self.query_one("#ts-run", Button).disabled = True
        self.query_one("#ts-status", Static).update(Text("Checking (read only)…", style="dim"))
        self.run_checks(domain, region)

    @work(thread=True, exclusive=True, exit_on_error=False, group="check", description="check")
    def run_checks(self, domain: str, region: str | None) -> None:
        self.post_message(CheckFinished(self.checker(domain, region)))

    @on(CheckFinished)
    def _finished(self, message: CheckFinished) -> None:
        from sesdmarc_tui.report.check import render_check

        report = message.report
        self.query_one("#ts-run", Button).disabled = False
        problems = len(report.problems)
        summary = f"{problems} problem(s) found." if problems else "No problems found."
        self.query_one("#ts-status", Static).update(Text(summary, style="bold"))
        self.query_one("#ts-report", Static).update(render_check(report))

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "check" or event.state is not WorkerState.ERROR:
            return
        self.query_one("#ts-run", Button).disabled = False
        info = describe_error(event.worker.error or RuntimeError("unknown"), "run the checks")
        self.query_one("#ts-status", Static).update(info.inline())
        self.app.push_screen(ErrorScreen(info))

    @on(Button.Pressed, "#ts-close")
    def action_close(self) -> None:
        self.dismiss(None)

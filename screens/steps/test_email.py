"""Step 7, Test email: send as the delegate, then check the message that arrived.

Sending is the step's apply (recorded, so a resumed wizard never sends twice). The received
message is fetched from the environment's mailbox when it has one, or pasted; the flow engine
checks it (every DKIM signature, SPF, alignment, the receiver's verdict).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from screens.messages import Verified
from screens.steps.base import StepScreen
from screens.steps.work import safe_status
from screens.widgets.facts_view import LEVEL_GLYPHS

if TYPE_CHECKING:
    from sesdmarc_tui.core.message import MessageReport
    from sesdmarc_tui.flow.model import Inspection, Plan

LEVELS = {"ok": "ok", "info": "info", "warn": "warn", "error": "error"}


class TestEmailScreen(StepScreen):
    step_id = "test_email"
    apply_label = "Send"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "verify_received", "Check message", id="test_email.verify")
    ]

    def compose_extras(self) -> ComposeResult:
        with Vertical(id="verify", classes="verify"):
            yield Static(Text("Check the received message", style="bold underline"))
            with Horizontal(classes="verify-buttons"):
                yield Button("Fetch and check", id="verify-fetch", compact=True)
                yield Button("Check pasted", id="verify-pasted", compact=True)
            area = TextArea(id="verify-paste", soft_wrap=True)
            area.cursor_blink = self.blink
            area.border_title = "Paste the headers or the whole message"
            yield area
            yield Static(id="verdict")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#verify").display = False
        self.query_one("#verify-fetch").display = self.wizard.ctx.mailbox is not None

    def on_inspection(self, inspection: Inspection, plan: Plan) -> None:
        sent = isinstance(self.wizard.state.resource(self.step_id, "message_id"), str)
        panel = self.query_one("#verify")
        if sent and not panel.display:
            panel.display = True
            self.call_after_refresh(panel.scroll_visible)

    def action_verify_received(self) -> None:
        if not self.query_one("#verify").display:
            self.notify("Send the test email first.", markup=False)
        elif self.wizard.ctx.mailbox is not None:
            self._start_verify(None)
        else:
            self.query_one("#verify-paste", TextArea).focus()

    @on(Button.Pressed, "#verify-fetch")
    def _fetch(self) -> None:
        self._start_verify(None)

    @on(Button.Pressed, "#verify-pasted")
    def _pasted(self) -> None:
        text = self.query_one("#verify-paste", TextArea).text.strip()
        if not text:
            self.notify("Paste the message first.", severity="warning", markup=False)
            return
        self._start_verify(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))

    def _start_verify(self, raw: bytes | None) -> None:
        if self.busy:
            return
        self.set_busy(True, "Checking the message (DKIM, SPF, DMARC)…")
        self.verify(raw)

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify", description="verify")
    def verify(self, raw: bytes | None) -> None:
        report = self.wizard.verify_message(raw)
        self.post_message(Verified(report, safe_status(self.wizard, self.step_id)))

    @on(Verified)
    def _verified(self, message: Verified) -> None:
        self.set_busy(False)
        self.query_one("#verdict", Static).update(self.verdict(message.report))
        self.show_status(message.status)
        self.refresh_statuses()

    def verdict(self, report: MessageReport) -> Text:
        style = self.query_one("#facts").level_style  # type: ignore[attr-defined]
        dkim = "passes aligned" if report.dkim_aligned_pass_relaxed else "does not pass aligned"
        text = Text.assemble(
            ("Verdict: ", "bold"),
            (report.verdict, style(report.verdict)),
            f" · DKIM {dkim} · DMARC {report.dmarc.ours}",
        )
        for finding in report.findings:
            level = LEVELS.get(finding.status, "info")
            text.append(f"\n{LEVEL_GLYPHS[level]} ", style=style(level))
            text.append(finding.message)
            if finding.fix:
                text.append("\n   Fix: ", style="bold")
                text.append(finding.fix)
        return text

"""The Summary's cleanup entry: ``sesdmarc cleanup`` for this session, in a dialog.

Plan (reads only) -> the exact list of what the tool created and will delete -> the operator
presses Delete -> apply -> what was deleted, the session file and the audit log. The identity
is deleted only when its box is ticked (the CLI's ``--delete-identity``). Both engine calls run
in thread workers with ``exit_on_error=False``; a failure shows in the dialog with its remedy,
and nothing after the failing deletion is attempted. Dismisses with ``True`` when anything was
deleted, so the Summary reads its checklist again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Static
from textual.worker import Worker, WorkerState

from screens.widgets.error_panel import describe_error

if TYPE_CHECKING:
    from sesdmarc_tui.flow.cleanup import CleanupPlan, CleanupReport
    from sesdmarc_tui.flow.engine import Wizard

DOING = {"cleanup-plan": "list what to delete", "cleanup-apply": "delete"}


class CleanupPlanned(Message):
    def __init__(self, plan: CleanupPlan) -> None:
        super().__init__()
        self.plan = plan


class CleanupDone(Message):
    def __init__(self, report: CleanupReport, after: CleanupPlan) -> None:
        super().__init__()
        self.report = report
        self.after = after


class CleanupScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="cleanup.close"),
    ]

    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.wizard = wizard
        self.plan: CleanupPlan | None = None
        self.report: CleanupReport | None = None
        self.deleted = False

    def compose(self) -> ComposeResult:
        with Vertical(id="cleanup-dialog", classes="dialog"):
            title = Text("Clean up what sesdmarc created", style="bold")
            yield Static(title, classes="dialog-title")
            yield Static(
                Text(
                    "Only what this session created is listed; other values at the same names "
                    "stay. Nothing is deleted until you press Delete.",
                ),
                classes="dialog-help",
            )
            yield Checkbox(
                "Also delete the SES identity (only if this wizard created it)",
                id="cleanup-identity",
                compact=True,
            )
            with VerticalScroll(id="cleanup-scroll", classes="dialog-body"):
                yield Static(Text("Reading SES and DNS…", style="dim"), id="cleanup-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Delete", variant="error", id="cleanup-apply", compact=True)
                yield Button("Close", id="cleanup-close", compact=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        # A plan can be long: the list scrolls and the buttons stay on screen, even at 80x24
        # (inline styles: the app's dialog rules cap the body at a height that would hide them).
        self.query_one("#cleanup-dialog").styles.height = "90%"
        scroll = self.query_one("#cleanup-scroll").styles
        scroll.height, scroll.max_height = "1fr", None
        self.query_one("#cleanup-apply", Button).disabled = True
        self.query_one("#cleanup-close", Button).focus()
        self.plan_cleanup(False)

    # -- workers (no widget touched here) -----------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-plan")
    def plan_cleanup(self, delete_identity: bool) -> None:
        from sesdmarc_tui.flow.steps.summary import cleanup_plan

        wizard = self.wizard
        plan = cleanup_plan(wizard.ctx, wizard.state, delete_identity=delete_identity)
        self.post_message(CleanupPlanned(plan))

    @work(thread=True, exclusive=True, exit_on_error=False, group="cleanup-apply")
    def apply_cleanup(self, plan: CleanupPlan) -> None:
        from sesdmarc_tui.flow.steps.summary import cleanup_plan, run_cleanup

        wizard = self.wizard
        report = run_cleanup(wizard.ctx, plan)
        # What is left, read again: after a full cleanup, nothing.
        after = cleanup_plan(wizard.ctx, wizard.state, delete_identity=plan_deletes_identity(plan))
        self.post_message(CleanupDone(report, after))

    # -- handlers -----------------------------------------------------------------------------

    @on(CleanupPlanned)
    def _planned(self, message: CleanupPlanned) -> None:
        from sesdmarc_tui.report.cleanup import render_plan

        self.plan = message.plan
        self.query_one("#cleanup-body", Static).update(render_plan(message.plan))
        self._buttons(busy=False)

    @on(CleanupDone)
    def _done(self, message: CleanupDone) -> None:
        from sesdmarc_tui.report.cleanup import render_report

        self.report, self.plan = message.report, message.after
        self.deleted = self.deleted or bool(message.report.results)
        left = (
            Text("Nothing left to delete.", style="bold")
            if message.after.empty
            else Text(f"{len(message.after.actions)} item(s) still listed: check again.", "bold")
        )
        body = Text.assemble(("Deleted:\n", "bold underline"))
        self.query_one("#cleanup-body", Static).update(
            Group(body, render_report(message.report, str(self.wizard.audit_path)), left)
        )
        self._buttons(busy=False)

    @on(Checkbox.Changed, "#cleanup-identity")
    def _identity(self, event: Checkbox.Changed) -> None:
        self._buttons(busy=True)
        self.query_one("#cleanup-body", Static).update(Text("Reading SES and DNS…", style="dim"))
        self.plan_cleanup(event.value)

    @on(Button.Pressed, "#cleanup-apply")
    def _apply(self) -> None:
        plan = self.plan
        if plan is None or plan.empty:
            return
        self._buttons(busy=True)
        self.query_one("#cleanup-close", Button).disabled = True
        self.query_one("#cleanup-body", Static).update(Text("Deleting…", style="dim"))
        self.apply_cleanup(plan)

    @on(Button.Pressed, "#cleanup-close")
    def _close(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        for worker in self.workers:
            if worker.group == "cleanup-apply" and worker.is_running:
                return  # never leave a half-made cleanup unseen
        self.dismiss(self.deleted)

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if event.state is not WorkerState.ERROR or group not in DOING:
            return
        info = describe_error(event.worker.error or RuntimeError("unknown"), DOING[group])
        text = Text(info.title, style="bold red")
        text.append("\n")
        text.append_text(info.inline())
        if group == "cleanup-apply":
            self.deleted = True  # some deletions may have happened before the failure
            self.plan = None
        self.query_one("#cleanup-body", Static).update(text)
        self._buttons(busy=False)

    def _buttons(self, *, busy: bool) -> None:
        plan = self.plan
        apply = self.query_one("#cleanup-apply", Button)
        apply.disabled = busy or plan is None or plan.empty
        count = len(plan.actions) if plan is not None else 0
        label = f"Delete {count}" if count else "Delete"
        if str(apply.label) != label:
            apply.label = label
            apply.refresh(layout=True)
        self.query_one("#cleanup-identity", Checkbox).disabled = busy
        if not busy:
            self.query_one("#cleanup-close", Button).disabled = False


def plan_deletes_identity(plan: CleanupPlan) -> bool:
    from sesdmarc_tui.flow.cleanup.actions import DELETE_IDENTITY

    return any(a.id == DELETE_IDENTITY for a in plan.actions)

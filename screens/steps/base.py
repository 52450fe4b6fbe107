"""The screen every wizard step uses: a layout over the flow engine's ``Step``.

Fields become a form (the step's validators run inline), Check inspects and plans, Apply
confirms (showing the diff when anything will be written) and applies, and the live status is
polled with the engine's back-off delays until it is done or needs the operator. Every engine
call runs in a thread worker (``screens.steps.work``); the handlers here own the widgets.
Nothing in this module knows what a step does: subclasses add layout only.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Button, Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState

from screens.messages import (
    Applied,
    ApplyProgress,
    Checked,
    FieldsLoaded,
    InputsRefused,
    StatusChecked,
)
from screens.steps.status_text import status_text
from screens.steps.work import StepWork
from screens.widgets.error_panel import ErrorScreen, describe_error
from screens.widgets.facts_view import FactsView, PlanView
from screens.widgets.field_form import FieldForm
from screens.widgets.previews import PreviewList
from screens.widgets.step_sidebar import StepSidebar

if TYPE_CHECKING:
    from sesdmarc_tui.flow.model import Inspection, Plan, StepStatus

DOING = {
    "step": "finish this step",
    "fields": "update the form",
    "poll": "read the live status",
    "verify": "check the message",
}


class StepScreen(StepWork):
    """One step. ``step_id`` names the flow step; subclasses may add ``compose_extras``."""

    step_id: ClassVar[str] = ""
    apply_label: ClassVar[str] = "Apply"
    facts_title: ClassVar[str] = "What was found"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "check", "Check", id="step.check"),
        Binding("f6", "apply", "Apply", id="step.apply"),
    ]

    def __init__(self) -> None:
        super().__init__(name=self.step_id)
        self.inspection: Inspection | None = None
        self.plan: Plan | None = None
        self.status: StepStatus | None = None
        self.form: FieldForm | None = None
        self._poll_timer: Timer | None = None
        self._delays: list[float] = []

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        wizard = self.wizard
        step = wizard.step(self.step_id)
        ids = [s.id for s in wizard.steps]
        number = ids.index(step.id) + 1
        yield Static(
            Text.assemble(("sesdmarc", "bold"), f"  ·  Step {number} of {len(ids)}"),
            id="title-bar",
        )
        with Horizontal(id="body"):
            yield StepSidebar([(s.id, s.title) for s in wizard.steps], self.step_id, id="sidebar")
            with VerticalScroll(id="main"):
                yield Static(Text(f"{number}. {step.title}", style="bold"), id="step-title")
                yield Static(id="status-line")
                yield Vertical(id="form-slot")
                yield FactsView(title=self.facts_title, id="facts")
                yield from self.compose_records()
                yield PlanView(id="plan")
                yield PreviewList(id="previews")
                yield from self.compose_extras()
                yield Static(id="progress-text")
                yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="actions"):
            yield Button("◀ Back", id="back", compact=True, disabled=number == 1)
            yield Button("Check", id="check", compact=True, tooltip="F5: read, change nothing")
            yield Button(self.confirm_label(), id="apply", compact=True, disabled=True)
            yield Button("Cancel", id="cancel", compact=True, disabled=True)
            yield Button("Next ▶", id="next", compact=True, disabled=number == len(ids))
        yield Footer(show_command_palette=False)

    @property
    def help_id(self) -> str:
        """Which ``assets/help`` page F1 opens: the step's own."""
        return self.wizard.step(self.step_id).help_id

    def compose_records(self) -> ComposeResult:
        """Step-specific panels between the facts and the plan."""
        yield from ()

    def compose_extras(self) -> ComposeResult:
        """Step-specific panels between the plan and the progress line."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#facts").display = False
        self.query_one("#plan").display = False
        self.query_one("#previews").display = False
        self.query_one("#progress").display = False
        self.query_one(StepSidebar).show_statuses(self.app_statuses())
        self.show_status(None, Text("Loading…", style="dim"))
        self.call_after_refresh(self.load_fields)  # after the first paint (see the app)

    def on_unmount(self) -> None:
        self.stop_polling()

    # -- status line and busy state -----------------------------------------------------------

    def show_status(self, status: StepStatus | None, extra: Text | None = None) -> None:
        if status is not None:
            self.status = status
        text = status_text(self, self.status) if self.status is not None else Text("")
        if extra is not None:
            text = Text.assemble(text, "\n" if text.plain else "", extra)
        self.query_one("#status-line", Static).update(text)

    def set_busy(self, busy: bool, what: str = "", *, cancellable: bool = False) -> None:
        self.busy = busy
        self.query_one("#check", Button).disabled = busy
        self.query_one("#cancel", Button).disabled = not (busy and cancellable)
        self.refresh_apply_button()
        progress = self.query_one("#progress", ProgressBar)
        progress.display = busy and cancellable
        if busy:
            progress.update(total=None, progress=0)
        self.query_one("#progress-text", Static).update(Text(what, style="dim"))

    def refresh_apply_button(self) -> None:
        button = self.query_one("#apply", Button)
        plan = self.plan
        button.disabled = self.busy or plan is None or plan.blocked
        writes = len(plan.writes) if plan is not None else 0
        plural = "change" if writes == 1 else "changes"
        label = self.confirm_label()
        if writes and self.apply_label == "Apply":
            label = f"Apply {writes} {plural}"
        if str(button.label) != label:
            button.label = label
            button.refresh(layout=True)  # the bar is sized to the labels

    def confirm_label(self) -> str:
        """The button's word when nothing will be written (the step only records choices)."""
        return "Confirm" if self.apply_label == "Apply" else self.apply_label

    # -- fields -------------------------------------------------------------------------------

    @on(FieldsLoaded)
    async def _fields_loaded(self, message: FieldsLoaded) -> None:
        if not self.is_attached or self not in self.app.screen_stack:
            return  # the screen was replaced while its fields loaded
        fields = message.fields
        if self.form is not None:
            typed = self.form.values()
            fields = [
                dataclasses.replace(f, default=str(typed[f.key]))
                if isinstance(typed.get(f.key), str) and typed[f.key] and f.kind != "secret"
                else f
                for f in fields
            ]
            await self.form.remove()
        self.form = FieldForm(
            fields,
            message.options,
            option_errors=message.option_errors,
            blink=self.blink,
            id="form",
        )
        await self.query_one("#form-slot").mount(self.form)
        self.show_status(message.status)
        self.query_one(StepSidebar).show_statuses(self.app_statuses())
        if message.check:
            self.call_after_refresh(self.action_check)  # once the new form's inputs exist
        else:
            self.call_after_refresh(self.form.focus_first)

    @on(FieldForm.Edited)
    def _typed(self) -> None:
        self.invalidate_plan()

    def invalidate_plan(self) -> None:
        """A value changed after Check: the plan on screen no longer matches, so Apply waits
        for a new Check (applying a stale plan would write what the operator just changed)."""
        if self.plan is None or self.busy:
            return
        self.plan = None
        self.refresh_apply_button()
        self.query_one("#plan", PlanView).show(None)
        self.show_status(None, Text("Values changed: check again (F5) to see the new plan."))

    @on(FieldForm.ChoiceChanged)
    def _choice_changed(self, message: FieldForm.ChoiceChanged) -> None:
        self.invalidate_plan()
        shape = [(f.key, f.default) for f in self.form.fields] if self.form is not None else []
        self.restructure(message.key, message.value, shape)

    @on(FieldForm.Submitted)
    def _submitted(self) -> None:
        self.action_check()

    @on(InputsRefused)
    def _refused(self, message: InputsRefused) -> None:
        self.set_busy(False)
        if self.form is not None:
            self.form.show_errors(message.errors)
        self.show_status(None, Text("Some values were refused: see the messages above.", "bold"))

    # -- check --------------------------------------------------------------------------------

    def action_check(self) -> None:
        if self.busy or self not in self.app.screen_stack:
            return  # busy, or a deferred check on a screen that was replaced meanwhile
        if self.form is None:  # a check now would judge empty inputs, not the operator's
            self.notify("The form is still loading.", markup=False)
            return
        try:
            values = self.form.values()
        except NoMatches:  # its inputs are not mounted yet (a loaded machine, a screen leaving)
            self.notify("The form is still loading.", markup=False)
            return
        self.form.show_errors({})
        self.set_busy(True, "Reading the current state (nothing is changed)…")
        self.check_step(values)

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        self.set_busy(False)
        self.show_result(message.inspection, message.plan, message.status)
        if self.should_poll(message.status, message.plan):
            self.start_polling()

    def show_result(self, inspection: Inspection, plan: Plan, status: StepStatus) -> None:
        self.inspection, self.plan = inspection, plan
        self.query_one("#facts", FactsView).show(inspection.facts)
        self.query_one("#plan", PlanView).show(plan)
        self.query_one(PreviewList).show(plan.previews)
        self.show_status(status)
        self.refresh_apply_button()
        self.on_inspection(inspection, plan)

    def on_inspection(self, inspection: Inspection, plan: Plan) -> None:
        """Subclasses show what else the inspection holds (records, a board, a verdict)."""

    # -- apply --------------------------------------------------------------------------------

    def action_apply(self) -> None:
        plan = self.plan
        if self.busy or plan is None or plan.blocked:
            return
        if not plan.writes:
            self._start_apply(plan)
            return
        from screens.widgets.confirm_diff import ConfirmDiff

        def answered(ok: bool | None) -> None:
            if ok:
                self._start_apply(plan)
            else:
                self.show_status(None, Text("Nothing was changed.", style="dim"))

        self.app.push_screen(ConfirmDiff(plan), answered)

    def _start_apply(self, plan: Plan) -> None:
        self.set_busy(True, "Applying…", cancellable=True)
        self.apply_step(plan)

    @on(ApplyProgress)
    def _progress(self, message: ApplyProgress) -> None:
        self.query_one("#progress-text", Static).update(Text(message.text))
        bar = self.query_one("#progress", ProgressBar)
        if message.fraction is not None:
            bar.update(total=100, progress=round(message.fraction * 100))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        self.set_busy(False)
        report = message.report
        done = ", ".join(r.message for r in report.results if r.message) or "Done."
        self.show_result(message.inspection, message.plan, message.status)
        self.query_one("#progress-text", Static).update(Text(done[:400]))
        self.after_apply(message)
        self.refresh_statuses()
        if message.plan.writes:
            self.notify(
                "More to do: review the new plan and apply again.",
                title=self.wizard.step(self.step_id).title,
                markup=False,
            )
        elif self.should_poll(message.status, message.plan):
            self.start_polling()
        if message.status.done and not message.plan.writes:
            self.query_one("#next", Button).focus()  # Enter (or n) moves on from here

    def after_apply(self, message: Applied) -> None:
        """Subclasses show what apply returned (manual publishing instructions...)."""

    def action_cancel(self) -> None:
        self.wizard.cancel()
        self.stop_polling()
        self.query_one("#progress-text", Static).update(Text("Cancelling after this action…"))

    # -- live status --------------------------------------------------------------------------

    def should_poll(self, status: StepStatus, plan: Plan) -> bool:
        """Worth polling: in progress, nothing left to apply, nothing the operator must do."""
        return status.kind == "current" and plan.empty and not plan.blocked and self.polls

    polls: ClassVar[bool] = False

    def start_polling(self) -> None:
        self.stop_polling()
        self._delays = list(self.wizard.ctx.poll_delays) or [2.0]
        self._schedule_poll()

    def _schedule_poll(self) -> None:
        delay = self._delays.pop(0) if len(self._delays) > 1 else self._delays[0]
        self._poll_timer = self.set_timer(delay, self.poll_status)

    def stop_polling(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None

    @on(StatusChecked)
    def _status_checked(self, message: StatusChecked) -> None:
        self.show_status(message.status)
        if message.status.kind in ("done", "attention"):
            self.stop_polling()
            self.refresh_statuses()
            self.action_check()  # the facts change with the status (DKIM SUCCESS)
        elif self._poll_timer is not None:
            self._schedule_poll()

    # -- failures -----------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.group not in DOING:
            return
        info = describe_error(worker.error or RuntimeError("unknown"), DOING[worker.group])
        if worker.group == "poll":
            self.show_status(None, info.inline())
            if self._poll_timer is not None:
                self._schedule_poll()  # a throttled or flaky read is retried, not fatal
            return
        self.set_busy(False)
        self.show_status(None, info.inline())
        if getattr(worker.error, "kind", None) == "resumable":
            self.offer_resume(info.message)
            return
        self.app.push_screen(ErrorScreen(info))

    def offer_resume(self, message: str) -> None:
        """A saved setup exists for this account, region and domain: resume or start over."""
        from screens.widgets.resume_dialog import ResumeDialog

        plan = self.plan
        domain = getattr(plan.inspection, "domain", None) if plan is not None else None
        if not isinstance(domain, str) or plan is None:
            return
        detail = "Start over keeps the saved setup aside under a new name; nothing is deleted."

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.app.resume_saved(domain)  # type: ignore[attr-defined]
            elif choice == "start_over":
                self.set_busy(True, "Setting the saved setup aside…", cancellable=False)
                self.start_over_and_apply(domain, plan)
            else:
                self.show_status(None, Text("Nothing was changed.", style="dim"))

        self.app.push_screen(ResumeDialog(message, detail), chosen)

    # -- buttons and navigation ---------------------------------------------------------------

    @on(Button.Pressed, "#check")
    def _check_pressed(self) -> None:
        self.action_check()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.app.action_previous_step()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.app.action_next_step()  # type: ignore[attr-defined]

    @on(StepSidebar.Selected)
    def _sidebar(self, message: StepSidebar.Selected) -> None:
        self.app.show_step(message.step_id)  # type: ignore[attr-defined]

    def copy_payload(self) -> tuple[str, str] | None:
        """What ctrl+y copies here (subclasses with records offer the focused one)."""
        return None

"""One step in line mode: ask its fields, check, show, then the menu until the operator moves.

The same sequence as the Textual step screen: fields (the step's validators inline), Check
(inspect and plan, nothing changed), Apply (a confirmation with every value changed whenever
anything will be written), the live status polled until done for the steps with records.
Every engine call runs in a worker (``plain.work``), so Ctrl-C stops between two actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.flow.model import FlowError, Inspection, Plan, StepStatus
from sesdmarc_tui.flow.steps.summary import live_status
from sesdmarc_tui.plain import actions
from sesdmarc_tui.plain.fields import ask_fields
from sesdmarc_tui.plain.menu import VERIFY_STEP, View, default_entry, entries
from sesdmarc_tui.plain.mode import QUIT
from sesdmarc_tui.plain.render import (
    error_text,
    plan_view,
    records_table,
    section,
    status_text,
)
from sesdmarc_tui.plain.work import run_work
from sesdmarc_tui.report.facts import facts_grid

if TYPE_CHECKING:
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.plain.mode import LineMode

FACTS_TITLES = {"summary": "Checklist"}
READING = "Reading the current state (nothing is changed)…"


class StepPage:
    def __init__(self, mode: LineMode, step_id: str) -> None:
        self.mode = mode
        self.step_id = step_id
        self.inspection: Inspection | None = None
        self.plan: Plan | None = None
        self.status: StepStatus | None = None
        self.has_fields = False
        self._shown: tuple[object, ...] = ()

    @property
    def wizard(self) -> Wizard:
        """The mode's wizard (resuming a saved setup replaces it)."""
        return self.mode.wizard

    # -- showing ------------------------------------------------------------------------------

    def header(self) -> None:
        ids = [s.id for s in self.wizard.steps]
        step = self.wizard.step(self.step_id)
        self.mode.help_id = step.help_id
        self.mode.console.print()
        self.mode.console.rule(f"Step {ids.index(step.id) + 1} of {len(ids)} · {step.title}")

    def show_status(self) -> None:
        if self.status is not None:
            self.mode.console.print(status_text(self.status))

    def show(
        self, inspection: Inspection, plan: Plan, status: StepStatus, *, again: bool = True
    ) -> None:
        """Print what the check found; with ``again=False`` only what changed since."""
        self.inspection, self.plan, self.status = inspection, plan, status
        out = self.mode.console
        shown = (inspection.facts, inspection.records, (plan.actions, plan.blockers))
        changed = [
            again or not self._shown or new != old
            for new, old in zip(shown, self._shown or shown, strict=True)
        ]
        if inspection.facts and changed[0]:
            title = FACTS_TITLES.get(self.step_id, "What was found")
            out.print(section(title, facts_grid(inspection.facts)))
        if inspection.records and changed[1]:
            out.print()
            out.print(records_table(inspection.records, self.zone()))
        if changed[2]:
            out.print(plan_view(plan))
        self._shown = shown
        out.print()
        self.show_status()

    def zone(self) -> str | None:
        state = self.wizard.state
        found = (self.inspection.zone if self.inspection else None) or state.resource(
            "domain", "zone"
        )
        found = found or state.domain
        return found if isinstance(found, str) else None

    def fail(self, exc: FlowError) -> None:
        self.mode.console.print(error_text(exc.message, exc.remedy))

    # -- engine calls -------------------------------------------------------------------------

    def load(self) -> bool:
        """Go to the step; True when its required values are all given already."""
        wizard, step_id = self.wizard, self.step_id

        def read() -> tuple[bool, bool, StepStatus]:
            wizard.go_to(step_id)
            fields = wizard.fields(step_id)
            given = wizard.state.inputs(step_id)
            ready = all(f.key in given for f in fields if f.required and f.kind != "secret")
            return bool(fields), ready, live_status(wizard.step(step_id), wizard.ctx, wizard.state)

        self.has_fields, ready, self.status = run_work(self.mode.console, "", read)
        self.show_status()
        return ready

    def check(self, *, again: bool = True) -> None:
        wizard, step_id = self.wizard, self.step_id

        def read() -> tuple[Inspection, Plan, StepStatus]:
            inspection = wizard.inspect(step_id)
            plan = wizard.plan(step_id, inspection)
            return inspection, plan, live_status(wizard.step(step_id), wizard.ctx, wizard.state)

        try:
            self.show(*run_work(self.mode.console, READING, read), again=again)
        except FlowError as exc:
            self.plan = None
            self.fail(exc)

    # -- the page -----------------------------------------------------------------------------

    def view(self) -> View:
        ids = [s.id for s in self.wizard.steps]
        index = ids.index(self.step_id)
        sent = self.step_id == VERIFY_STEP and isinstance(
            self.wizard.state.resource(self.step_id, "message_id"), str
        )
        return View(
            self.step_id,
            self.inspection,
            self.plan,
            self.status,
            self.has_fields,
            ids[index - 1] if index > 0 else None,
            ids[index + 1] if index + 1 < len(ids) else None,
            sent,
        )

    def run(self) -> str:
        self.header()
        try:
            if not self.load() and self.has_fields:
                ask_fields(self.mode, self.step_id)
        except FlowError as exc:  # listing a field's choices or saving failed: said, not fatal
            self.fail(exc)
        self.check()
        titles = {s.id: s.title for s in self.wizard.steps}
        while True:
            view = self.view()
            choice = self.mode.prompter.select(
                "What now?", entries(view, titles), default_entry(view)
            )
            moved = self.act(choice, view)
            if moved is not None:
                return moved

    def act(self, choice: str, view: View) -> str | None:
        """Carry out a menu choice; the step to go to, or None to stay."""
        if choice == "next" and view.next is not None:
            return view.next
        if choice == "back" and view.previous is not None:
            return view.previous
        if choice == "quit":
            return QUIT
        if choice == "help":
            self.mode.show_help()
        elif choice == "check":
            self.check()
        elif choice == "edit":
            try:
                ask_fields(self.mode, self.step_id)
            except FlowError as exc:
                self.fail(exc)
            self.check()
        elif choice == "goto":
            return actions.go_to(self.mode)
        elif choice == "apply" and self.plan is not None:
            return actions.apply(self, self.plan)
        elif choice == "wait":
            actions.wait(self)
        elif choice == "board":
            actions.board(self)
        elif choice == "details" and self.plan is not None:
            actions.details(self.mode, self.plan)
        elif choice == "verify":
            actions.verify(self)
        return None

    def refreshed(self) -> None:
        """After a change: the step checked again, showing what changed."""
        self.check(again=False)

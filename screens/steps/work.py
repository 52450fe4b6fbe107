"""The step screen's workers: every flow-engine call, in a thread, ending in one message.

Each worker is ``thread=True`` (the engine blocks on AWS and DNS), ``exclusive`` within its
group (a second Check replaces the first), and ``exit_on_error=False``: a failure reaches the
screen's ``Worker.StateChanged`` handler, which shows it with its remedy. Workers never touch a
widget; ``post_message`` is thread-safe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.screen import Screen

from screens.messages import (
    Applied,
    ApplyProgress,
    Checked,
    FieldsLoaded,
    InputsRefused,
    StatusChecked,
)

if TYPE_CHECKING:
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.model import Choice, Field, Plan, StepStatus


def safe_status(wizard: Wizard, step_id: str) -> StepStatus:
    """The live status, or why it cannot be read, as a status (never raises)."""
    from sesdmarc_tui.flow.steps.summary import live_status

    return live_status(wizard.step(step_id), wizard.ctx, wizard.state)


class StepWork(Screen[None]):
    step_id: ClassVar[str] = ""
    busy = False

    @property
    def wizard(self) -> Wizard:
        return self.app.wizard  # type: ignore[attr-defined, no-any-return]

    @property
    def blink(self) -> bool:
        return bool(getattr(self.app, "blink", True))

    def app_statuses(self) -> Mapping[str, StepStatus]:
        return getattr(self.app, "statuses", {})

    def refresh_statuses(self) -> None:
        refresh = getattr(self.app, "refresh_statuses", None)
        if refresh is not None:
            refresh()

    def _fields(self) -> tuple[list[Field], dict[str, tuple[Choice, ...]], dict[str, str]]:
        from screens.widgets.error_panel import describe_error

        wizard = self.wizard
        fields = wizard.fields(self.step_id)
        options: dict[str, tuple[Choice, ...]] = {}
        errors: dict[str, str] = {}
        for field in fields:
            if field.kind not in ("choice", "multi"):
                continue
            try:
                options[field.key] = field.options(wizard.ctx, wizard.state)
            except Exception as exc:  # listing profiles or OUs can fail; the field stays typed
                info = describe_error(exc)
                errors[field.key] = f"Could not list the choices: {info.message} {info.remedy}"
        return fields, options, errors

    @work(thread=True, exclusive=True, exit_on_error=False, group="step", description="load")
    def load_fields(self) -> None:
        wizard = self.wizard
        wizard.go_to(self.step_id)
        fields, options, errors = self._fields()
        given = wizard.state.inputs(self.step_id)
        ready = all(f.key in given for f in fields if f.required and f.kind != "secret")
        status = safe_status(wizard, self.step_id)
        self.post_message(FieldsLoaded(fields, options, status, check=ready, option_errors=errors))

    @work(thread=True, exclusive=True, exit_on_error=False, group="fields", description="form")
    def restructure(self, key: str, value: object, shape: Sequence[tuple[str, str | None]]) -> None:
        """Keep a changed choice; rebuild the form when the fields or their defaults follow it
        (the provider's own fields, the profile's region)."""
        wizard = self.wizard
        if wizard.set_inputs(self.step_id, {key: value}):
            return  # a refused value changes no field list; Check shows the message
        fields, options, errors = self._fields()
        if [(f.key, f.default) for f in fields] != list(shape):
            status = safe_status(wizard, self.step_id)
            self.post_message(
                FieldsLoaded(fields, options, status, check=False, option_errors=errors)
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="step", description="check")
    def check_step(self, values: Mapping[str, Any]) -> None:
        wizard = self.wizard
        if values:
            refused = wizard.set_inputs(self.step_id, values)
            if refused:
                self.post_message(InputsRefused(refused))
                return
        inspection = wizard.inspect(self.step_id)
        plan = wizard.plan(self.step_id, inspection)
        self.post_message(Checked(inspection, plan, safe_status(wizard, self.step_id)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step", description="apply")
    def apply_step(self, plan: Plan) -> None:
        self._apply_now(plan)

    def _apply_now(self, plan: Plan) -> None:
        wizard = self.wizard

        def progress(text: str, fraction: float | None = None) -> None:
            self.post_message(ApplyProgress(text, fraction))

        report = wizard.apply(self.step_id, plan, progress)
        inspection = wizard.inspect(self.step_id)
        after = wizard.plan(self.step_id, inspection)
        self.post_message(Applied(report, inspection, after, safe_status(wizard, self.step_id)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="step", description="apply")
    def start_over_and_apply(self, domain: str, plan: Plan) -> None:
        self.wizard.start_over(domain)
        self._apply_now(plan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll", description="status")
    def poll_status(self) -> None:
        self.post_message(StatusChecked(self.wizard.status(self.step_id)))

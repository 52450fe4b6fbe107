"""A step's fields as widgets, validated inline by the step's own validators.

Text and secret fields are inputs, a choice is a select, a multi-choice with options is a
selection list (typed IDs otherwise), a yes/no is a checkbox. Every value goes back as what
``Wizard.set_inputs`` takes; the engine validates again on submit, and its refusals come back
through :meth:`FieldForm.show_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

if TYPE_CHECKING:
    from sesdmarc_tui.flow.model import Choice, Field, InputError

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})


class FieldValidator(Validator):
    """Runs the field's own validator (``Field.validate``) and keeps its message and hint."""

    def __init__(self, field: Field) -> None:
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            self.field.validate(value)
        except Exception as exc:  # InputError, or a validator's own ValueError
            return self.failure(refusal_text(self.field, exc))
        return self.success()


def refusal_text(field: Field, exc: BaseException) -> str:
    """The message and its hint, without repeating the help shown under the field."""
    message = str(getattr(exc, "message", "") or exc) or "Not a valid value."
    hint = str(getattr(exc, "hint", "") or "")
    return f"{message} {hint}".strip() if hint and hint != field.help else message


def _widget_for(field: Field, options: Sequence[Choice], blink: bool) -> Widget:
    wid = f"field-{field.key}"
    default = field.default or ""
    if field.kind == "bool":
        return Checkbox(
            Text(field.label), value=default.lower() in TRUE_WORDS, id=wid, compact=True
        )
    if field.kind == "choice" and options:
        values = {c.value for c in options}
        select: Select[str] = Select(
            [(Text(c.label), c.value) for c in options],
            value=default if default in values else Select.NULL,
            allow_blank=default not in values,
            prompt="Choose…",
            id=wid,
            compact=True,
        )
        return select
    if field.kind == "multi" and options:
        chosen = {item.strip() for item in default.replace(",", " ").split()}
        picker: SelectionList[str] = SelectionList(
            *[(Text(c.label), c.value, c.value in chosen) for c in options],
            id=wid,
            compact=True,
        )
        return picker
    box = Input(
        value=default,
        placeholder=field.placeholder,
        password=field.kind == "secret",
        validators=[FieldValidator(field)],
        validate_on=["changed", "submitted"],
        id=wid,
        compact=True,
    )
    box.cursor_blink = blink
    return box


class FieldForm(Vertical):
    class ChoiceChanged(Message):
        """A select or checkbox changed: the step's field list may depend on it."""

        def __init__(self, key: str, value: object) -> None:
            super().__init__()
            self.key = key
            self.value = value

    class Submitted(Message):
        """Enter in a text field."""

    class Edited(Message):
        """The operator typed in a text field (not the form filling itself in)."""

    def __init__(
        self,
        fields: Sequence[Field],
        options: Mapping[str, Sequence[Choice]],
        *,
        option_errors: Mapping[str, str] | None = None,
        blink: bool = True,
        id: str | None = None,  # noqa: A002 (Textual's own name)
    ) -> None:
        super().__init__(id=id, classes="field-form")
        self.fields = tuple(fields)
        self.options = {k: tuple(v) for k, v in options.items()}
        self.option_errors = dict(option_errors or {})
        self.blink = blink
        self._ready = False

    def compose(self) -> ComposeResult:
        for field in self.fields:
            with Horizontal(classes="field-row", id=f"row-{field.key}"):
                mark = "" if field.required or field.kind == "bool" else " (optional)"
                yield Static(Text(field.label + mark), classes="field-label")
                with Vertical(classes="field-input"):
                    yield _widget_for(field, self.options.get(field.key, ()), self.blink)
                    error = self.option_errors.get(field.key, "")
                    yield Static(Text(error), id=f"error-{field.key}", classes="field-error")
                    if field.help:
                        yield Static(Text(field.help), classes="field-help")

    def on_mount(self) -> None:
        for field in self.fields:
            self.query_one(f"#error-{field.key}").display = field.key in self.option_errors
        # Selects post Changed while being set up; only the operator's changes count.
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self._ready = True

    # -- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            if isinstance(widget, Checkbox):
                found[field.key] = widget.value
            elif isinstance(widget, Select):
                found[field.key] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, SelectionList):
                found[field.key] = [str(v) for v in widget.selected]
            elif isinstance(widget, Input):
                if field.kind == "secret" and not widget.value and field.default is None:
                    continue  # the secret is known already; empty means "keep it"
                found[field.key] = widget.value
        return found

    def show_errors(self, errors: Mapping[str, InputError]) -> None:
        for field in self.fields:
            label = self.query_one(f"#error-{field.key}", Static)
            error = errors.get(field.key)
            label.display = error is not None
            label.update(Text(refusal_text(field, error) if error is not None else ""))
            self.query_one(f"#field-{field.key}").set_class(error is not None, "-refused")

    def focus_first(self) -> None:
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            if widget.focusable:
                widget.focus()
                return

    # -- events -------------------------------------------------------------------------------

    @on(Input.Changed)
    def _validated(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("field-")
        result = event.validation_result
        label = self.query_one(f"#error-{key}", Static)
        refused = result is not None and not result.is_valid and bool(event.value)
        label.display = refused
        label.update(Text(result.failure_descriptions[0] if refused and result else ""))
        if self._ready:
            self.post_message(self.Edited())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._ready and event.select.id:
            value = "" if event.value is Select.NULL else event.value
            self.post_message(self.ChoiceChanged(event.select.id.removeprefix("field-"), value))

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self._ready and event.checkbox.id:
            key = event.checkbox.id.removeprefix("field-")
            self.post_message(self.ChoiceChanged(key, event.value))

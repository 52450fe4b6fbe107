"""A step's fields as questions, validated by the step's own validators as they are typed.

Fields are asked one at a time and each answer is kept at once (``Wizard.set_inputs``), then
the list is read again: a choice may bring fields of its own (the DNS provider's server and
key), exactly as the Textual form rebuilds itself. Defaults are what was given before, else
the engine's suggestion. A secret already known in this run is kept when the answer is empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.flow.model import TRUE_WORDS, Choice, Field, split_multi
from sesdmarc_tui.plain.prompts import Validate
from sesdmarc_tui.plain.render import error_text
from sesdmarc_tui.plain.work import run_work
from sesdmarc_tui.report.facts import safe

if TYPE_CHECKING:
    from sesdmarc_tui.plain.mode import LineMode

NONE = ""


def refusal(field: Field, exc: BaseException) -> str:
    message = str(getattr(exc, "message", "") or exc) or "Not a valid value."
    hint = str(getattr(exc, "hint", "") or "")
    return f"{message} {hint}".strip() if hint and hint != field.help else message


def validator(field: Field) -> Validate:
    def check(text: str) -> bool | str:
        try:
            field.validate(text)
        except Exception as exc:  # InputError, or a core validator's own ValueError
            return refusal(field, exc)
        return True

    return check


def _options(mode: LineMode, field: Field) -> tuple[tuple[Choice, ...], str]:
    wizard = mode.wizard
    if field.kind not in ("choice", "multi"):
        return (), ""
    try:
        found = run_work(mode.console, "", lambda: field.options(wizard.ctx, wizard.state))
    except Exception as exc:  # listing profiles or OUs can fail; the field is then typed
        text = str(getattr(exc, "message", "") or exc)
        return (), f"Could not list the choices: {text} Type the value instead."
    return found, ""


def ask_one(mode: LineMode, field: Field) -> str | None:
    """The answer in ``set_inputs`` form; ``None`` keeps a known secret."""
    ask = mode.prompter
    label = field.label + ("" if field.required or field.kind == "bool" else " (optional)")
    default = field.default or ""
    if field.help:
        mode.console.print(safe(field.help, "dim"))
    options, problem = _options(mode, field)
    if problem:
        mode.console.print(safe(problem, "yellow"))
    if field.kind == "bool":
        return "true" if ask.confirm(label, default.lower() in TRUE_WORDS) else "false"
    if field.kind == "choice" and options:
        listed = [(c.value, c.label, c.help) for c in options]
        if not field.required:
            listed.append((NONE, "(none)", ""))
        return ask.select(label, listed, default or (None if field.required else NONE))
    if field.kind == "multi" and options:
        listed = [(c.value, c.label, c.help) for c in options]
        return ",".join(ask.checkbox(label, listed, split_multi(default)))
    check = validator(field)
    if field.kind == "secret":
        if field.default is None:
            label += " (known: Enter keeps it)"
        answer = ask.secret(label, check)
        return None if not answer and field.default is None else answer
    return ask.text(label, default, check)


def ask_fields(mode: LineMode, step_id: str) -> None:
    """Ask every field of the step, the ones a choice brings in included."""
    wizard = mode.wizard
    asked: set[str] = set()
    while True:
        fields = run_work(mode.console, "", lambda: wizard.fields(step_id))
        pending = [f for f in fields if f.key not in asked]
        if not pending:
            return
        field = pending[0]
        answer = ask_one(mode, field)
        if answer is not None and not _kept(mode, step_id, field, answer):
            continue
        asked.add(field.key)


def _kept(mode: LineMode, step_id: str, field: Field, answer: str) -> bool:
    """Give the answer to the engine; False (and the reason shown) when it refuses it."""
    wizard = mode.wizard
    refused = run_work(mode.console, "", lambda: wizard.set_inputs(step_id, {field.key: answer}))
    if field.key not in refused:
        return True
    mode.console.print(error_text(refusal(field, refused[field.key]), title=field.label))
    return False

"""The step engine's vocabulary: fields, inspections, plans, actions, statuses, progress.

Everything here is plain data that three front ends render (the Textual screens, the
questionary line mode, headless ``sesdmarc apply``), so nothing in it knows about a widget.
Values typed by the operator travel as strings: a text box, a select and a TOML file all give
strings, and one validator per field turns them into the normalised value the state keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.providers.base import ChangePlan, ManualInstructions
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.state import SessionState

JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None
FieldKind = Literal["text", "choice", "multi", "bool", "secret"]
ActionKind = Literal["aws_write", "dns_change", "none"]
StatusKind = Literal["done", "current", "todo", "attention"]
Level = Literal["ok", "info", "warn", "error"]

Progress = Callable[[str, "float | None"], None]
"""``progress(message, fraction)``: one line of human text, and 0..1 when the share is known.

Called from the worker thread that runs the step; a Textual front end posts a message from it,
the line mode prints it. It must not raise.
"""

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", ""})
# Longer than any value a field takes (a 4 KB policy's worth of account IDs, a DMARC rua
# list): refusing more up front bounds the validators' work and the length of their messages.
MAX_FIELD_CHARS = 4096


def no_progress(_message: str, _fraction: float | None = None) -> None:
    """The progress callback for callers that do not show progress."""


class InputError(ValueError):
    """A typed value was refused: ``message`` says what is wrong, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class FlowError(Exception):
    """A step could not inspect, plan or apply. The one error type front ends catch.

    AWS and DNS-provider failures arrive already translated (``message`` + ``remedy``); this
    keeps their text and adds which step and action failed.
    """

    def __init__(
        self,
        message: str,
        remedy: str = "",
        *,
        step: str | None = None,
        action: str | None = None,
        kind: str = "error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy
        self.step = step
        self.action = action
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.message} {self.remedy}".strip()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


ChoicesProvider = Callable[["FlowContext", "SessionState"], Sequence[Choice]]
"""Lists a choice field's options; may call AWS (profiles, OUs): front ends call it in a worker."""
Suggest = Callable[["FlowContext", "SessionState"], "str | None"]
"""A default that depends on the environment (the profile's region); ``Wizard.fields`` fills it."""


def _identity(value: str) -> str:
    return value.strip()


@dataclass(frozen=True)
class Field:
    """One input of a step.

    ``validator(raw) -> normalised`` raises :class:`InputError`. For ``multi`` fields the value
    is the items joined with commas; for ``bool`` it is ``"true"``/``"false"``. ``secret``
    values are kept in memory only (``FlowContext.secrets``), never in the session state.
    """

    key: str
    label: str
    kind: FieldKind = "text"
    default: str | None = None
    help: str = ""
    validator: Callable[[str], str] = _identity
    choices: ChoicesProvider | None = None
    static_choices: tuple[Choice, ...] = ()
    required: bool = True
    placeholder: str = ""
    suggest: Suggest | None = None

    def options(self, ctx: FlowContext, state: SessionState) -> tuple[Choice, ...]:
        if self.choices is not None:
            return tuple(self.choices(ctx, state))
        return self.static_choices

    def coerce(self, raw: object) -> str:
        """What a front end hands over (text, a bool, a list) as the field's string form."""
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, list | tuple | set | frozenset):
            return ",".join(str(item).strip() for item in raw if str(item).strip())
        if raw is None:
            return ""
        return str(raw)

    def validate(self, raw: object) -> str:
        text = self.coerce(raw)
        if len(text) > MAX_FIELD_CHARS:
            raise InputError(
                f"{self.label} is {len(text):,} characters long; it takes at most "
                f"{MAX_FIELD_CHARS:,}.",
                "Paste only the value.",
                field=self.key,
            )
        if self.kind == "bool":
            word = text.strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                raise InputError(f"{text!r} is not yes or no.", "Answer yes or no.", field=self.key)
            return "true" if word in TRUE_WORDS else "false"
        if not text.strip():
            if self.required:
                raise InputError(f"{self.label} is required.", self.help, field=self.key)
            return ""
        if self.kind == "choice" and self.static_choices and self.choices is None:
            allowed = {c.value for c in self.static_choices}
            if text.strip() not in allowed:
                raise InputError(
                    f"{text.strip()!r} is not one of the choices for {self.label}.",
                    f"Pick one of: {', '.join(sorted(allowed))}.",
                    field=self.key,
                )
        try:
            return self.validator(text)
        except InputError as exc:
            exc.field = exc.field or self.key
            raise
        except ValueError as exc:
            # Core validators raise ValueError subclasses with message/hint attributes.
            message = str(getattr(exc, "message", "") or exc)
            raise InputError(message, str(getattr(exc, "hint", "")), field=self.key) from None


def split_multi(value: str) -> list[str]:
    """The items of a ``multi`` field's value (commas or whitespace between items)."""
    return [item for item in value.replace(",", " ").split() if item]


@dataclass(frozen=True)
class Fact:
    """One thing an inspection found, shown as a row: label, value, how good, what to do."""

    label: str
    value: str
    level: Level = "info"
    remedy: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "label": self.label,
            "value": self.value,
            "level": self.level,
            "remedy": self.remedy,
        }


@dataclass(frozen=True)
class Preview:
    """A block of text to show and copy: a policy, a record diff, a zone snippet."""

    title: str
    text: str
    kind: Literal["json", "diff", "text", "zone"] = "text"


@dataclass(frozen=True, kw_only=True)
class Inspection:
    """What a step read, without changing anything. Steps subclass it with typed details.

    ``facts`` render in any front end; ``records`` are the DNS records the step expects,
    for the propagation board (``zone`` is where they live).
    """

    step_id: str
    facts: tuple[Fact, ...] = ()
    records: tuple[DnsRecord, ...] = ()
    zone: str | None = None

    def problems(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.level in ("warn", "error"))


@dataclass(frozen=True)
class Action:
    """One change a plan will make.

    ``call`` is the exact API call or DNS change in words; ``params`` are JSON-safe and free of
    secrets (they go to the audit log); ``key`` identifies the effect, so a resumed session can
    tell work already done.
    """

    id: str
    description: str
    kind: ActionKind
    call: str
    params: Mapping[str, JsonValue]
    key: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "kind": self.kind,
            "call": self.call,
            "params": dict(self.params),
            "key": self.key,
        }


@dataclass(frozen=True, kw_only=True)
class Plan:
    """The actions that bring the world to what the step wants; empty means nothing to do.

    ``blockers`` stop ``apply`` (a refused DNS record, a policy with errors); ``notes`` are
    worth reading first; ``previews`` hold the texts to show before confirming.
    """

    step_id: str
    actions: tuple[Action, ...] = ()
    blockers: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()
    previews: tuple[Preview, ...] = ()
    dns: ChangePlan | None = None
    inspection: Inspection | None = None

    @property
    def empty(self) -> bool:
        return not self.actions

    @property
    def blocked(self) -> bool:
        return bool(self.blockers)

    @property
    def writes(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.kind != "none")

    def describe(self) -> list[str]:
        return [a.description for a in self.actions]

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step_id,
            "empty": self.empty,
            "actions": [a.to_json() for a in self.actions],
            "blockers": [b.to_json() for b in self.blockers],
            "notes": [n.to_json() for n in self.notes],
            "previews": [{"title": p.title, "kind": p.kind, "text": p.text} for p in self.previews],
        }


@dataclass(frozen=True)
class ActionResult:
    action: Action
    ok: bool
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class ApplyReport:
    """What ``apply`` did. ``waiting`` is set when the operator must act (manual DNS)."""

    step_id: str
    results: tuple[ActionResult, ...] = ()
    instructions: ManualInstructions | None = None
    waiting: bool = False
    messages: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return any(r.ok and r.action.kind != "none" for r in self.results) and not self.waiting


@dataclass(frozen=True)
class StepStatus:
    """The live condition of a step: done, current (in progress or waiting), todo, attention."""

    kind: StatusKind
    message: str
    remedy: str = ""

    @property
    def done(self) -> bool:
        return self.kind == "done"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "remedy": self.remedy}

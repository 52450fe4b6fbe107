"""The session state: choices made, resources created, stage reached, as plain JSON data.

A session belongs to one (account, region, domain): that triple names its file, so
``sesdmarc`` can offer to resume an unfinished setup for the same three. Secrets never enter
it: secret fields live in ``FlowContext.secrets`` only, and :func:`secret_paths` lets the store
refuse to write a state that would hold one (keys named like a secret, or a known secret value
anywhere).

Reading is strict: anything that is not exactly what :meth:`SessionState.to_json` writes is a
``StateError`` with the reason, so a damaged file is reported, never half-loaded.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sesdmarc_tui.flow.model import JsonValue

SCHEMA_VERSION = 1
# Key names that would mean a secret was stored (the DKIM "tokens" are public and are stored
# as "selectors", so that this rule needs no exception).
SECRET_KEY = re.compile(
    r"secret|passw|token|credential|private[_-]?key|access[_-]?key|session[_-]?key|tsig[_-]?key$",
    re.IGNORECASE,
)

StateProblem = Literal[
    "corrupt", "newer_schema", "symlink", "unreadable", "unwritable", "secret", "locked"
]


class StateError(Exception):
    """A session file that cannot be used; ``kind`` says why, the file is left as it is."""

    def __init__(self, kind: StateProblem, message: str, remedy: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        return f"{self.message} {self.remedy}".strip()


def iso_time(seconds: float) -> str:
    """ISO 8601 in UTC with a Z, to the second (what the audit log and the state show)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


@dataclass
class StepRecord:
    """One step's part of the session: its inputs, what it created, the effects already done."""

    inputs: dict[str, str] = field(default_factory=dict)
    resources: dict[str, JsonValue] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    completed_at: str | None = None
    updated_at: str | None = None

    def mark_done(self, key: str) -> None:
        if key not in self.done:
            self.done.append(key)

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "inputs": dict(self.inputs),
            "resources": dict(self.resources),
            "done": list(self.done),
            "completed_at": self.completed_at,
            "updated_at": self.updated_at,
        }


@dataclass
class SessionState:
    session_id: str
    created_at: str
    updated_at: str
    account: str | None = None
    region: str | None = None
    domain: str | None = None
    provider: str | None = None
    current_step: str | None = None
    finished: bool = False
    steps: dict[str, StepRecord] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION

    @classmethod
    def new(cls, now: float) -> SessionState:
        stamp = iso_time(now)
        return cls(session_id=uuid.uuid4().hex, created_at=stamp, updated_at=stamp)

    def step(self, step_id: str) -> StepRecord:
        return self.steps.setdefault(step_id, StepRecord())

    def inputs(self, step_id: str) -> dict[str, str]:
        return self.step(step_id).inputs

    def value(self, step_id: str, key: str, default: str = "") -> str:
        record = self.steps.get(step_id)
        return record.inputs.get(key, default) if record else default

    def resource(self, step_id: str, key: str) -> JsonValue:
        record = self.steps.get(step_id)
        return record.resources.get(key) if record else None

    def touch(self, now: float, step_id: str | None = None) -> None:
        stamp = iso_time(now)
        self.updated_at = stamp
        if step_id is not None:
            self.step(step_id).updated_at = stamp

    @property
    def key(self) -> tuple[str, str, str] | None:
        """(account, region, domain) once all three are known: what names the session file."""
        if self.account and self.region and self.domain:
            return (self.account, self.region, self.domain)
        return None

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "schema": self.schema,
            "session_id": self.session_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "account": self.account,
            "region": self.region,
            "domain": self.domain,
            "provider": self.provider,
            "current_step": self.current_step,
            "finished": self.finished,
            "steps": {k: v.to_json() for k, v in self.steps.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> SessionState:
        """Strict reading; ``StateError('corrupt'|'newer_schema')`` for anything unexpected."""
        root = _object(data, "the file")
        schema = root.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise _corrupt("it has no schema version")
        if schema > SCHEMA_VERSION:
            raise StateError(
                "newer_schema",
                f"The session was saved by a newer sesdmarc (schema {schema}; this one reads "
                f"{SCHEMA_VERSION}).",
                "Upgrade sesdmarc to resume it, or start a new session (the file is kept).",
            )
        steps_raw = _object(root.get("steps", {}), "steps")
        state = cls(
            session_id=_text(root, "session_id"),
            created_at=_text(root, "created_at"),
            updated_at=_text(root, "updated_at"),
            account=_optional_text(root, "account"),
            region=_optional_text(root, "region"),
            domain=_optional_text(root, "domain"),
            provider=_optional_text(root, "provider"),
            current_step=_optional_text(root, "current_step"),
            finished=_bool(root, "finished"),
            steps={str(k): _step(v, str(k)) for k, v in steps_raw.items()},
            schema=schema,
        )
        return state


def _corrupt(why: str) -> StateError:
    return StateError(
        "corrupt",
        f"The session file is damaged: {why}.",
        "Start a new session; the damaged file is kept for inspection.",
    )


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _corrupt(f"{what} is not a JSON object")
    return value


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise _corrupt(f"{key!r} is missing or not text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _corrupt(f"{key!r} is not text")
    return value


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _corrupt(f"{key!r} is not true or false")
    return value


def _step(value: object, name: str) -> StepRecord:
    data = _object(value, f"step {name!r}")
    inputs = _object(data.get("inputs", {}), f"the inputs of {name!r}")
    if not all(isinstance(v, str) for v in inputs.values()):
        raise _corrupt(f"an input of {name!r} is not text")
    done = data.get("done", [])
    if not isinstance(done, list) or not all(isinstance(d, str) for d in done):
        raise _corrupt(f"the done list of {name!r} is not a list of text")
    return StepRecord(
        inputs={str(k): str(v) for k, v in inputs.items()},
        resources=_object(data.get("resources", {}), f"the resources of {name!r}"),
        done=list(done),
        completed_at=_optional_text(data, "completed_at"),
        updated_at=_optional_text(data, "updated_at"),
    )


def secret_paths(data: JsonValue, known_secrets: Iterable[str] = (), path: str = "") -> list[str]:
    """Where ``data`` holds a secret: a key named like one, or one of ``known_secrets``."""
    secrets = {s for s in known_secrets if s}
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if SECRET_KEY.search(key):
                found.append(here)
            found.extend(secret_paths(value, secrets, here))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(secret_paths(item, secrets, f"{path}[{index}]"))
    elif isinstance(data, str) and any(s in data for s in secrets):
        found.append(path or "<value>")
    return found

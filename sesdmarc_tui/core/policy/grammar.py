"""Reading policy JSON of any origin: tolerant accessors over untrusted, operator-pasted text.

Nothing here judges a policy; the linter and the evaluator decide what each shape means.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

JsonObject = dict[str, object]


@dataclass
class ParsedPolicy:
    """A policy document, or why it could not be read."""

    document: JsonObject | None
    error: str = ""
    duplicate_keys: list[str] = field(default_factory=list)


def load_policy(text: str) -> ParsedPolicy:
    """Parse policy JSON, remembering duplicate keys (JSON keeps only the last one silently)."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> JsonObject:
        result: JsonObject = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    def no_constants(name: str) -> object:
        raise ValueError(f"{name} is not valid JSON")

    try:
        document = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constants)
    except (ValueError, RecursionError) as exc:
        return ParsedPolicy(None, f"the text is not valid JSON ({exc})")
    if not isinstance(document, dict):
        return ParsedPolicy(None, f"the top level is a JSON {_json_type(document)}, not an object")
    return ParsedPolicy(document, duplicate_keys=duplicates)


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number" if isinstance(value, (int, float)) else "value"


def statement_list(document: JsonObject) -> list[object] | None:
    """``Statement`` as a list (a single object is allowed by the grammar), or None if malformed."""
    raw = document.get("Statement")
    if isinstance(raw, dict):
        return [raw]
    if isinstance(raw, list):
        return list(raw)
    return None


def iter_statements(document: JsonObject) -> Iterator[tuple[int, JsonObject]]:
    """The statements that are objects, with their 0-based position."""
    for index, statement in enumerate(statement_list(document) or []):
        if isinstance(statement, dict):
            yield index, statement


def str_list(value: object) -> list[str] | None:
    """A string or a list of strings as a list; None for any other shape."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    return None


def condition_values(value: object) -> list[str] | None:
    """Condition values as strings: IAM accepts JSON booleans and numbers and compares text."""
    items = value if isinstance(value, list) else [value]
    result: list[str] = []
    for item in items:
        if isinstance(item, bool):
            result.append("true" if item else "false")
        elif isinstance(item, (str, int, float)):
            result.append(str(item))
        else:
            return None
    return result


def statement_label(index: int, statement: JsonObject) -> str:
    sid = statement.get("Sid")
    if isinstance(sid, str) and sid:
        return f"statement {index + 1} ({sid})"
    return f"statement {index + 1}"


@dataclass(frozen=True)
class ConditionOperator:
    """A condition operator split into its parts: ``ForAnyValue:StringLikeIfExists`` and so on."""

    text: str
    set_operator: str  # "", "ForAnyValue" or "ForAllValues"
    base: str  # e.g. "StringLike"
    if_exists: bool


def split_operator(text: str) -> ConditionOperator:
    set_operator, _, rest = text.rpartition(":")
    canonical_set = {"foranyvalue": "ForAnyValue", "forallvalues": "ForAllValues"}.get(
        set_operator.lower(), set_operator
    )
    if_exists = rest.lower().endswith("ifexists") and rest.lower() != "ifexists"
    base = rest[: -len("IfExists")] if if_exists else rest
    return ConditionOperator(text, canonical_set, base, if_exists)


def iter_conditions(statement: JsonObject) -> Iterator[tuple[ConditionOperator, str, object]]:
    """Every (operator, key, raw value) in a statement's ``Condition`` block."""
    block = statement.get("Condition")
    if not isinstance(block, dict):
        return
    for op_text, keys in block.items():
        if not isinstance(keys, dict):
            continue
        operator = split_operator(op_text)
        for key, value in keys.items():
            yield operator, key, value

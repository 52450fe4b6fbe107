"""IAM condition evaluation for the string keys sending-authorization policies use.

Semantics (IAM User Guide, condition operators and set operators): operators in a block are
AND-ed, keys under one operator are AND-ed, the values listed for one key are OR-ed (for the
negated operators: the request value must match none of them). A key missing from the request
makes positive operators false and negated operators true; ``...IfExists`` makes any operator
true on a missing key. ``ForAnyValue`` is false on an empty set, ``ForAllValues`` is true on an
empty set, which is the trap that lets principals with no org path through an Allow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.policy.glob import glob_match
from sesdmarc_tui.core.policy.grammar import condition_values, split_operator

_IAM_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
)
KNOWN_BASE_OPERATORS = {name.lower(): name for name in _IAM_OPERATORS}
STRING_EQUALS_OPERATORS = frozenset(
    {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"}
)
NEGATED_OPERATORS = frozenset({"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike"})
SUPPORTED_BASE_OPERATORS = STRING_EQUALS_OPERATORS | {"StringLike", "StringNotLike", "Null"}
# Keys whose request value is a set; IAM requires ForAnyValue/ForAllValues with them.
MULTIVALUED_KEYS = frozenset({"aws:principalorgpaths", "ses:recipients"})

Status = Literal["true", "false", "unsupported"]
Context = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class ConditionOutcome:
    status: Status
    reason: str = ""


def canonical_base(base: str) -> str | None:
    return KNOWN_BASE_OPERATORS.get(base.lower())


def _matcher(base: str) -> Callable[[str, str], bool]:
    if base in ("StringLike", "StringNotLike"):
        return lambda request, policy: glob_match(policy, request)
    if base.endswith("IgnoreCase"):
        return lambda request, policy: request.casefold() == policy.casefold()
    return lambda request, policy: request == policy


def _shown(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(repr(v) for v in values) + "]"


def evaluate_one(operator_text: str, key: str, raw: object, context: Context) -> ConditionOutcome:
    """Evaluate one ``operator: {key: values}`` entry against the request context."""
    op = split_operator(operator_text)
    label = f"{operator_text} on {key}"
    if op.set_operator not in ("", "ForAnyValue", "ForAllValues"):
        return ConditionOutcome("unsupported", f"{label}: unknown set operator {op.set_operator!r}")
    base = canonical_base(op.base)
    if base is None:
        return ConditionOutcome("unsupported", f"{label}: unknown condition operator {op.base!r}")
    if base not in SUPPORTED_BASE_OPERATORS:
        return ConditionOutcome(
            "unsupported", f"{label}: the {base} operator is not evaluated here"
        )
    values = condition_values(raw)
    if values is None or not values:
        return ConditionOutcome("unsupported", f"{label}: the values are not strings")
    if any("${" in v for v in values):
        return ConditionOutcome("unsupported", f"{label}: policy variables are not evaluated here")
    request = context.get(key.lower()) or None
    if base == "Null":
        if op.set_operator or op.if_exists or any(v not in ("true", "false") for v in values):
            return ConditionOutcome("unsupported", f"{label}: Null takes only 'true' or 'false'")
        wanted_missing = values[0] == "true"
        result = (request is None) == wanted_missing
        state = "absent" if request is None else "present"
        return ConditionOutcome("true" if result else "false", f"{key} is {state} ({label})")
    if key.lower() in MULTIVALUED_KEYS and not op.set_operator:
        return ConditionOutcome(
            "unsupported",
            f"{label}: {key} holds a set of values and needs ForAnyValue: or ForAllValues:",
        )
    negated = base in NEGATED_OPERATORS
    match = _matcher(base)

    def holds(item: str) -> bool:
        hit = any(match(item, v) for v in values)
        return not hit if negated else hit

    if request is None:
        if op.if_exists or op.set_operator == "ForAllValues":
            result = True
        elif op.set_operator == "ForAnyValue":
            result = False
        else:
            result = negated
        return ConditionOutcome(
            "true" if result else "false", f"{key} is not in the request, so {label} is {result}"
        )
    if op.set_operator == "ForAllValues":
        result = all(holds(r) for r in request)
    else:
        result = any(holds(r) for r in request)
    relation = "matches" if any(match(r, v) for r in request for v in values) else "matches none of"
    return ConditionOutcome(
        "true" if result else "false",
        f"{key} is {_shown(request)}, which {relation} {_shown(values)} ({operator_text})",
    )


def evaluate_block(block: object, context: Context) -> ConditionOutcome:
    """The AND of every entry; a definite false outranks an unsupported entry."""
    if block is None:
        return ConditionOutcome("true", "no conditions")
    if not isinstance(block, dict):
        return ConditionOutcome("unsupported", "the Condition element is not an object")
    unsupported: ConditionOutcome | None = None
    for operator_text, keys in block.items():
        if not isinstance(keys, dict):
            unsupported = unsupported or ConditionOutcome(
                "unsupported", f"{operator_text}: expected an object of keys and values"
            )
            continue
        for key, raw in keys.items():
            outcome = evaluate_one(operator_text, key, raw, context)
            if outcome.status == "false":
                return outcome
            if outcome.status == "unsupported" and unsupported is None:
                unsupported = outcome
    return unsupported or ConditionOutcome("true", "every condition holds")

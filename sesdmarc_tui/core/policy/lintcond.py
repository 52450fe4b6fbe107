"""Linter checks for ``Condition`` blocks: the org keys, wildcards and From-address globs.

The org-path rules come from the IAM documentation for ``aws:PrincipalOrgPaths``: always pin
the organization with ``aws:PrincipalOrgID`` (OU and root IDs are unique only inside one
organization); keep ``/`` before ``*`` (``.../ou-ab12-2222222*`` also matches sibling OUs that
share the prefix); use ``StringLike`` for wildcards (``StringEquals`` compares ``*`` literally);
use ``ForAnyValue`` (``ForAllValues`` is true for a principal that has no path at all).
"""

from __future__ import annotations

from collections.abc import Callable

from sesdmarc_tui.core.policy.conditions import (
    MULTIVALUED_KEYS,
    STRING_EQUALS_OPERATORS,
    SUPPORTED_BASE_OPERATORS,
    canonical_base,
)
from sesdmarc_tui.core.policy.findings import Finding, Severity
from sesdmarc_tui.core.policy.fromaddr import looks_like_regex
from sesdmarc_tui.core.policy.glob import has_wildcard
from sesdmarc_tui.core.policy.grammar import (
    ConditionOperator,
    JsonObject,
    condition_values,
    iter_conditions,
)
from sesdmarc_tui.core.policy.ids import ACCOUNT_ID_RE, ORG_ID_RE, OU_ID_RE, ROOT_ID_RE

ORG_ID_KEY = "aws:principalorgid"
ORG_PATHS_KEY = "aws:principalorgpaths"
ACCOUNT_KEY = "aws:principalaccount"
FROM_KEY = "ses:fromaddress"
_PINNING_OPERATORS = ("StringEquals", "StringLike")
_Add = Callable[[Severity, str, str, str], None]


def _pins(operator: ConditionOperator, values: list[str] | None, pattern_ok: bool) -> bool:
    return (
        canonical_base(operator.base) in _PINNING_OPERATORS
        and operator.set_operator in ("", "ForAnyValue")
        and not operator.if_exists
        and bool(values)
        and pattern_ok
    )


def org_ids_pinned(statement: JsonObject) -> set[str]:
    """Organization IDs a statement requires through ``aws:PrincipalOrgID`` (empty: none)."""
    found: set[str] = set()
    for operator, key, raw in iter_conditions(statement):
        if key.lower() != ORG_ID_KEY:
            continue
        values = condition_values(raw)
        if _pins(operator, values, all(ORG_ID_RE.fullmatch(v) for v in values or [])):
            found.update(values or [])
    return found


def accounts_pinned(statement: JsonObject) -> bool:
    """True when ``aws:PrincipalAccount`` limits the statement to listed account IDs."""
    for operator, key, raw in iter_conditions(statement):
        values = condition_values(raw)
        if key.lower() == ACCOUNT_KEY and _pins(
            operator, values, all(ACCOUNT_ID_RE.fullmatch(v) for v in values or [])
        ):
            return True
    return False


def uses_org_paths(statement: JsonObject) -> bool:
    return any(key.lower() == ORG_PATHS_KEY for _, key, _ in iter_conditions(statement))


def _check_path_value(
    value: str, like: bool, org_ids: set[str], where: str, out: list[Finding]
) -> None:
    def add(kind: str, message: str, fix: str) -> None:
        out.append(Finding(Severity.ERROR, kind, message, fix, where))

    example = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
    segments = value.split("/")
    if not ORG_ID_RE.fullmatch(segments[0]):
        add(
            "org_path_not_from_org",
            f"The aws:PrincipalOrgPaths value {value!r} does not start with an organization ID.",
            f"Start every path with the organization ID, for example {example}.",
        )
        return
    if org_ids and segments[0] not in org_ids:
        add(
            "org_path_wrong_org",
            f"The path {value!r} is in {segments[0]}, but aws:PrincipalOrgID requires "
            f"{', '.join(sorted(org_ids))}: the statement can never match.",
            "Use paths from the same organization as aws:PrincipalOrgID.",
        )
    if not has_wildcard(value) and not value.endswith("/"):
        add(
            "org_path_missing_slash",
            f"The path {value!r} has no trailing '/'; organization paths always end in '/', "
            "so it never matches.",
            f"Write {value}/ (accounts directly in that OU) or {value}/* (the OU and below).",
        )
    body = segments[1:-1] if segments[-1] == "" else segments[1:]
    for position, segment in enumerate(body, 2):
        if has_wildcard(segment):
            if like and segment not in ("*", "ou-*"):
                prefix = value[: value.index(segment)] + segment.rstrip("*?")
                add(
                    "org_path_prefix_match",
                    f"In {value!r} the wildcard sits inside the ID {segment!r}: it also matches "
                    "every sibling whose ID merely starts with the same characters.",
                    f"Close the ID with '/' before the wildcard: {prefix}/*.",
                )
            continue
        pattern = ROOT_ID_RE if position == 2 else OU_ID_RE
        if not pattern.fullmatch(segment):
            add(
                "org_path_malformed",
                f"Segment {position} of the path {value!r}, {segment!r}, is not "
                f"{'a root ID' if position == 2 else 'an OU ID'}.",
                f"Paths are organization/root/OU/.../, for example {example}.",
            )


def check_conditions(statement: JsonObject, effect: str, where: str) -> list[Finding]:
    out: list[Finding] = []
    allow = effect == "Allow"

    def add(severity: Severity, kind: str, message: str, fix: str) -> None:
        out.append(Finding(severity, kind, message, fix, where))

    block = statement.get("Condition")
    if block is not None and not isinstance(block, dict):
        add(Severity.ERROR, "bad_condition", "Condition is not a JSON object.", "Use {...}.")
        return out
    for op_text, keys in (block or {}).items():
        if not isinstance(keys, dict):
            add(
                Severity.ERROR,
                "bad_condition",
                f"The {op_text} block is not an object of keys and values.",
                'Write {"StringEquals": {"aws:PrincipalOrgID": "o-..."}}.',
            )
    org_ids = org_ids_pinned(statement)
    for operator, key, raw in iter_conditions(statement):
        label = f"{operator.text} on {key}"
        base = canonical_base(operator.base)
        if base is None or operator.set_operator not in ("", "ForAnyValue", "ForAllValues"):
            add(
                Severity.ERROR,
                "unknown_operator",
                f"{operator.text!r} is not an IAM condition operator.",
                "Check the spelling: StringEquals, StringLike, ForAnyValue:StringLike...",
            )
            continue
        if base not in SUPPORTED_BASE_OPERATORS:
            add(
                Severity.WARNING,
                "unsupported_operator",
                f"{label}: the who-may-send check cannot evaluate {base} and will refuse.",
                "Sending-authorization policies need only the String operators.",
            )
        values = condition_values(raw)
        if values is None or not values:
            add(
                Severity.ERROR,
                "bad_condition_value",
                f"{label}: values must be a string or a list of strings.",
                'Write "value" or ["value1", "value2"].',
            )
            continue
        key_l = key.lower()
        if base in STRING_EQUALS_OPERATORS and any("*" in v for v in values):
            add(
                Severity.ERROR,
                "wildcard_with_string_equals",
                f"{label} compares '*' literally, so {values[0]!r} never matches as intended.",
                "Use StringLike (or ForAnyValue:StringLike) when a value contains a wildcard.",
            )
        if key_l in MULTIVALUED_KEYS and not operator.set_operator:
            add(
                Severity.ERROR,
                "multivalued_key_without_set_operator",
                f"{label}: {key} holds a set of values and needs a set operator.",
                f"Write ForAnyValue:{base}.",
            )
        if key_l in (ORG_ID_KEY, ORG_PATHS_KEY) and allow:
            if operator.set_operator == "ForAllValues":
                add(
                    Severity.ERROR,
                    "for_all_values_org_key",
                    f"{label}: ForAllValues is true when the request has no value at all, so "
                    "principals outside any organization match.",
                    "Use ForAnyValue: for aws:PrincipalOrgPaths and no set operator for "
                    "aws:PrincipalOrgID.",
                )
            if operator.if_exists:
                add(
                    Severity.ERROR,
                    "if_exists_org_key",
                    f"{label}: ...IfExists is true when the key is missing, so accounts outside "
                    "any organization match.",
                    f"Drop IfExists: write {operator.text[: -len('IfExists')]}.",
                )
        if key_l == ORG_ID_KEY:
            _check_org_id(operator, base, values, label, add)
        elif key_l == ORG_PATHS_KEY:
            like = base in ("StringLike", "StringNotLike")
            for value in values:
                _check_path_value(value, like, org_ids, where, out)
        elif key_l == FROM_KEY:
            _check_from(base, values, label, add)
    return out


def _check_org_id(
    operator: ConditionOperator, base: str, values: list[str], label: str, add: _Add
) -> None:
    if operator.set_operator == "ForAnyValue":
        add(
            Severity.WARNING,
            "set_operator_on_single_valued_key",
            f"{label}: aws:PrincipalOrgID has one value; set operators are for multivalued keys.",
            "Write StringEquals without ForAnyValue:.",
        )
    for value in values:
        if ORG_ID_RE.fullmatch(value):
            continue
        if has_wildcard(value) and base not in STRING_EQUALS_OPERATORS:
            add(
                Severity.ERROR,
                "org_id_wildcard",
                f"{label}: {value!r} is a pattern, so it admits other organizations.",
                "Name the organization exactly with StringEquals, for example o-a1b2c3d4e5.",
            )
        elif not has_wildcard(value):
            add(
                Severity.ERROR,
                "bad_org_id",
                f"{label}: {value!r} is not an organization ID, so it never matches.",
                "Organization IDs look like o-a1b2c3d4e5.",
            )


def _check_from(base: str, values: list[str], label: str, add: _Add) -> None:
    if base in ("StringLike", "StringNotLike"):
        for value in values:
            marker = looks_like_regex(value)
            if marker is not None:
                add(
                    Severity.WARNING,
                    "from_address_regex",
                    f"{label}: {value!r} contains {marker!r}, regex syntax, but StringLike is a "
                    "glob: '.' is a literal dot and only '*' and '?' are wildcards.",
                    "Use '*' for any characters and '?' for one, e.g. marketing+*@example.com.",
                )
    add(
        Severity.INFO,
        "from_address_case_sensitive",
        f"{label}: SES compares From addresses case-sensitively.",
        "Delegates must send with exactly this case (write the domain in lower case).",
    )

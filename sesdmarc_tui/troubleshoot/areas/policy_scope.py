"""Who an identity policy lets send, in one sentence per statement (no I/O).

The evaluator in ``core.policy`` answers "may this account send?"; a troubleshooting checklist
needs the other direction, a plain summary of the principals, organization IDs, organization
paths, accounts and From addresses each statement names.
"""

from __future__ import annotations

from sesdmarc_tui.core.policy.grammar import (
    JsonObject,
    condition_values,
    iter_conditions,
    iter_statements,
    load_policy,
    str_list,
)

_KEYS = {
    "aws:principalorgid": "organization",
    "aws:principalorgpaths": "organization paths",
    "aws:principalaccount": "accounts",
    "ses:fromaddress": "From addresses",
}


def _principals(statement: JsonObject) -> str:
    principal = statement.get("Principal")
    if principal == "*":
        return "any principal"
    if isinstance(principal, dict):
        names: list[str] = []
        for kind, value in principal.items():
            names.extend(f"{kind} {v}" for v in str_list(value) or [])
        return ", ".join(names) or "no principal"
    return "no principal"


def _conditions(statement: JsonObject) -> list[str]:
    parts: list[str] = []
    for operator, key, raw in iter_conditions(statement):
        label = _KEYS.get(key.lower())
        if label is None:
            continue
        values = condition_values(raw) or []
        parts.append(f"{label} {', '.join(values)} ({operator.text})")
    return parts


def summarize_policy(text: str) -> list[str]:
    """One line per statement: effect, actions, principals and the conditions that scope them."""
    parsed = load_policy(text)
    if parsed.document is None:
        return [f"unreadable: {parsed.error}"]
    lines: list[str] = []
    for index, statement in iter_statements(parsed.document):
        effect = statement.get("Effect", "?")
        actions = ", ".join(str_list(statement.get("Action")) or ["no action"])
        scope = [_principals(statement), *_conditions(statement)]
        verb = "denies" if effect == "Deny" else "allows"
        lines.append(f"statement {index + 1} {verb} {actions} to {'; '.join(scope)}")
    return lines or ["no statements"]

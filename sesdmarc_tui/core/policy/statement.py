"""Does a statement's Principal, Action and Resource cover a send request?

Each answer is ``yes``, ``no`` or ``unsupported`` (a shape the evaluator will not guess about),
with a short reason for the "who may send?" explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.policy.arns import PrincipalArn, parse_principal_arn
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.glob import action_matches, glob_match
from sesdmarc_tui.core.policy.grammar import JsonObject, str_list
from sesdmarc_tui.core.policy.ids import ACCOUNT_ID_RE
from sesdmarc_tui.core.policy.request import SendRequest

PartStatus = Literal["yes", "no", "unsupported"]


@dataclass(frozen=True)
class Part:
    status: PartStatus
    reason: str


def _same_principal(named: PrincipalArn, sender: PrincipalArn) -> bool:
    if named.account_id != sender.account_id:
        return False
    if named.kind == "role" and sender.kind == "assumed-role":
        # A role session's ARN drops the role path, so the role name is what identifies it.
        return named.name == sender.name
    return named.to_string() == sender.to_string()


def _principal_value_matches(value: str, request: SendRequest) -> tuple[bool, str]:
    if value == "*":
        return True, "Principal '*' names every AWS principal"
    if ACCOUNT_ID_RE.fullmatch(value):
        return value == request.account_id, f"Principal names account {value}"
    try:
        named = parse_principal_arn(value)
    except PolicyInputError:
        return False, f"Principal {value!r} is not an account or IAM principal ARN"
    if named.kind == "root":
        return named.account_id == request.account_id, f"Principal names account {named.account_id}"
    if request.principal is None:
        return False, (
            f"Principal names only the {named.kind} {value}; give the sender's ARN to check it"
        )
    return _same_principal(named, request.principal), f"Principal names {value}"


def _principal_list_matches(element: object, request: SendRequest) -> Part:
    if element == "*":
        return Part("yes", "Principal '*' names every AWS principal")
    if not isinstance(element, dict):
        return Part("unsupported", "Principal is neither '*' nor an object")
    reasons: list[str] = []
    for kind, raw in element.items():
        values = str_list(raw)
        if values is None:
            return Part("unsupported", f"Principal {kind} is not a string or list of strings")
        if kind != "AWS":
            reasons.append(f"Principal {kind} names services or federated users, not accounts")
            continue
        for value in values:
            hit, why = _principal_value_matches(value, request)
            if hit:
                return Part("yes", why)
            reasons.append(why)
    shown = "; ".join(dict.fromkeys(reasons)) or "Principal is empty"
    return Part("no", f"account {request.account_id} is not named ({shown})")


def match_principal(statement: JsonObject, request: SendRequest) -> Part:
    if "Principal" in statement:
        return _principal_list_matches(statement["Principal"], request)
    if "NotPrincipal" in statement:
        inner = _principal_list_matches(statement["NotPrincipal"], request)
        if inner.status == "unsupported":
            return inner
        if inner.status == "yes":
            return Part("no", f"NotPrincipal excludes it: {inner.reason}")
        return Part("yes", "NotPrincipal does not exclude it")
    return Part("no", "the statement has no Principal")


def _list_element(statement: JsonObject, name: str) -> tuple[str, list[str] | None] | None:
    for key in (name, f"Not{name}"):
        if key in statement:
            return key, str_list(statement[key])
    return None


def match_action(statement: JsonObject, action: str) -> Part:
    found = _list_element(statement, "Action")
    if found is None:
        return Part("no", "the statement has no Action")
    key, patterns = found
    if patterns is None:
        return Part("unsupported", f"{key} is not a string or list of strings")
    hit = any(action_matches(p, action) for p in patterns)
    if key == "NotAction":
        hit = not hit
    if hit:
        return Part("yes", f"{key} covers {action}")
    return Part("no", f"{key} {patterns} does not cover {action}")


def match_resource(statement: JsonObject, arn: str) -> Part:
    found = _list_element(statement, "Resource")
    if found is None:
        return Part("no", "the statement has no Resource")
    key, patterns = found
    if patterns is None:
        return Part("unsupported", f"{key} is not a string or list of strings")
    hit = any(glob_match(p, arn) for p in patterns)
    if key == "NotResource":
        hit = not hit
    if hit:
        return Part("yes", f"{key} covers {arn}")
    return Part("no", f"{key} {patterns} is not this identity ({arn})")

"""Who may send? Evaluate identity policies for one delegated send request.

The evaluator answers for the resource side (the identity policies); the sender's own IAM
policy must also allow the call, which the reason sentence reminds. Anything it cannot evaluate
faithfully (unknown operators, policy variables, malformed elements) makes it refuse and say so,
rather than guess in the permissive direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sesdmarc_tui.core.names import is_subdomain
from sesdmarc_tui.core.policy.arns import IdentityArn
from sesdmarc_tui.core.policy.conditions import Context, evaluate_block
from sesdmarc_tui.core.policy.grammar import JsonObject, load_policy, statement_list
from sesdmarc_tui.core.policy.request import SendRequest
from sesdmarc_tui.core.policy.statement import Part, match_action, match_principal, match_resource

Outcome = Literal[
    "allowed", "owner", "explicit_deny", "implicit_deny", "unsupported", "from_not_covered"
]
StatementStatus = Literal["applies", "not_applicable", "unsupported"]
Stage = Literal["policy", "effect", "principal", "action", "resource", "condition", ""]


@dataclass(frozen=True)
class StatementResult:
    """How one statement related to the request; the trace behind a decision."""

    policy_name: str
    index: int  # 0-based position in the policy's Statement list; -1 for the policy itself
    sid: str
    effect: str
    status: StatementStatus
    stage: Stage
    reason: str

    @property
    def label(self) -> str:
        if self.index < 0:
            return f"policy {self.policy_name!r}"
        name = f"statement {self.index + 1}" + (f" ({self.sid})" if self.sid else "")
        return f"{name} of policy {self.policy_name!r}"


@dataclass(frozen=True)
class Decision:
    """The answer, the statement that decided it (when one did) and a sentence saying why.

    ``owner``: the identity's own account, which needs no sending authorization.
    ``from_not_covered``: the From address is not an address of the identity at all.
    ``unsupported``: a statement that could change the answer cannot be evaluated faithfully.
    """

    allowed: bool
    outcome: Outcome
    reason: str
    policy_name: str | None = None
    statement_sid: str | None = None
    statement_index: int | None = None
    trace: tuple[StatementResult, ...] = field(default=())


def _context(request: SendRequest) -> Context:
    context: dict[str, tuple[str, ...]] = {"aws:principalaccount": (request.account_id,)}
    if request.org_id is not None:
        context["aws:principalorgid"] = (request.org_id,)
    if request.org_paths:
        context["aws:principalorgpaths"] = request.org_paths
    if request.principal is not None:
        context["aws:principalarn"] = (request.principal.to_string(),)
    if request.from_address is not None:
        context["ses:fromaddress"] = (request.from_address,)
    if request.from_display_name is not None:
        context["ses:fromdisplayname"] = (request.from_display_name,)
    return context


def _evaluate_statement(
    name: str, index: int, statement: object, request: SendRequest, context: Context
) -> StatementResult:
    if not isinstance(statement, dict):
        return StatementResult(name, index, "", "", "unsupported", "policy", "not a JSON object")
    sid = statement.get("Sid")
    sid_text = sid if isinstance(sid, str) else ""
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        return StatementResult(
            name, index, sid_text, str(effect), "unsupported", "effect", f"Effect is {effect!r}"
        )
    parts: list[tuple[Stage, Part]] = [
        ("principal", match_principal(statement, request)),
        ("action", match_action(statement, request.action)),
        ("resource", match_resource(statement, request.identity.to_string())),
    ]
    for stage, part in parts:
        if part.status == "no":
            return StatementResult(
                name, index, sid_text, effect, "not_applicable", stage, part.reason
            )
    for stage, part in parts:
        if part.status == "unsupported":
            return StatementResult(name, index, sid_text, effect, "unsupported", stage, part.reason)
    outcome = evaluate_block(statement.get("Condition"), context)
    status: StatementStatus = "unsupported"
    if outcome.status == "true":
        status = "applies"
    elif outcome.status == "false":
        status = "not_applicable"
    return StatementResult(name, index, sid_text, effect, status, "condition", outcome.reason)


def _policy_results(
    name: str, text: str | Mapping[str, Any], request: SendRequest, context: Context
) -> list[StatementResult]:
    document: JsonObject | None
    if isinstance(text, str):
        parsed = load_policy(text)
        document = parsed.document
        if document is None:
            return [StatementResult(name, -1, "", "", "unsupported", "policy", parsed.error)]
    else:
        document = dict(text)
    statements = statement_list(document)
    if not statements:
        return [StatementResult(name, -1, "", "", "unsupported", "policy", "no Statement list")]
    return [_evaluate_statement(name, i, s, request, context) for i, s in enumerate(statements)]


def _from_covered(identity: IdentityArn, address: str) -> bool:
    if not identity.is_domain:
        return address == identity.name
    _, at, domain = address.rpartition("@")
    return bool(at) and is_subdomain(domain, identity.domain)


def _decided(
    result: StatementResult,
    allowed: bool,
    outcome: Outcome,
    reason: str,
    trace: tuple[StatementResult, ...],
) -> Decision:
    return Decision(
        allowed, outcome, reason, result.policy_name, result.sid or None, result.index, trace
    )


def evaluate(policies: Mapping[str, str | Mapping[str, Any]], request: SendRequest) -> Decision:
    """May ``request`` send as its identity under ``policies`` (policy name -> JSON)?"""
    identity = request.identity
    if request.from_address is not None and not _from_covered(identity, request.from_address):
        return Decision(
            False,
            "from_not_covered",
            f"Refused: {request.from_address} is not an address of the identity {identity.name}; "
            "SES rejects it ('Email address is not verified') whatever the policies say.",
        )
    if request.account_id == identity.account_id:
        return Decision(
            True,
            "owner",
            f"Allowed: account {request.account_id} owns {identity.name}; sending authorization "
            "policies are for other accounts, so only its own IAM policies decide.",
        )
    context = _context(request)
    trace = tuple(
        result
        for name in sorted(policies)
        for result in _policy_results(name, policies[name], request, context)
    )
    who = f"account {request.account_id}"
    deny = next((r for r in trace if r.effect == "Deny" and r.status == "applies"), None)
    if deny is not None:
        reason = (
            f"Refused: {deny.label} explicitly denies {who} ({deny.reason}); "
            "an explicit Deny overrides every Allow."
        )
        return _decided(deny, False, "explicit_deny", reason, trace)
    unsure = [r for r in trace if r.status == "unsupported"]
    unsure_deny = next((r for r in unsure if r.effect != "Allow"), None)
    if unsure_deny is not None:
        reason = (
            f"Cannot decide, so refused: {unsure_deny.label} might deny it but cannot be "
            f"evaluated (unsupported: {unsure_deny.reason})."
        )
        return _decided(unsure_deny, False, "unsupported", reason, trace)
    allow = next((r for r in trace if r.effect == "Allow" and r.status == "applies"), None)
    if allow is not None:
        reason = (
            f"Allowed: {allow.label} lets {who} use {request.action} as {identity.name}. "
            f"The sender's IAM policy must also allow {request.action} on {identity.to_string()}."
        )
        return _decided(allow, True, "allowed", reason, trace)
    if unsure:
        reason = (
            f"Cannot decide, so refused: {unsure[0].label} might allow it but cannot be "
            f"evaluated (unsupported: {unsure[0].reason})."
        )
        return _decided(unsure[0], False, "unsupported", reason, trace)
    if not trace:
        reason = (
            f"Refused: {identity.name} has no sending authorization policy, "
            "so only its owner may send as it."
        )
        return Decision(False, "implicit_deny", reason, trace=trace)
    closest = _closest_miss(trace)
    reason = f"Refused: no statement allows {who}. Closest: {closest.label}: {closest.reason}."
    return _decided(closest, False, "implicit_deny", reason, trace)


_STAGE_RANK = {"condition": 0, "resource": 1, "action": 2, "principal": 3}


def _closest_miss(trace: tuple[StatementResult, ...]) -> StatementResult:
    """The Allow statement that got furthest before failing: the one the operator meant."""
    allows = [r for r in trace if r.effect == "Allow"] or list(trace)
    return min(allows, key=lambda r: _STAGE_RANK.get(r.stage, 4))

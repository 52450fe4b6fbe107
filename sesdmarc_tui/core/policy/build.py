"""Build the SES identity policy that lets the chosen scopes send as the identity.

One statement per kind of scope, in a fixed order, with sorted values: the same selection
always gives byte-identical JSON, so re-running the wizard shows "no change" instead of a diff.
Every statement that uses ``Principal: "*"`` carries ``aws:PrincipalOrgID``: OU and root IDs
are unique only inside one organization, and without the org check a path condition written
for one organization would be the only thing between the domain and every AWS account.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sesdmarc_tui.core.policy.arns import IdentityArn, parse_identity_arn
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.fromaddr import validate_from_pattern
from sesdmarc_tui.core.policy.glob import SEND_ACTIONS, canonical_send_action
from sesdmarc_tui.core.policy.limits import check_policy_size
from sesdmarc_tui.core.policy.scopes import (
    Accounts,
    OuDirectMembers,
    OuSubtree,
    Scope,
    WholeOrganization,
    simplify,
)

POLICY_VERSION = "2012-10-17"
# SMTP sends and v2 SendEmail with raw content are authorized as SendRawEmail: grant both.
DEFAULT_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
DEFAULT_POLICY_NAME = "sesdmarc-delegated-sending"
SID_WHOLE_ORG = "AllowWholeOrganization"
SID_SUBTREE = "AllowOrgUnitSubtree"
SID_DIRECT = "AllowOrgUnitDirectMembers"
SID_ACCOUNTS = "AllowAccounts"

PolicyDocument = dict[str, Any]
Condition = dict[str, dict[str, object]]


def _actions(actions: Sequence[str]) -> list[str]:
    chosen: set[str] = set()
    for action in actions:
        known = canonical_send_action(action)
        if known is None:
            raise PolicyInputError(
                f"{action!r} is not an SES send action.",
                f"Use only {', '.join(SEND_ACTIONS)}.",
                field="actions",
            )
        chosen.add(known)
    if not chosen:
        raise PolicyInputError(
            "No actions were chosen.", "Allow ses:SendEmail and ses:SendRawEmail."
        )
    return [a for a in SEND_ACTIONS if a in chosen]


def _statement(
    sid: str,
    principal: object,
    actions: list[str],
    resource: str,
    condition: Condition,
) -> dict[str, object]:
    statement: dict[str, object] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": actions,
        "Resource": resource,
    }
    if condition:
        statement["Condition"] = condition
    return statement


def build_policy(
    identity: str | IdentityArn,
    scopes: Sequence[Scope],
    *,
    from_addresses: Sequence[str] = (),
    actions: Sequence[str] = DEFAULT_ACTIONS,
) -> PolicyDocument:
    """The identity policy granting ``actions`` on ``identity`` to ``scopes``.

    ``from_addresses`` restricts ``ses:FromAddress`` to exact addresses or globs within the
    identity's domain. Raises ``PolicyInputError`` for bad input and ``PolicyLimitError`` when
    the result is over 4 KB.
    """
    arn = identity if isinstance(identity, IdentityArn) else parse_identity_arn(identity)
    if not scopes:
        raise PolicyInputError(
            "No senders were chosen.",
            "Pick the organization, an OU, or type account IDs.",
            field="scopes",
        )
    granted = _actions(actions)
    patterns = sorted({validate_from_pattern(p, arn) for p in from_addresses})
    from_condition: Condition = {"StringLike": {"ses:FromAddress": patterns}} if patterns else {}
    resource = arn.to_string()
    canonical = simplify(scopes)
    statements: list[dict[str, object]] = []
    for scope in canonical:
        if isinstance(scope, WholeOrganization):
            condition: Condition = {"StringEquals": {"aws:PrincipalOrgID": scope.org_id}}
            statements.append(
                _statement(SID_WHOLE_ORG, "*", granted, resource, {**condition, **from_condition})
            )
    path_kinds: tuple[tuple[str, str, list[OuSubtree] | list[OuDirectMembers]], ...] = (
        (SID_SUBTREE, "ForAnyValue:StringLike", [s for s in canonical if isinstance(s, OuSubtree)]),
        (
            SID_DIRECT,
            "ForAnyValue:StringEquals",
            [s for s in canonical if isinstance(s, OuDirectMembers)],
        ),
    )
    for sid, operator, chosen in path_kinds:
        if chosen:
            condition = {
                "StringEquals": {"aws:PrincipalOrgID": chosen[0].org_id},
                operator: {"aws:PrincipalOrgPaths": [s.path_value() for s in chosen]},
            }
            statements.append(
                _statement(sid, "*", granted, resource, {**condition, **from_condition})
            )
    for scope in canonical:
        if isinstance(scope, Accounts):
            principals = [f"arn:{arn.partition}:iam::{i}:root" for i in scope.ids]
            condition = (
                {"StringEquals": {"aws:PrincipalOrgID": scope.org_id}} if scope.org_id else {}
            )
            statements.append(
                _statement(
                    SID_ACCOUNTS,
                    {"AWS": principals},
                    granted,
                    resource,
                    {**condition, **from_condition},
                )
            )
    policy: PolicyDocument = {"Version": POLICY_VERSION, "Statement": statements}
    check_policy_size(policy_json(policy))
    return policy


def policy_json(policy: Mapping[str, Any]) -> str:
    """Compact JSON, the form sent to SES and counted against the 4 KB limit."""
    return json.dumps(policy, separators=(",", ":"), ensure_ascii=False)


def policy_json_pretty(policy: Mapping[str, Any]) -> str:
    """Indented JSON for previews and copying; same content, same key order."""
    return json.dumps(policy, indent=2, ensure_ascii=False)


def build_policy_json(
    identity: str | IdentityArn,
    scopes: Sequence[Scope],
    *,
    from_addresses: Sequence[str] = (),
    actions: Sequence[str] = DEFAULT_ACTIONS,
) -> str:
    return policy_json(
        build_policy(identity, scopes, from_addresses=from_addresses, actions=actions)
    )

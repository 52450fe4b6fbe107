"""Linter checks for one statement: Effect, Principal, Action, Resource, then its conditions."""

from __future__ import annotations

from collections.abc import Callable

from sesdmarc_tui.core.policy.arns import parse_identity_arn, parse_principal_arn
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.findings import Finding, Severity
from sesdmarc_tui.core.policy.glob import canonical_send_action
from sesdmarc_tui.core.policy.grammar import JsonObject, str_list
from sesdmarc_tui.core.policy.ids import ACCOUNT_ID_RE
from sesdmarc_tui.core.policy.lintcond import (
    accounts_pinned,
    check_conditions,
    org_ids_pinned,
    uses_org_paths,
)

STATEMENT_KEYS = {
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
}
_Add = Callable[[Severity, str, str, str], None]


def check_statement(statement: JsonObject, where: str, expected: str | None) -> list[Finding]:
    """Findings for one statement object; ``expected`` is the identity ARN when known."""
    out: list[Finding] = []

    def here(severity: Severity, kind: str, message: str, fix: str) -> None:
        out.append(Finding(severity, kind, message, fix, where))

    unknown = sorted(set(statement) - STATEMENT_KEYS)
    if unknown:
        here(
            Severity.ERROR,
            "unknown_element",
            f"Unknown statement element(s): {', '.join(unknown)}.",
            "Check the spelling (element names are case-sensitive).",
        )
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        here(Severity.ERROR, "bad_effect", f"Effect is {effect!r}.", 'Use "Allow" or "Deny".')
        return out
    allow = effect == "Allow"
    if not allow:
        here(
            Severity.INFO,
            "deny_statement",
            "This Deny statement overrides any Allow for the requests it matches.",
            "Check that it only narrows who may send.",
        )
    _check_principal(statement, allow, here)
    if allow:
        _check_actions(statement, here)
    _check_resource(statement, expected, here)
    out.extend(check_conditions(statement, effect, where))
    return out


def _wildcard_principal(principal: object) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "*" in (str_list(principal.get("AWS")) or [])
    return False


def _check_principal(statement: JsonObject, allow: bool, here: _Add) -> None:
    if "NotPrincipal" in statement:
        severity = Severity.ERROR if allow else Severity.WARNING
        here(
            severity,
            "not_principal",
            "NotPrincipal matches everyone except the listed principals.",
            "List the allowed senders in Principal instead.",
        )
    if "Principal" not in statement:
        if "NotPrincipal" not in statement:
            here(
                Severity.ERROR,
                "missing_principal",
                "The statement has no Principal.",
                'Add "Principal": "*" with an aws:PrincipalOrgID condition, or account IDs.',
            )
        return
    principal = statement["Principal"]
    if isinstance(principal, dict):
        for kind, raw in principal.items():
            values = str_list(raw)
            if values is None:
                here(
                    Severity.ERROR,
                    "invalid_principal",
                    f"Principal {kind} is not a string or list.",
                    'Write {"AWS": ["arn:aws:iam::111122223333:root"]}.',
                )
            elif kind != "AWS":
                if allow:
                    here(
                        Severity.WARNING,
                        "non_account_principal",
                        f"Principal {kind} names no AWS account; delegates are accounts.",
                        "Use AWS account or role principals.",
                    )
            else:
                for value in values:
                    if not _valid_aws_principal(value):
                        here(
                            Severity.ERROR,
                            "invalid_principal",
                            f"{value!r} is not an account ID or IAM principal ARN.",
                            "Use arn:aws:iam::111122223333:root or a 12-digit account ID.",
                        )
    elif principal != "*":
        here(
            Severity.ERROR,
            "invalid_principal",
            f"Principal {principal!r} is not valid.",
            'Use "*" with an org condition, or {"AWS": [...]}.',
        )
    if not allow:
        return
    pinned = bool(org_ids_pinned(statement))
    if uses_org_paths(statement) and not pinned:
        _paths_without_org(here)
    elif _wildcard_principal(principal) and not pinned and not accounts_pinned(statement):
        here(
            Severity.ERROR,
            "principal_wildcard_without_org",
            'Principal "*" without an aws:PrincipalOrgID condition lets anyone in any AWS account '
            "send as this identity.",
            'Add "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-..."}}, or list accounts.',
        )


def _paths_without_org(here: _Add) -> None:
    here(
        Severity.ERROR,
        "org_paths_without_org_id",
        "aws:PrincipalOrgPaths is used without aws:PrincipalOrgID; OU and root IDs are unique "
        "only within one organization.",
        'Add "StringEquals": {"aws:PrincipalOrgID": "o-..."} to the same statement.',
    )


def _valid_aws_principal(value: str) -> bool:
    if value == "*" or ACCOUNT_ID_RE.fullmatch(value):
        return True
    try:
        parse_principal_arn(value)
    except PolicyInputError:
        return False
    return True


def _check_actions(statement: JsonObject, here: _Add) -> None:
    if "NotAction" in statement:
        here(
            Severity.ERROR,
            "not_action",
            "NotAction in an Allow grants every action except the listed ones.",
            'List the actions: "Action": ["ses:SendEmail", "ses:SendRawEmail"].',
        )
    if "Action" not in statement:
        if "NotAction" not in statement:
            here(
                Severity.ERROR,
                "missing_action",
                "The statement has no Action.",
                'Add "Action": ["ses:SendEmail", "ses:SendRawEmail"].',
            )
        return
    actions = str_list(statement["Action"])
    if actions is None:
        here(
            Severity.ERROR,
            "bad_action",
            "Action is not a string or a list of strings.",
            'Write "Action": ["ses:SendEmail", "ses:SendRawEmail"].',
        )
        return
    for action in actions:
        if canonical_send_action(action) is not None:
            continue
        if action.lower() == "ses:send*":
            here(
                Severity.INFO,
                "send_wildcard_action",
                "ses:Send* covers every send action, including ones SES may add later.",
                "List ses:SendEmail and ses:SendRawEmail to grant exactly those.",
            )
            continue
        broad = action in ("*", "ses:*") or action.lower() == "ses:*"
        here(
            Severity.ERROR,
            "bad_action",
            f"{action!r} "
            + ("grants every action" if broad else "is not an SES send action")
            + "; an identity policy should grant only sending.",
            "Use ses:SendEmail and ses:SendRawEmail (and the templated sends if needed).",
        )


def _check_resource(statement: JsonObject, expected: str | None, here: _Add) -> None:
    example = expected or "arn:aws:ses:us-east-1:111122223333:identity/example.com"
    if "NotResource" in statement:
        here(
            Severity.ERROR,
            "not_resource",
            "NotResource is not valid in an identity policy.",
            f'Write "Resource": "{example}".',
        )
    if "Resource" not in statement:
        if "NotResource" not in statement:
            here(
                Severity.ERROR,
                "missing_resource",
                "The statement has no Resource.",
                f'Add "Resource": "{example}".',
            )
        return
    resources = str_list(statement["Resource"])
    if resources is None or len(resources) != 1:
        count = "no usable" if resources is None else str(len(resources))
        here(
            Severity.ERROR,
            "resource_count",
            f"Resource names {count} resources; an identity policy names exactly one: the "
            "identity it is attached to.",
            f'Write "Resource": "{example}".',
        )
        return
    resource = resources[0]
    if expected is not None:
        if resource != expected:
            here(
                Severity.ERROR,
                "resource_mismatch",
                f"Resource {resource!r} is not the identity this policy is for ({expected}).",
                f'Write "Resource": "{expected}".',
            )
        return
    try:
        parse_identity_arn(resource)
    except PolicyInputError as exc:
        here(
            Severity.ERROR,
            "resource_not_identity",
            f"Resource is not an SES identity ARN: {exc.message}",
            f'Write "Resource": "{example}".',
        )

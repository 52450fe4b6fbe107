"""The delegate's IAM policy: least privilege for sending as the owner's identity.

Cross-account sending needs both sides: the owner's identity policy (resource side) and the
delegate's own IAM policy. The IAM side grants ``ses:SendEmail`` and ``ses:SendRawEmail`` on
the OWNER's identity ARN only (scoping it to the delegate's own identity, or granting only
SendEmail, are classic failures: SMTP and raw-content sends are authorized as SendRawEmail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sesdmarc_tui.core.policy.arns import (
    IdentityArn,
    parse_identity_arn,
    validate_configuration_set_arn,
)
from sesdmarc_tui.core.policy.build import DEFAULT_ACTIONS, POLICY_VERSION, PolicyDocument
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.findings import Finding, LintReport, Severity
from sesdmarc_tui.core.policy.fromaddr import validate_from_pattern
from sesdmarc_tui.core.policy.grammar import (
    iter_conditions,
    load_policy,
    statement_label,
    statement_list,
    str_list,
)

SID_SEND = "SendAsOwnerIdentity"
SID_GET_ACCOUNT = "ReadDelegateAccount"
GET_ACCOUNT_NOTE = (
    "ses:GetAccount is optional and read-only. It lets the wizard show the delegate's own "
    "sending quota and sandbox status before the test email: delegated mail counts against the "
    "delegate's quota, and both accounts must be out of the sandbox to mail unverified "
    "recipients. It has no resource type, so it is granted on '*'. Sending works without it."
)
_SEND = {"ses:sendemail": "ses:SendEmail", "ses:sendrawemail": "ses:SendRawEmail"}


class _Add(Protocol):
    def __call__(
        self, kind: str, message: str, fix: str, where: str = "", severity: Severity = ...
    ) -> None: ...


def _identity(identity: str | IdentityArn) -> IdentityArn:
    return identity if isinstance(identity, IdentityArn) else parse_identity_arn(identity)


def delegate_iam_policy(
    identity: str | IdentityArn,
    *,
    from_addresses: Sequence[str] = (),
    configuration_set_arn: str | None = None,
    recipient_identity_arns: Sequence[str] = (),
    include_get_account: bool = False,
) -> PolicyDocument:
    """The IAM policy to attach to the delegate's role.

    ``recipient_identity_arns``: in the SES sandbox IAM is also evaluated on the verified
    recipient identities, so a delegate still in the sandbox needs them listed too.
    """
    arn = _identity(identity)
    resources = [arn.to_string()]
    if configuration_set_arn is not None:
        resources.append(validate_configuration_set_arn(configuration_set_arn))
    resources.extend(sorted({parse_identity_arn(r).to_string() for r in recipient_identity_arns}))
    send: dict[str, object] = {
        "Sid": SID_SEND,
        "Effect": "Allow",
        "Action": list(DEFAULT_ACTIONS),
        "Resource": list(dict.fromkeys(resources)),
    }
    patterns = sorted({validate_from_pattern(p, arn) for p in from_addresses})
    if patterns:
        send["Condition"] = {"StringLike": {"ses:FromAddress": patterns}}
    statements: list[dict[str, object]] = [send]
    if include_get_account:
        statements.append(
            {
                "Sid": SID_GET_ACCOUNT,
                "Effect": "Allow",
                "Action": ["ses:GetAccount"],
                "Resource": "*",
            }
        )
    return {"Version": POLICY_VERSION, "Statement": statements}


def check_delegate_iam_policy(
    policy: str | Mapping[str, Any],
    identity: str | IdentityArn,
    *,
    configuration_set_arn: str | None = None,
    recipient_identity_arns: Sequence[str] = (),
) -> LintReport:
    """Errors unless the policy grants exactly SendEmail + SendRawEmail on the owner's identity.

    Allowed besides: the configuration set and sandbox recipient ARNs passed in, a
    ``ses:FromAddress`` condition, ``ses:GetAccount`` on ``*``, and Deny statements.
    """
    arn = _identity(identity).to_string()
    config = (
        validate_configuration_set_arn(configuration_set_arn) if configuration_set_arn else None
    )
    allowed = {arn, *(r for r in [config] if r)}
    allowed |= {parse_identity_arn(r).to_string() for r in recipient_identity_arns}
    out: list[Finding] = []

    def add(
        kind: str, message: str, fix: str, where: str = "", severity: Severity = Severity.ERROR
    ) -> None:
        out.append(Finding(severity, kind, message, fix, where))

    if isinstance(policy, str):
        parsed = load_policy(policy)
        if parsed.document is None:
            add(
                "invalid_json",
                f"The IAM policy cannot be read: {parsed.error}.",
                "Paste the whole document.",
            )
            return LintReport(tuple(out))
        document: dict[str, object] = parsed.document
    else:
        document = dict(policy)
    if document.get("Version") != POLICY_VERSION:
        add(
            "bad_version",
            f"Version is {document.get('Version')!r}.",
            f'Use "Version": "{POLICY_VERSION}".',
        )
    granted: dict[str, set[str]] = {"ses:SendEmail": set(), "ses:SendRawEmail": set()}
    for index, statement in enumerate(statement_list(document) or []):
        if not isinstance(statement, dict):
            add("bad_statement", f"Statement {index + 1} is not an object.", "Remove it.")
            continue
        where = statement_label(index, statement)
        _check_statement(statement, where, owner_arn=arn, allowed=allowed, granted=granted, add=add)
    for action, resources in granted.items():
        for needed in sorted(r for r in (arn, config) if r):
            if needed not in resources:
                add(
                    "missing_grant",
                    f"{action} is not granted on {needed}.",
                    f"Allow {action} on {needed}: both send actions are needed (SMTP and raw "
                    "content are authorized as SendRawEmail).",
                )
    return LintReport(tuple(out))


def _check_statement(
    statement: dict[str, object],
    where: str,
    *,
    owner_arn: str,
    allowed: set[str],
    granted: dict[str, set[str]],
    add: _Add,
) -> None:
    if "Principal" in statement or "NotPrincipal" in statement:
        add(
            "principal_in_iam_policy",
            "An IAM policy attached to a role has no Principal.",
            "Remove Principal: this is the delegate's IAM policy, not the identity policy.",
            where,
        )
    effect = statement.get("Effect")
    if effect == "Deny":
        return
    if effect != "Allow":
        add("bad_effect", f"Effect is {effect!r}.", 'Use "Allow".', where)
        return
    for key in ("NotAction", "NotResource"):
        if key in statement:
            add(
                "broad_grant",
                f"{key} in an Allow grants everything not listed.",
                f"Replace {key} with an explicit list.",
                where,
            )
    actions = str_list(statement.get("Action")) or []
    resources = str_list(statement.get("Resource")) or []
    sends = [_SEND[a.lower()] for a in actions if a.lower() in _SEND]
    for action in actions:
        lowered = action.lower()
        if lowered in _SEND or (lowered == "ses:getaccount" and resources == ["*"]):
            continue
        add(
            "extra_action",
            f"{action!r} grants more than sending as the owner's identity.",
            "Grant only ses:SendEmail and ses:SendRawEmail (and ses:GetAccount on '*').",
            where,
        )
    if not sends:
        return
    for resource in resources:
        if resource in allowed:
            continue
        message = f"{resource!r} is not the owner's identity {owner_arn}."
        try:
            other = parse_identity_arn(resource)
        except PolicyInputError:
            other = None
        if other is not None and other.account_id != parse_identity_arn(owner_arn).account_id:
            message += " It looks like the delegate's own identity: send as the owner's."
        add("extra_resource", message, f"Use Resource {owner_arn}.", where)
    for operator, key, _ in iter_conditions(statement):
        if key.lower() != "ses:fromaddress":
            add(
                "unexpected_condition",
                f"{operator.text} on {key} may block delegated sends.",
                "Keep only a ses:FromAddress condition, or check it on purpose.",
                where,
                Severity.WARNING,
            )
    for action in sends:
        granted[action].update(r for r in resources if r in allowed)

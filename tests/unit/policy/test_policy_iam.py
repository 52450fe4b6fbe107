"""The delegate's IAM policy: exactly the two send actions on the owner's identity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sesdmarc_tui.core.policy import (
    GET_ACCOUNT_NOTE,
    PolicyInputError,
    check_delegate_iam_policy,
    delegate_iam_policy,
    policy_json,
)
from tests.unit.policy.policy_strategies import ARN

CONFIG_SET = "arn:aws:ses:us-east-1:444455556666:configuration-set/delegated"
DELEGATE_OWN = "arn:aws:ses:us-east-1:444455556666:identity/example.com"


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    statements = policy["Statement"]
    assert isinstance(statements, list)
    return statements


def test_minimal_policy() -> None:
    policy = delegate_iam_policy(ARN)
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SendAsOwnerIdentity",
                "Effect": "Allow",
                "Action": ["ses:SendEmail", "ses:SendRawEmail"],
                "Resource": [ARN],
            }
        ],
    }
    assert check_delegate_iam_policy(policy_json(policy), ARN).ok
    assert not check_delegate_iam_policy(policy, ARN).findings


@pytest.mark.parametrize("get_account", [False, True])
@pytest.mark.parametrize("config_set", [None, CONFIG_SET])
@pytest.mark.parametrize("from_addresses", [(), ("app@example.com",)])
def test_generated_policies_pass_their_own_check(
    get_account: bool, config_set: str | None, from_addresses: tuple[str, ...]
) -> None:
    policy = delegate_iam_policy(
        ARN,
        from_addresses=from_addresses,
        configuration_set_arn=config_set,
        include_get_account=get_account,
    )
    report = check_delegate_iam_policy(policy_json(policy), ARN, configuration_set_arn=config_set)
    assert report.ok and not report.findings, report.to_dict()
    # Only the two send actions on the owner's identity (plus the config set), GetAccount on *.
    for statement in _statements(policy):
        if statement["Action"] == ["ses:GetAccount"]:
            assert statement["Resource"] == "*"
            continue
        assert statement["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
        assert statement["Resource"] == [ARN, *([config_set] if config_set else [])]
        assert "Principal" not in statement
    if from_addresses:
        assert _statements(policy)[0]["Condition"] == {
            "StringLike": {"ses:FromAddress": ["app@example.com"]}
        }
    assert len(_statements(policy)) == (2 if get_account else 1)


def test_sandbox_recipients_are_allowed_resources() -> None:
    recipient = "arn:aws:ses:us-east-1:444455556666:identity/inbox@example.net"
    policy = delegate_iam_policy(ARN, recipient_identity_arns=[recipient])
    assert _statements(policy)[0]["Resource"] == [ARN, recipient]
    assert check_delegate_iam_policy(policy, ARN, recipient_identity_arns=[recipient]).ok
    assert not check_delegate_iam_policy(policy, ARN).ok


def test_get_account_note_explains_why() -> None:
    assert (
        "quota" in GET_ACCOUNT_NOTE and "'*'" in GET_ACCOUNT_NOTE and "optional" in GET_ACCOUNT_NOTE
    )


def _iam(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _send(
    actions: object = ("ses:SendEmail", "ses:SendRawEmail"), resource: object = ARN, **extra: Any
) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Action": list(actions) if isinstance(actions, tuple) else actions,
        "Resource": resource,
        **extra,
    }


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (_iam(_send(["ses:SendEmail"])), "missing_grant"),  # pitfall 13: no SendRawEmail
        (_iam(_send(resource="*")), "extra_resource"),
        (_iam(_send(resource=DELEGATE_OWN)), "extra_resource"),  # the delegate's own identity
        (_iam(_send(["ses:*"])), "extra_action"),
        (_iam(_send(["ses:Send*"])), "extra_action"),
        (_iam(_send(), _send(["ses:GetAccount"], resource=ARN)), "extra_action"),
        (
            _iam(_send(["ses:SendEmail", "ses:SendRawEmail", "ses:CreateEmailIdentity"])),
            "extra_action",
        ),
        (_iam({"Effect": "Allow", "NotAction": "iam:*", "Resource": ARN}), "broad_grant"),
        (_iam(_send(Principal="*")), "principal_in_iam_policy"),
        ("{", "invalid_json"),
        (json.dumps({"Statement": [_send()]}), "bad_version"),
        (_iam(_send(Effect="Yes")), "bad_effect"),
    ],
)
def test_checker_rejects(text: str, kind: str) -> None:
    report = check_delegate_iam_policy(text, ARN)
    assert kind in report.kinds(), report.to_dict()
    assert not report.ok


def test_checker_explains_own_identity_mistake() -> None:
    report = check_delegate_iam_policy(_iam(_send(resource=DELEGATE_OWN)), ARN)
    messages = " ".join(f.message for f in report.errors)
    assert "delegate's own identity" in messages


def test_checker_requires_config_set_when_used() -> None:
    report = check_delegate_iam_policy(_iam(_send()), ARN, configuration_set_arn=CONFIG_SET)
    assert "missing_grant" in report.kinds()


def test_checker_accepts_split_statements_and_denies() -> None:
    text = _iam(
        _send(["ses:SendEmail"]),
        _send(["ses:SendRawEmail"]),
        {
            "Effect": "Deny",
            "Action": "ses:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    )
    assert check_delegate_iam_policy(text, ARN).ok


def test_checker_warns_on_other_conditions() -> None:
    text = _iam(_send(Condition={"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}))
    report = check_delegate_iam_policy(text, ARN)
    assert report.ok and "unexpected_condition" in report.kinds()


def test_bad_inputs() -> None:
    with pytest.raises(PolicyInputError):
        delegate_iam_policy("example.com")
    with pytest.raises(PolicyInputError):
        delegate_iam_policy(ARN, configuration_set_arn="delegated")
    with pytest.raises(PolicyInputError):
        delegate_iam_policy(ARN, from_addresses=["app@other.com"])

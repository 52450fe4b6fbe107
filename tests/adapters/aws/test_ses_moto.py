"""SES v2 calls that moto implements, over HTTP against the threaded moto server."""

from __future__ import annotations

import json

import pytest

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import WRITE_OPERATIONS, SesAdapter
from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.aws._support import OWNER_ACCOUNT, REGION, count_calls

DOMAIN = "example.com"
ARN = f"arn:aws:ses:{REGION}:{OWNER_ACCOUNT}:identity/{DOMAIN}"


def policy(*actions: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowOrg",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": list(actions),
                    "Resource": ARN,
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                }
            ],
        }
    )


@pytest.fixture
def ses(owner: AwsSession, no_pacing: Pacer) -> SesAdapter:
    return SesAdapter(owner, pacer=no_pacing)


def test_identity_lifecycle(ses: SesAdapter) -> None:
    assert ses.get_identity(DOMAIN) is None
    created = ses.create_or_adopt_identity(DOMAIN)
    assert created.outcome == "created" and created.domain == DOMAIN
    assert created.next_key_length == "RSA_2048_BIT"
    status = ses.get_identity("EXAMPLE.com")  # one identity whatever the case typed
    assert status is not None and status.identity_type == "DOMAIN"
    assert status.verification_status == "SUCCESS"
    # moto gives neither tokens nor a MAIL FROM block: both read as empty, not as errors.
    assert status.mail_from.domain is None
    assert ses.delete_identity(DOMAIN) is True
    assert ses.get_identity(DOMAIN) is None


def test_policies_create_update_get_delete(ses: SesAdapter) -> None:
    ses.create_or_adopt_identity(DOMAIN)
    assert ses.put_policy(DOMAIN, "delegated", policy("ses:SendEmail")) == "created"
    assert (
        ses.put_policy(DOMAIN, "delegated", policy("ses:SendEmail", "ses:SendRawEmail"))
        == "updated"
    )
    stored = ses.get_policies(DOMAIN)
    assert list(stored) == ["delegated"]
    assert json.loads(stored["delegated"])["Statement"][0]["Action"] == [
        "ses:SendEmail",
        "ses:SendRawEmail",
    ]
    identity = ses.get_identity(DOMAIN)
    assert identity is not None and set(identity.policies) == {"delegated"}
    assert ses.delete_policy(DOMAIN, "delegated") is True
    assert ses.get_policies(DOMAIN) == {}


def test_same_policy_twice_makes_no_write_the_second_time(
    owner: AwsSession, ses: SesAdapter
) -> None:
    ses.create_or_adopt_identity(DOMAIN)
    calls = count_calls(owner.client("sesv2"), "sesv2")
    document = policy("ses:SendEmail", "ses:SendRawEmail")
    assert ses.put_policy(DOMAIN, "delegated", document) == "created"
    first = [c for c in calls if c in WRITE_OPERATIONS]
    calls.clear()
    # Same document, re-spaced and with keys reordered: still JSON-equal.
    reformatted = json.dumps(json.loads(document), indent=2, sort_keys=True)
    assert ses.put_policy(DOMAIN, "delegated", reformatted) == "unchanged"
    assert first == ["CreateEmailIdentityPolicy"]
    assert [c for c in calls if c in WRITE_OPERATIONS] == []
    assert calls == ["GetEmailIdentityPolicies"]


def test_policy_on_a_missing_identity_is_not_found(ses: SesAdapter) -> None:
    with pytest.raises(AwsError) as info:
        ses.put_policy("missing.example", "delegated", policy("ses:SendEmail"))
    assert info.value.kind is ErrorKind.NOT_FOUND


def test_send_email_from_the_verified_domain(ses: SesAdapter) -> None:
    from moto.ses.models import ses_backends

    ses.create_or_adopt_identity(DOMAIN)
    message_id = ses.send_test_email(
        from_address=f"app@{DOMAIN}",
        to=["success@simulator.amazonses.com"],
        subject="sesdmarc test",
        body="DMARC check",
        identity_arn=ARN,
    )
    assert message_id
    sent = ses_backends[OWNER_ACCOUNT][REGION].sent_messages
    assert [(m.source, m.subject) for m in sent] == [(f"app@{DOMAIN}", "sesdmarc test")]


def test_send_from_an_unverified_domain_is_rejected(ses: SesAdapter) -> None:
    with pytest.raises(AwsError) as info:
        ses.send_test_email(
            from_address="app@unverified.example",
            to="success@simulator.amazonses.com",
            subject="s",
            body="b",
            identity_arn=f"arn:aws:ses:{REGION}:{OWNER_ACCOUNT}:identity/unverified.example",
        )
    assert info.value.kind is ErrorKind.MESSAGE_REJECTED
    assert "identity policy" in info.value.remedy and REGION in info.value.remedy


def test_calls_moto_lacks_come_back_as_unsupported(ses: SesAdapter, owner: AwsSession) -> None:
    # moto answers unimplemented sesv2 calls with a 404 HTML page (a ClientError coded "404")...
    with pytest.raises(AwsError) as account:
        ses.get_account()
    assert account.value.kind is ErrorKind.UNSUPPORTED_OPERATION
    assert account.value.action == "GetAccount"
    ses.create_or_adopt_identity(DOMAIN)
    with pytest.raises(AwsError) as mail_from:
        ses.put_mail_from(DOMAIN, f"mail.{DOMAIN}")
    assert mail_from.value.kind is ErrorKind.UNSUPPORTED_OPERATION
    # ...and unimplemented query-protocol calls with a 500 page botocore cannot even parse.
    with pytest.raises(AwsError) as v1:
        owner.call("ses", "GetAccountSendingEnabled", "get_account_sending_enabled")
    assert v1.value.kind is ErrorKind.UNEXPECTED_RESPONSE


def test_delegate_and_owner_identities_are_separate(
    owner: AwsSession, delegate: AwsSession
) -> None:
    SesAdapter(owner, pacer=Pacer(0)).create_or_adopt_identity(DOMAIN)
    assert SesAdapter(delegate, pacer=Pacer(0)).get_identity(DOMAIN) is None

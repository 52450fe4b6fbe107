"""SES behaviours moto lacks, with botocore's Stubber: every request is validated against the
real SES v2 model and compared with the expected parameters; nothing leaves the process."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.aws._support import FakeClock, WaitLog

DOMAIN = "example.com"
TOKENS = [
    "abcdefghijklmnopqrstuvwxyz012345",
    "bcdefghijklmnopqrstuvwxyz0123456",
    "cdefghijklmnopqrstuvwxyz01234567",
]
OWNER_ARN = "arn:aws:ses:eu-west-1:111122223333:identity/example.com"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["ses:SendEmail"],
                "Resource": OWNER_ARN,
            }
        ],
    }
)


@pytest.fixture
def stub(offline_session: AwsSession) -> Iterator[Stubber]:
    with Stubber(offline_session.client("sesv2")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def ses(
    offline_session: AwsSession,
    clock: FakeClock,
    waits: tuple[WaitLog, Callable[[float, str], None]],
) -> SesAdapter:
    return SesAdapter(
        offline_session,
        pacer=Pacer(1.0, clock=clock, sleep=clock.sleep),
        on_wait=waits[1],
        sleep=clock.sleep,
        rng=lambda: 0.0,
    )


def dkim(status: str = "PENDING", zone: str | None = "dkim.amazonses.com.") -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "SigningEnabled": True,
        "Status": status,
        "Tokens": TOKENS,
        "SigningAttributesOrigin": "AWS_SES",
        "NextSigningKeyLength": "RSA_2048_BIT",
        "CurrentSigningKeyLength": "RSA_2048_BIT",
        "LastKeyGenerationTimestamp": datetime(2026, 11, 1, tzinfo=UTC),
    }
    if zone is not None:
        attributes["SigningHostedZone"] = zone
    return attributes


def identity(status: str = "PENDING", **extra: Any) -> dict[str, Any]:
    return {
        "IdentityType": "DOMAIN",
        "VerifiedForSendingStatus": status == "SUCCESS",
        "VerificationStatus": status,
        "DkimAttributes": dkim(status),
        "Policies": {},
        **extra,
    }


def test_create_returns_tokens_and_signing_zone_without_trailing_dot(
    stub: Stubber, ses: SesAdapter
) -> None:
    stub.add_response(
        "create_email_identity",
        {"IdentityType": "DOMAIN", "VerifiedForSendingStatus": False, "DkimAttributes": dkim()},
        {
            "EmailIdentity": DOMAIN,
            "DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"},
        },
    )
    status = ses.create_or_adopt_identity("Example.COM.")
    assert status.outcome == "created"
    assert status.dkim_tokens == tuple(TOKENS)
    assert status.signing_hosted_zone == "dkim.amazonses.com"
    assert status.dkim_status == "PENDING" and not status.verified_for_sending
    assert status.current_key_length == "RSA_2048_BIT"
    assert status.verification_status is None  # the create answer has none


def test_create_can_leave_the_key_length_to_ses(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_response(
        "create_email_identity", {"DkimAttributes": dkim(zone=None)}, {"EmailIdentity": DOMAIN}
    )
    status = ses.create_or_adopt_identity(DOMAIN, key_length=None)
    assert status.signing_hosted_zone is None


def test_already_exists_adopts_the_identity(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "create_email_identity",
        service_error_code="AlreadyExistsException",
        service_message="Email identity example.com already exist.",
        http_status_code=400,
    )
    stub.add_response(
        "get_email_identity",
        identity("SUCCESS", Policies={"delegated": POLICY}),
        {"EmailIdentity": DOMAIN},
    )
    status = ses.create_or_adopt_identity(DOMAIN)
    assert status.outcome == "adopted"
    assert status.verification_status == "SUCCESS" and status.dkim_verified
    assert dict(status.policies) == {"delegated": POLICY}


def test_pending_then_success_with_paced_polling(
    stub: Stubber, ses: SesAdapter, clock: FakeClock, waits: tuple[WaitLog, Any]
) -> None:
    stub.add_response("get_email_identity", identity("PENDING"), {"EmailIdentity": DOMAIN})
    stub.add_response("get_email_identity", identity("SUCCESS"), {"EmailIdentity": DOMAIN})
    first = ses.get_identity(DOMAIN)
    second = ses.get_identity(DOMAIN)
    assert first is not None and first.verification_status == "PENDING" and not first.dkim_verified
    assert (
        second is not None
        and second.verification_status == "SUCCESS"
        and second.verified_for_sending
    )
    # The second management call came at once: the pacer held it for a second, and said so.
    assert clock.sleeps == [1.0]
    assert waits[0] == [(1.0, "pacing SES calls at 1 per second (GetEmailIdentity)")]


def test_unknown_identity_is_none(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "get_email_identity", "NotFoundException", "Email identity x does not exist.", 404
    )
    assert ses.get_identity(DOMAIN) is None


def test_mail_from_fields_missing_as_real_aws_sends_them(
    offline_session: AwsSession, ses: SesAdapter
) -> None:
    # The Stubber refuses responses missing model-required fields, so this one goes through the
    # real JSON parser: the body is what `aws sesv2 get-email-identity` prints with no MAIL FROM.
    body = json.dumps(
        {
            "IdentityType": "DOMAIN",
            "VerifiedForSendingStatus": True,
            "VerificationStatus": "SUCCESS",
            "VerificationInfo": {"ErrorType": "HOST_NOT_FOUND"},
            "DkimAttributes": {"SigningEnabled": True, "Status": "SUCCESS", "Tokens": TOKENS},
            "MailFromAttributes": {"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"},
            "Policies": {},
        }
    ).encode()

    class Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield body

    def reply(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, Raw())

    offline_session.client("sesv2").meta.events.register(
        "before-send.sesv2.GetEmailIdentity", reply
    )
    status = ses.get_identity(DOMAIN)
    assert status is not None
    assert status.mail_from.domain is None and status.mail_from.status is None
    assert status.mail_from.behavior_on_mx_failure == "USE_DEFAULT_VALUE"
    assert not status.mail_from.configured
    assert status.verification_status == "SUCCESS" and status.verification_error == "HOST_NOT_FOUND"
    assert status.signing_hosted_zone is None


def test_put_mail_from_parameters(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_response(
        "put_email_identity_mail_from_attributes",
        {},
        {
            "EmailIdentity": DOMAIN,
            "MailFromDomain": "mail.example.com",
            "BehaviorOnMxFailure": "REJECT_MESSAGE",
        },
    )
    ses.put_mail_from(DOMAIN, "Mail.Example.com", "REJECT_MESSAGE")


def test_mail_from_is_read_back(stub: Stubber, ses: SesAdapter) -> None:
    mail_from = {
        "MailFromDomain": "mail.example.com",
        "MailFromDomainStatus": "PENDING",
        "BehaviorOnMxFailure": "USE_DEFAULT_VALUE",
    }
    stub.add_response(
        "get_email_identity",
        identity("SUCCESS", MailFromAttributes=mail_from),
        {"EmailIdentity": DOMAIN},
    )
    status = ses.get_identity(DOMAIN)
    assert status is not None and status.mail_from.domain == "mail.example.com"
    assert status.mail_from.status == "PENDING"


@pytest.mark.parametrize(
    ("mail_from", "behavior"),
    [
        ("mail.other.com", "USE_DEFAULT_VALUE"),
        ("example.com", "USE_DEFAULT_VALUE"),
        ("mail.example.com", "UseDefaultValue"),
    ],
)
def test_bad_mail_from_is_refused_before_calling(
    stub: Stubber, ses: SesAdapter, mail_from: str, behavior: Any
) -> None:
    with pytest.raises(AwsError) as info:
        ses.put_mail_from(DOMAIN, mail_from, behavior)
    assert info.value.kind is ErrorKind.INVALID_INPUT


@pytest.mark.parametrize(
    ("response", "sandbox", "enforcement"),
    [
        (
            {
                "ProductionAccessEnabled": False,
                "SendingEnabled": True,
                "EnforcementStatus": "HEALTHY",
                "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 3.0},
                "Details": {
                    "MailType": "TRANSACTIONAL",
                    "WebsiteURL": "https://example.com",
                    "ReviewDetails": {"Status": "PENDING", "CaseId": "123"},
                },
            },
            True,
            "healthy",
        ),
        (
            {
                "ProductionAccessEnabled": True,
                "SendingEnabled": True,
                "EnforcementStatus": "PROBATION",
                "SendQuota": {
                    "Max24HourSend": 50000.0,
                    "MaxSendRate": 14.0,
                    "SentLast24Hours": 0.0,
                },
            },
            False,
            "probation",
        ),
        (
            {
                "ProductionAccessEnabled": True,
                "SendingEnabled": False,
                "EnforcementStatus": "UNDER_REVIEW_2027",
            },
            False,
            "unknown",
        ),
    ],
)
def test_get_account(
    stub: Stubber, ses: SesAdapter, response: dict[str, Any], sandbox: bool, enforcement: str
) -> None:
    stub.add_response("get_account", response, {})
    account = ses.get_account()
    assert account.in_sandbox is sandbox
    assert account.enforcement == enforcement
    assert account.region == "eu-west-1"
    if sandbox:
        assert account.max_24_hour_send == 200.0 and account.max_send_rate == 1.0
        assert account.review_status == "PENDING"
    if enforcement == "unknown":
        assert account.enforcement_status == "UNDER_REVIEW_2027" and not account.sending_enabled
        assert account.max_send_rate is None


def test_limit_exceeded_is_not_retried(stub: Stubber, ses: SesAdapter, clock: FakeClock) -> None:
    stub.add_response("get_email_identity_policies", {"Policies": {}}, {"EmailIdentity": DOMAIN})
    stub.add_client_error(
        "create_email_identity_policy", "LimitExceededException", "Too many policies", 400
    )
    with pytest.raises(AwsError) as info:
        ses.put_policy(DOMAIN, "delegated", POLICY)
    assert info.value.kind is ErrorKind.LIMIT_EXCEEDED
    assert "20 policies" in info.value.remedy
    assert clock.sleeps == [1.0]  # only the pacing between the read and the write


def test_throttled_then_success_reports_the_wait(
    stub: Stubber, ses: SesAdapter, clock: FakeClock, waits: tuple[WaitLog, Any]
) -> None:
    stub.add_client_error(
        "create_email_identity", "TooManyRequestsException", "Too Many Requests", 429
    )
    stub.add_response("create_email_identity", {"DkimAttributes": dkim()}, None)
    status = ses.create_or_adopt_identity(DOMAIN)
    assert status.outcome == "created"
    throttled = [reason for _, reason in waits[0] if "throttled" in reason]
    assert throttled == [
        "SES throttled CreateEmailIdentity (TooManyRequestsException); "
        "retrying in 0.5 s (attempt 2 of 5)"
    ]
    assert sum(clock.sleeps) < 2  # fake time only: back-off 0.5 s and pacing top-up 0.5 s


def test_send_email_as_delegate_with_identity_arn(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_response(
        "send_email",
        {"MessageId": "0102018c-test"},
        {
            "FromEmailAddress": "app@example.com",
            "FromEmailAddressIdentityArn": OWNER_ARN,
            "Destination": {"ToAddresses": ["success@simulator.amazonses.com"]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": "Test", "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": "Hello", "Charset": "UTF-8"}},
                }
            },
            "FeedbackForwardingEmailAddress": "bounces@example.com",
            "FeedbackForwardingEmailAddressIdentityArn": OWNER_ARN,
        },
    )
    message_id = ses.send_test_email(
        from_address="app@example.com",
        to="success@simulator.amazonses.com",
        subject="Test",
        body="Hello",
        identity_arn=OWNER_ARN,
        feedback_address="bounces@example.com",
        feedback_identity_arn=OWNER_ARN,
    )
    assert message_id == "0102018c-test"


def test_send_in_the_wrong_region_is_refused_before_sending(stub: Stubber, ses: SesAdapter) -> None:
    with pytest.raises(AwsError) as info:
        ses.send_test_email(
            from_address="app@example.com",
            to=["a@b.example"],
            subject="s",
            body="b",
            identity_arn="arn:aws:ses:us-east-1:111122223333:identity/example.com",
        )
    assert info.value.kind is ErrorKind.WRONG_REGION
    assert "us-east-1" in info.value.remedy


def test_sender_outside_the_identity_is_refused(stub: Stubber, ses: SesAdapter) -> None:
    with pytest.raises(AwsError) as info:
        ses.send_test_email(
            from_address="app@other.org",
            to="x@y.example",
            subject="s",
            body="b",
            identity_arn=OWNER_ARN,
        )
    assert info.value.kind is ErrorKind.INVALID_INPUT


def test_sandbox_recipient_rejection_is_explained(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "send_email",
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        "EU-WEST-1: friend@gmail.com",
        400,
    )
    with pytest.raises(AwsError) as info:
        ses.send_test_email(
            from_address="app@example.com",
            to="friend@gmail.com",
            subject="s",
            body="b",
            identity_arn=OWNER_ARN,
        )
    assert info.value.kind is ErrorKind.SANDBOX_RECIPIENT
    assert info.value.action == "SendEmail"


def test_policy_input_is_checked_before_any_call(stub: Stubber, ses: SesAdapter) -> None:
    with pytest.raises(AwsError) as bad_name:
        ses.put_policy(DOMAIN, "bad name!", POLICY)
    assert bad_name.value.kind is ErrorKind.INVALID_INPUT
    with pytest.raises(AwsError) as too_big:
        ses.put_policy(DOMAIN, "big", json.dumps({"x": "y" * 5000}))
    assert too_big.value.kind is ErrorKind.LIMIT_EXCEEDED and "4096" in too_big.value.message
    with pytest.raises(AwsError) as not_json:
        ses.put_policy(DOMAIN, "broken", "{not json")
    assert not_json.value.kind is ErrorKind.INVALID_INPUT


def test_twenty_first_policy_is_refused_without_a_write(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_response(
        "get_email_identity_policies",
        {"Policies": {f"p{i}": POLICY for i in range(20)}},
        {"EmailIdentity": DOMAIN},
    )
    with pytest.raises(AwsError) as info:
        ses.put_policy(DOMAIN, "one-more", POLICY)
    assert info.value.kind is ErrorKind.LIMIT_EXCEEDED


def test_create_race_falls_back_to_update(stub: Stubber, ses: SesAdapter) -> None:
    params = {"EmailIdentity": DOMAIN, "PolicyName": "delegated", "Policy": POLICY}
    stub.add_response("get_email_identity_policies", {"Policies": {}}, {"EmailIdentity": DOMAIN})
    stub.add_client_error(
        "create_email_identity_policy",
        "AlreadyExistsException",
        "exists",
        400,
        expected_params=params,
    )
    stub.add_response("update_email_identity_policy", {}, params)
    assert ses.put_policy(DOMAIN, "delegated", POLICY) == "updated"


def test_changed_policy_is_updated_directly(stub: Stubber, ses: SesAdapter) -> None:
    params = {"EmailIdentity": DOMAIN, "PolicyName": "delegated", "Policy": POLICY}
    stub.add_response(
        "get_email_identity_policies", {"Policies": {"delegated": "{}"}}, {"EmailIdentity": DOMAIN}
    )
    stub.add_response("update_email_identity_policy", {}, params)
    assert ses.put_policy(DOMAIN, "delegated", POLICY) == "updated"


def test_policy_write_without_read_permission(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "get_email_identity_policies",
        "AccessDeniedException",
        "User: arn:aws:sts::111122223333:assumed-role/Writer/x is not authorized to perform: "
        "ses:GetEmailIdentityPolicies on resource: " + OWNER_ARN,
        403,
    )
    stub.add_response(
        "create_email_identity_policy",
        {},
        {"EmailIdentity": DOMAIN, "PolicyName": "delegated", "Policy": POLICY},
    )
    assert ses.put_policy(DOMAIN, "delegated", POLICY) == "created"


def test_cleanup_of_missing_things_is_not_an_error(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "delete_email_identity_policy", "NotFoundException", "no such policy", 404
    )
    stub.add_client_error("delete_email_identity", "NotFoundException", "no such identity", 404)
    assert ses.delete_policy(DOMAIN, "delegated") is False
    assert ses.delete_identity(DOMAIN) is False


def test_access_denied_on_create_names_the_permission(stub: Stubber, ses: SesAdapter) -> None:
    stub.add_client_error(
        "create_email_identity",
        "AccessDeniedException",
        "User: arn:aws:sts::111122223333:assumed-role/ReadOnly/alice is not authorized to perform: "
        "ses:CreateEmailIdentity on resource: " + OWNER_ARN,
        403,
    )
    with pytest.raises(AwsError) as info:
        ses.create_or_adopt_identity(DOMAIN)
    assert info.value.kind is ErrorKind.ACCESS_DENIED
    assert info.value.remedy.startswith(f"Grant ses:CreateEmailIdentity on {OWNER_ARN} to ")

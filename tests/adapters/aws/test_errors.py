"""Error translation: every failure shape boto3 produces -> kind, one-line message, remedy."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.parsers import ResponseParserError

from sesdmarc_tui.aws.errors import AwsError, ErrorKind, redact, translate
from sesdmarc_tui.aws.session import AwsSession, ClientSettings

ROLE = "arn:aws:sts::111122223333:assumed-role/Admin/alice"
IDENTITY = "arn:aws:ses:eu-west-1:111122223333:identity/example.com"


def client_error(code: str, message: str, status: int = 400, op: str = "Op") -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        op,
    )


def test_access_denied_names_action_resource_and_principal() -> None:
    exc = client_error(
        "AccessDeniedException",
        f"User: {ROLE} is not authorized to perform: ses:CreateEmailIdentity on resource: "
        f"{IDENTITY} because no identity-based policy allows the ses:CreateEmailIdentity action",
        403,
        "CreateEmailIdentity",
    )
    error = translate(exc, service="sesv2", region="eu-west-1")
    assert error.kind is ErrorKind.ACCESS_DENIED
    assert error.action == "CreateEmailIdentity"
    assert (
        error.remedy == f"Grant ses:CreateEmailIdentity on {IDENTITY} to {ROLE} in an IAM policy."
    )
    assert "\n" not in error.message


def test_access_denied_without_details_falls_back_to_operation() -> None:
    error = translate(
        client_error("AccessDenied", "Access Denied", 403),
        operation="ListRoots",
        service="organizations",
    )
    assert error.kind is ErrorKind.ACCESS_DENIED
    assert "organizations:ListRoots" in error.remedy


def test_explicit_deny_from_scp_says_who_must_act() -> None:
    exc = client_error(
        "AccessDeniedException",
        f"User: {ROLE} is not authorized to perform: ses:SendEmail on resource: {IDENTITY} "
        "with an explicit deny in a service control policy",
        403,
    )
    error = translate(exc)
    assert error.kind is ErrorKind.EXPLICIT_DENY
    assert "service control policy" in error.remedy


@pytest.mark.parametrize(
    ("exc", "kind", "remedy_part"),
    [
        (
            UnauthorizedSSOTokenError(),
            ErrorKind.EXPIRED_CREDENTIALS,
            "`aws sso login --profile dev`",
        ),
        (
            SSOTokenLoadError(error_msg="Token for x does not exist"),
            ErrorKind.EXPIRED_CREDENTIALS,
            "`aws sso login --profile dev`",
        ),
        (
            TokenRetrievalError(provider="sso", error_msg="expired"),
            ErrorKind.EXPIRED_CREDENTIALS,
            "`aws sso login --profile dev`",
        ),
        (
            client_error(
                "ExpiredTokenException",
                "The security token included in the request is expired",
                403,
            ),
            ErrorKind.EXPIRED_CREDENTIALS,
            "aws sso login --profile dev",
        ),
        (
            client_error("ExpiredToken", "expired", 403),
            ErrorKind.EXPIRED_CREDENTIALS,
            "profile dev",
        ),
        (
            client_error(
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                403,
            ),
            ErrorKind.INVALID_CREDENTIALS,
            "aws configure --profile dev",
        ),
        (NoCredentialsError(), ErrorKind.NO_CREDENTIALS, "aws configure"),
        (ProfileNotFound(profile="dev"), ErrorKind.PROFILE_NOT_FOUND, "aws configure --profile"),
        (NoRegionError(), ErrorKind.NO_REGION, "region"),
        (
            EndpointConnectionError(endpoint_url="https://email.eu-west-1.amazonaws.com/"),
            ErrorKind.ENDPOINT_UNREACHABLE,
            "network",
        ),
        (
            ConnectTimeoutError(endpoint_url="https://sts.amazonaws.com/"),
            ErrorKind.ENDPOINT_UNREACHABLE,
            "network",
        ),
        (
            ReadTimeoutError(endpoint_url="https://sts.amazonaws.com/"),
            ErrorKind.ENDPOINT_UNREACHABLE,
            "retry",
        ),
        (
            ParamValidationError(report='Missing required parameter in input: "EmailIdentity"'),
            ErrorKind.INVALID_INPUT,
            "Correct",
        ),
        (
            ResponseParserError("Unable to parse response (syntax error: line 1, column 0)"),
            ErrorKind.UNEXPECTED_RESPONSE,
            "endpoint",
        ),
        (
            client_error("TooManyRequestsException", "Too many requests", 429),
            ErrorKind.THROTTLED,
            "retry",
        ),
        (client_error("Throttling", "Rate exceeded", 400), ErrorKind.THROTTLED, "retry"),
        (
            client_error("NotFoundException", "Email identity x does not exist.", 404),
            ErrorKind.NOT_FOUND,
            "region",
        ),
        (
            client_error("AlreadyExistsException", "Email identity x already exist.", 400),
            ErrorKind.ALREADY_EXISTS,
            "Adopt",
        ),
        (
            client_error(
                "LimitExceededException", "Policy limit reached", 400, "CreateEmailIdentityPolicy"
            ),
            ErrorKind.LIMIT_EXCEEDED,
            "20 policies",
        ),
        (
            client_error("BadRequestException", "Invalid policy", 400),
            ErrorKind.INVALID_INPUT,
            "Correct",
        ),
        (client_error("ConcurrentModificationException", "busy", 500), ErrorKind.CONFLICT, "retry"),
        (
            client_error("AWSOrganizationsNotInUseException", "Your account is not a member", 400),
            ErrorKind.NOT_IN_ORGANIZATION,
            "IDs",
        ),
        (
            client_error("MailFromDomainNotVerifiedException", "x", 400),
            ErrorKind.MAIL_FROM_NOT_VERIFIED,
            "USE_DEFAULT_VALUE",
        ),
        (
            client_error("AccountSuspendedException", "suspended", 400),
            ErrorKind.ACCOUNT_SUSPENDED,
            "Support",
        ),
        (client_error("InternalFailure", "oops", 500), ErrorKind.SERVICE_ERROR, "Retry"),
        (
            client_error("404", "<!doctype html><title>404 Not Found</title>", 404),
            ErrorKind.UNSUPPORTED_OPERATION,
            "sandbox",
        ),
        (
            client_error("500", "<!doctype html><title>500 Internal Server Error</title>", 500),
            ErrorKind.UNEXPECTED_RESPONSE,
            "endpoint",
        ),
        (RuntimeError("boom"), ErrorKind.UNEXPECTED, "report"),
    ],
)
def test_translation_table(exc: BaseException, kind: ErrorKind, remedy_part: str) -> None:
    error = translate(exc, operation="CreateEmailIdentityPolicy", profile="dev", region="eu-west-1")
    assert error.kind is kind
    assert remedy_part.lower() in error.remedy.lower()
    assert error.message and "\n" not in error.message and "\n" not in error.remedy
    assert "<" not in error.message  # HTML bodies never reach the screen


def test_throttling_is_retryable_and_access_denied_is_not() -> None:
    assert translate(client_error("TooManyRequestsException", "slow down", 429)).retryable
    assert not translate(client_error("AccessDenied", "no", 403)).retryable


def test_already_translated_errors_pass_through() -> None:
    original = AwsError(ErrorKind.NOT_FOUND, "gone", "look elsewhere")
    assert translate(original) is original


def test_message_rejected_in_the_wrong_region() -> None:
    exc = client_error(
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        "US-WEST-2: app@example.com",
    )
    error = translate(exc, expected_region="eu-west-1", sender="app@example.com")
    assert error.kind is ErrorKind.WRONG_REGION
    assert "eu-west-1" in error.remedy


def test_message_rejected_for_a_sandbox_recipient() -> None:
    exc = client_error(
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        "EU-WEST-1: someone@gmail.com",
    )
    error = translate(exc, expected_region="eu-west-1", sender="app@example.com")
    assert error.kind is ErrorKind.SANDBOX_RECIPIENT
    assert "simulator" in error.remedy and "production access" in error.remedy


def test_message_rejected_for_the_sender_explains_all_causes() -> None:
    exc = client_error(
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        "EU-WEST-1: app@example.com, example.com",
    )
    error = translate(exc, expected_region="eu-west-1", sender="app@example.com")
    assert error.kind is ErrorKind.MESSAGE_REJECTED
    assert "identity policy" in error.remedy and "owner's region" in error.remedy


def test_credentials_never_reach_messages() -> None:
    text = (
        "bad key AKIAIOSFODNN7EXAMPLE "
        "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    cleaned = redact(text)
    assert "AKIAIOSFODNN7EXAMPLE" not in cleaned and "wJalrXUtnFEMI" not in cleaned
    error = translate(client_error("InvalidClientTokenId", text, 403))
    assert "AKIAIOSFODNN7EXAMPLE" not in str(error) and "wJalrXUtnFEMI" not in str(error)


def test_long_messages_are_cut_to_one_line() -> None:
    error = translate(client_error("BadRequestException", "x\n" * 500))
    assert len(error.message) < 400 and "\n" not in error.message


def test_unreachable_endpoint_for_real(tmp_path: Path) -> None:
    # Port 9 on loopback refuses at once: a real EndpointConnectionError, no waiting.
    session = AwsSession.from_credentials(
        "testing",
        "testing",
        region="eu-west-1",
        endpoint_url="http://127.0.0.1:9",
        settings=ClientSettings(max_attempts=1, connect_timeout=1, read_timeout=1),
    )
    with pytest.raises(AwsError) as info:
        session.caller_identity()
    assert info.value.kind is ErrorKind.ENDPOINT_UNREACHABLE
    assert info.value.action == "GetCallerIdentity"


def test_no_credentials_for_real() -> None:
    session = AwsSession.from_profile(None, "eu-west-1", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(AwsError) as info:
        session.caller_identity()
    assert info.value.kind is ErrorKind.NO_CREDENTIALS


def test_expired_sso_profile_says_which_login_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile sso-dev]\n"
        "sso_start_url = https://example.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
        "sso_account_id = 111122223333\n"
        "sso_role_name = Admin\n"
        "region = eu-west-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("HOME", str(tmp_path))  # an empty SSO token cache
    session = AwsSession.from_profile("sso-dev", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(AwsError) as info:
        session.caller_identity()
    assert info.value.kind is ErrorKind.EXPIRED_CREDENTIALS
    assert "`aws sso login --profile sso-dev`" in info.value.remedy


def test_unknown_profile() -> None:
    with pytest.raises(AwsError) as info:
        AwsSession.from_profile("nope", "eu-west-1")
    assert info.value.kind is ErrorKind.PROFILE_NOT_FOUND
    assert "'nope'" in info.value.message


@pytest.mark.parametrize("code", ["NotImplemented", "UnknownOperationException", "InvalidAction"])
def test_a_call_the_endpoint_lacks_is_unsupported_not_an_aws_outage(code: str) -> None:
    error = translate(client_error(code, "no such call here", 501, "ValidatePolicy"))
    assert error.kind is ErrorKind.UNSUPPORTED_OPERATION
    assert "ValidatePolicy" in error.message and "internal error" not in error.message.lower()
    assert not error.retryable

"""botocore exceptions that are not ClientError -> AwsError: no AWS answer to read."""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.aws.error_types import AwsError, ErrorKind, one_line, sso_remedy


def from_botocore(
    exc: BaseException,
    names: set[str],
    *,
    operation: str | None,
    profile: str | None,
    region: str | None,
) -> AwsError:
    base: dict[str, Any] = {"action": operation, "region": region, "profile": profile}
    text = one_line(str(exc))
    kwargs: dict[str, Any] = getattr(exc, "kwargs", {}) or {}
    if names & {
        "UnauthorizedSSOTokenError",
        "SSOTokenLoadError",
        "TokenRetrievalError",
        "PendingAuthorizationExpiredError",
        "SSOError",
    }:
        return AwsError(
            ErrorKind.EXPIRED_CREDENTIALS,
            "The SSO session has expired or was never started"
            + (f" for profile {profile}." if profile else "."),
            sso_remedy(profile),
            **base,
        )
    if "NoCredentialsError" in names or "PartialCredentialsError" in names:
        return AwsError(
            ErrorKind.NO_CREDENTIALS,
            "No AWS credentials were found" + (f" for profile {profile}." if profile else "."),
            "Pick a profile from ~/.aws/config (`aws configure` or `aws configure sso`), "
            "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
            **base,
        )
    if "CredentialRetrievalError" in names:
        return AwsError(
            ErrorKind.NO_CREDENTIALS,
            f"The credential source failed: {one_line(str(kwargs.get('error_msg', text)))}",
            "Check the credential_process, role_arn or source_profile settings"
            + (f" of profile {profile}." if profile else "."),
            **base,
        )
    if "ProfileNotFound" in names:
        name = kwargs.get("profile") or profile
        return AwsError(
            ErrorKind.PROFILE_NOT_FOUND,
            f"The AWS profile {name!r} is not in the AWS config or credentials file.",
            "Pick one of the listed profiles, or create it with `aws configure --profile NAME`.",
            **base,
        )
    if "NoRegionError" in names:
        return AwsError(
            ErrorKind.NO_REGION,
            "No AWS region was chosen.",
            "Pick an SES region, or set `region` in the profile.",
            **base,
        )
    if names & {"ConfigParseError", "InvalidConfigError", "ConfigNotFound"}:
        return AwsError(
            ErrorKind.INVALID_CONFIG,
            f"The AWS configuration could not be read: {text}",
            "Fix the file named in the message (~/.aws/config or ~/.aws/credentials).",
            **base,
        )
    if names & {"ParamValidationError", "InvalidRegionError", "ValidationError"}:
        first = text.replace("Parameter validation failed:", "").strip()
        return AwsError(
            ErrorKind.INVALID_INPUT,
            f"Invalid request{f' for {operation}' if operation else ''}: {first}",
            "Correct the value named in the message.",
            **base,
        )
    if names & {"ReadTimeoutError", "ConnectTimeoutError"}:
        return AwsError(
            ErrorKind.ENDPOINT_UNREACHABLE,
            f"The AWS endpoint did not answer in time: {text}",
            "Check the network, proxy and VPN, then retry.",
            retryable=True,
            code=type(exc).__name__,  # tells a request never sent from one maybe carried out
            **base,
        )
    if names & {
        "EndpointConnectionError",
        "ConnectionClosedError",
        "ProxyConnectionError",
        "SSLError",
        "ConnectionError",
        "HTTPClientError",
    }:
        return AwsError(
            ErrorKind.ENDPOINT_UNREACHABLE,
            f"Could not reach the AWS endpoint: {text}",
            "Check the network, proxy and any endpoint URL override, and that the region "
            "offers this service.",
            retryable=True,
            code=type(exc).__name__,
            **base,
        )
    if "ResponseParserError" in names:
        return AwsError(
            ErrorKind.UNEXPECTED_RESPONSE,
            f"The endpoint sent a response that is not an AWS answer"
            f"{f' to {operation}' if operation else ''}.",
            "The offline sandbox or emulator may lack this call; against AWS, check the "
            "endpoint URL and any proxy.",
            **base,
        )
    if "UnknownServiceError" in names or "DataNotFoundError" in names:
        return AwsError(
            ErrorKind.UNEXPECTED,
            f"This botocore lacks a needed service model: {text}",
            "Upgrade boto3 and botocore (`pip install -U boto3`).",
            **base,
        )
    if "BotoCoreError" in names:
        return AwsError(
            ErrorKind.UNEXPECTED,
            f"AWS SDK error: {text}",
            "Retry; if it persists, report it with the message above.",
            **base,
        )
    return AwsError(
        ErrorKind.UNEXPECTED,
        f"Unexpected error{f' in {operation}' if operation else ''}: {type(exc).__name__}: {text}",
        "Retry; if it persists, report it with the message above.",
        **base,
    )

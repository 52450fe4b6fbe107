"""ClientError -> AwsError: AWS answered, with an error code and message."""

from __future__ import annotations

import re
from typing import Any

from sesdmarc_tui.aws import _error_codes as codes
from sesdmarc_tui.aws.error_types import (
    AwsError,
    ErrorKind,
    iam_action,
    one_line,
    refresh_remedy,
)

_NOT_AUTHORIZED = re.compile(
    r"(?:User|Principal):\s*(?P<principal>\S+)\s+is not authorized to perform:\s*"
    r"(?P<action>[\w-]+:[\w*]+)"
    r"(?:\s+on resource:\s*(?P<resource>[^\s,]+))?"
    r"(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_NOT_VERIFIED = re.compile(
    r"identities failed the check in region\s+(?P<region>[A-Za-z0-9-]+)\s*:\s*(?P<ids>.*)",
    re.IGNORECASE | re.DOTALL,
)


def from_client_error(
    exc: BaseException,
    *,
    operation: str | None,
    service: str | None,
    profile: str | None,
    region: str | None,
    expected_region: str | None,
    sender: str | None,
) -> AwsError:
    response: dict[str, Any] = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    code = str(error.get("Code") or "Unknown")
    raw_message = str(error.get("Message") or "")
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    status = int(status) if status is not None else None
    op = operation or getattr(exc, "operation_name", None)
    message = one_line(raw_message) or code
    base: dict[str, Any] = {
        "action": op,
        "code": code,
        "http_status": status,
        "region": region,
        "profile": profile,
    }
    where = f" in {region}" if region else ""

    if code in codes.ACCESS_DENIED:
        return _access_denied(raw_message, service=service, **base)
    if code in codes.EXPIRED:
        return AwsError(
            ErrorKind.EXPIRED_CREDENTIALS,
            f"The credentials have expired ({op or code}).",
            refresh_remedy(profile),
            **base,
        )
    if code in codes.INVALID_CREDS:
        return AwsError(
            ErrorKind.INVALID_CREDENTIALS,
            f"AWS did not accept the credentials: {message}",
            _invalid_remedy(profile),
            **base,
        )
    if code in codes.THROTTLED:
        return AwsError(
            ErrorKind.THROTTLED,
            f"AWS throttled {op or 'the request'}{where}: {message}",
            "Wait a little and retry; SES allows about one management call per second.",
            retryable=True,
            **base,
        )
    if code == "MessageRejected":
        return _message_rejected(raw_message, expected_region, sender, **base)
    if code == "MailFromDomainNotVerifiedException":
        return AwsError(
            ErrorKind.MAIL_FROM_NOT_VERIFIED,
            f"SES rejected the send: the custom MAIL FROM domain is not verified{where}.",
            "Publish the MAIL FROM MX and SPF records and wait for SUCCESS, or set "
            "BehaviorOnMxFailure to USE_DEFAULT_VALUE.",
            **base,
        )
    if code == "AccountSuspendedException":
        return AwsError(
            ErrorKind.ACCOUNT_SUSPENDED,
            f"SES sending is suspended for this account{where}: {message}",
            "Check the account's reputation dashboard in the SES console and contact AWS Support.",
            **base,
        )
    if code == "SendingPausedException":
        return AwsError(
            ErrorKind.SENDING_PAUSED,
            f"Sending is paused for this account or configuration set{where}: {message}",
            "Re-enable sending (PutAccountSendingAttributes or the configuration set), then retry.",
            **base,
        )
    if code == "AWSOrganizationsNotInUseException":
        return AwsError(
            ErrorKind.NOT_IN_ORGANIZATION,
            "This account is not a member of an AWS Organization.",
            "Type the organization, root and OU IDs by hand, or use a profile of the "
            "management account.",
            **base,
        )
    if code == "RegionDisabledException":
        return AwsError(
            ErrorKind.REGION_DISABLED,
            f"STS is not activated{where} for this account: {message}",
            "Activate the region for STS in IAM account settings, or use another region.",
            **base,
        )
    if code in codes.NOT_FOUND:
        return AwsError(
            ErrorKind.NOT_FOUND,
            f"Not found ({op or code}{where}): {message}",
            "Check the name or ID, the account and the region.",
            **base,
        )
    if code in codes.ALREADY_EXISTS:
        return AwsError(
            ErrorKind.ALREADY_EXISTS,
            f"Already exists ({op or code}{where}): {message}",
            "Adopt the existing resource or pick another name.",
            **base,
        )
    if code in codes.LIMIT:
        return AwsError(
            ErrorKind.LIMIT_EXCEEDED,
            f"An AWS limit was reached ({op or code}{where}): {message}",
            _limit_remedy(op),
            **base,
        )
    if code in codes.CONFLICT:
        return AwsError(
            ErrorKind.CONFLICT,
            f"Another change to the same resource is in progress ({op or code}): {message}",
            "Wait a few seconds and retry.",
            retryable=True,
            **base,
        )
    if code in codes.INVALID_INPUT:
        return AwsError(
            ErrorKind.INVALID_INPUT,
            f"AWS refused the request ({op or code}): {message}",
            "Correct the value named in the message and retry.",
            **base,
        )
    if code in codes.UNSUPPORTED:
        return AwsError(
            ErrorKind.UNSUPPORTED_OPERATION,
            f"The endpoint does not implement {op or code}: {message}",
            "The offline sandbox or emulator lacks this call; against AWS, check the endpoint URL.",
            **base,
        )
    if code.isdigit() or _looks_like_html(raw_message):
        # No AWS error body at all: an emulator without this call, or a proxy in the way.
        return _bare_http_status(code, raw_message, status, **base)
    if code in codes.SERVER or (status is not None and status >= 500):
        return AwsError(
            ErrorKind.SERVICE_ERROR,
            f"AWS had an internal error ({op or code}{where}): {message}",
            "Retry in a moment; if it persists, check the AWS Health Dashboard.",
            retryable=True,
            **base,
        )
    return AwsError(
        ErrorKind.SERVICE_ERROR,
        f"{op or 'The call'} failed with {code}: {message}",
        "Check the message above; retry once the cause is fixed.",
        **base,
    )


def _invalid_remedy(profile: str | None) -> str:
    # An expired or revoked session token is refused as "invalid" by several services
    # (UnrecognizedClientException), so the SSO login comes first, then the static keys.
    if profile and profile != "environment":
        return (
            f"If profile {profile} uses SSO or temporary credentials, run "
            f"`aws sso login --profile {profile}` (or renew them); otherwise check its access "
            f"key (`aws configure --profile {profile}`)."
        )
    return (
        "Renew the temporary credentials in the environment (or pick a profile), or check "
        "the access key and that the session token is complete."
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype") or head.startswith("<html") or "<title>" in head


def _bare_http_status(
    raw_code: str, raw_message: str, status: int | None, /, **base: Any
) -> AwsError:
    http = status or (int(raw_code) if raw_code.isdigit() else None)
    op = base.get("action") or "this call"
    if http in (404, 501) or "not yet implemented" in raw_message.lower():
        return AwsError(
            ErrorKind.UNSUPPORTED_OPERATION,
            f"The endpoint does not implement {op} (HTTP {http}).",
            "The offline sandbox or emulator lacks this call; against AWS, check the endpoint URL.",
            **base,
        )
    return AwsError(
        ErrorKind.UNEXPECTED_RESPONSE,
        f"The endpoint answered {op} with HTTP {http} and no AWS error body.",
        "Check the endpoint URL and any proxy between you and AWS.",
        retryable=http is not None and http >= 500,
        **base,
    )


def _limit_remedy(operation: str | None) -> str:
    if operation in ("CreateEmailIdentityPolicy", "UpdateEmailIdentityPolicy"):
        return "An SES identity holds at most 20 policies: delete one you no longer need."
    if operation == "CreateEmailIdentity":
        return "SES allows 10,000 identities per region: delete unused ones or ask AWS Support."
    if operation == "SendEmail":
        return "The sending quota or rate is used up: wait, or request a higher quota."
    return "Remove unused resources or request a quota increase in Service Quotas."


def _access_denied(raw_message: str, *, service: str | None, **base: Any) -> AwsError:
    op = base.get("action")
    match = _NOT_AUTHORIZED.search(raw_message)
    principal = match.group("principal") if match else None
    action = match.group("action") if match else iam_action(service, op)
    resource = match.group("resource") if match else None
    rest = (match.group("rest") if match else raw_message).lower()
    what = action or "this action"
    on = f" on {resource}" if resource else ""
    who = f" to {principal}" if principal else " to the caller"
    message = f"Access denied: {principal or 'the caller'} may not {what}{on}."
    if "explicit deny" in rest:
        source = "a service control policy" if "service control policy" in rest else "a policy"
        return AwsError(
            ErrorKind.EXPLICIT_DENY,
            message,
            f"An explicit deny in {source} blocks {what}{on}: ask an administrator to lift it.",
            **base,
        )
    if "resource-based policy" in rest and "identity-based" not in rest:
        remedy = f"Allow {what}{who} in the resource policy of {resource or 'the resource'}."
    else:
        remedy = f"Grant {what}{on or ' on the resource'}{who} in an IAM policy."
    return AwsError(ErrorKind.ACCESS_DENIED, message, remedy, **base)


_SENDER_REMEDY = (
    "Check that the domain is verified in {region} in the owner account, that the identity "
    "policy allows this sender's account, and that you send in the owner's region (in the "
    "sandbox, recipients must be verified too)."
)


def _message_rejected(
    raw_message: str, expected_region: str | None, sender: str | None, **base: Any
) -> AwsError:
    match = _NOT_VERIFIED.search(raw_message)
    if not match and "not verified" in raw_message.lower():
        # Same refusal without the region/identity list (older endpoints, emulators).
        return AwsError(
            ErrorKind.MESSAGE_REJECTED,
            f"SES did not accept the sender: {one_line(raw_message)}",
            _SENDER_REMEDY.format(region=expected_region or "the owner's region"),
            **base,
        )
    if not match:
        return AwsError(
            ErrorKind.MESSAGE_REJECTED,
            f"SES rejected the message: {one_line(raw_message)}",
            "Fix what the message names and send again.",
            **base,
        )
    region = match.group("region").lower()
    failed = [i.strip().strip(".").lower() for i in match.group("ids").split(",") if i.strip()]
    shown = ", ".join(failed) or "(none listed)"
    if expected_region and region != expected_region.lower():
        return AwsError(
            ErrorKind.WRONG_REGION,
            f"SES in {region} rejected {shown}: the identity is verified in {expected_region}.",
            f"Send in {expected_region}, the region where the owner verified the identity.",
            **base,
        )
    sender_l = (sender or "").lower()
    sender_domain = sender_l.rpartition("@")[2]
    sender_failed = not sender_l or any(
        f in (sender_l, sender_domain) or sender_domain.endswith("." + f) for f in failed
    )
    if not sender_failed:
        return AwsError(
            ErrorKind.SANDBOX_RECIPIENT,
            f"SES in {region} rejected the recipients {shown}: the account is in the sandbox.",
            "In the sandbox, send only to verified addresses or the mailbox simulator "
            "(success@simulator.amazonses.com), or request production access.",
            **base,
        )
    return AwsError(
        ErrorKind.MESSAGE_REJECTED,
        f"SES in {region} did not accept {shown} as a sender identity.",
        _SENDER_REMEDY.format(region=region),
        **base,
    )

"""The typed error every AWS adapter raises, and the text helpers that keep its message safe.

Split from ``errors`` so that the per-exception mappings can import these without a cycle.
"""

from __future__ import annotations

import re
from enum import StrEnum

MAX_MESSAGE = 300


class ErrorKind(StrEnum):
    ACCESS_DENIED = "access_denied"
    EXPLICIT_DENY = "explicit_deny"
    EXPIRED_CREDENTIALS = "expired_credentials"
    INVALID_CREDENTIALS = "invalid_credentials"
    NO_CREDENTIALS = "no_credentials"
    PROFILE_NOT_FOUND = "profile_not_found"
    INVALID_CONFIG = "invalid_config"
    NO_REGION = "no_region"
    REGION_DISABLED = "region_disabled"
    THROTTLED = "throttled"
    NOT_FOUND = "not_found"
    ALREADY_EXISTS = "already_exists"
    LIMIT_EXCEEDED = "limit_exceeded"
    CONFLICT = "conflict"
    INVALID_INPUT = "invalid_input"
    WRONG_REGION = "wrong_region"
    ENDPOINT_UNREACHABLE = "endpoint_unreachable"
    SERVICE_ERROR = "service_error"
    UNSUPPORTED_OPERATION = "unsupported_operation"
    UNEXPECTED_RESPONSE = "unexpected_response"
    MESSAGE_REJECTED = "message_rejected"
    MAIL_FROM_NOT_VERIFIED = "mail_from_not_verified"
    SANDBOX_RECIPIENT = "sandbox_recipient"
    ACCOUNT_SUSPENDED = "account_suspended"
    SENDING_PAUSED = "sending_paused"
    NOT_IN_ORGANIZATION = "not_in_organization"
    UNEXPECTED = "unexpected"


class AwsError(Exception):
    """A failed AWS call, ready to show: ``message`` says what happened, ``remedy`` what to do."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        remedy: str = "",
        *,
        action: str | None = None,
        code: str | None = None,
        http_status: int | None = None,
        retryable: bool = False,
        region: str | None = None,
        profile: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.remedy = remedy
        self.action = action
        self.code = code
        self.http_status = http_status
        self.retryable = retryable
        self.region = region
        self.profile = profile

    def __str__(self) -> str:
        return f"{self.message} {self.remedy}".strip()

    def as_dict(self) -> dict[str, object]:
        """For ``--json`` output and the audit log (never holds credentials: see ``redact``)."""
        return {
            "kind": self.kind.value,
            "action": self.action,
            "message": self.message,
            "remedy": self.remedy,
            "code": self.code,
            "retryable": self.retryable,
            "region": self.region,
        }

    def __repr__(self) -> str:
        return f"AwsError({self.kind.value!r}, {self.message!r}, action={self.action!r})"


# Service name (boto3) -> IAM action prefix, for "grant <prefix>:<Operation>" remedies.
IAM_PREFIX = {
    "sesv2": "ses",
    "ses": "ses",
    "accessanalyzer": "access-analyzer",
    "organizations": "organizations",
    "route53": "route53",
    "sts": "sts",
}

_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AGPA)[A-Z0-9]{12,}\b")
_SECRET_ASSIGN = re.compile(
    r"(?i)(aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken|"
    r"x-amz-security-token|signature)(\s*[=:]\s*)\S+"
)
_HTML = re.compile(r"<[^>]+>")


def redact(text: str) -> str:
    """Remove anything that looks like a credential before a message is shown or logged."""
    text = _SECRET_ASSIGN.sub(r"\1\2<redacted>", text)
    return _KEY_ID.sub("<access-key-id>", text)


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse an AWS message (sometimes multi-line, sometimes HTML) into one short line."""
    text = _HTML.sub(" ", text)
    text = " ".join(redact(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def iam_action(service: str | None, operation: str | None) -> str | None:
    if not operation:
        return None
    if ":" in operation:
        return operation
    prefix = IAM_PREFIX.get(service or "", service)
    return f"{prefix}:{operation}" if prefix else operation


def sso_remedy(profile: str | None) -> str:
    if profile and profile != "environment":
        return f"Run `aws sso login --profile {profile}`, then try again."
    return "Run `aws sso login` for the profile in use, then try again."


def refresh_remedy(profile: str | None) -> str:
    if profile and profile != "environment":
        return (
            f"Refresh the credentials of profile {profile} (for SSO: "
            f"`aws sso login --profile {profile}`), then try again."
        )
    return "Refresh the temporary credentials in the environment (or pick a profile), then retry."

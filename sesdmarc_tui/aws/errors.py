"""One translation layer from boto3/botocore failures to a typed error with a one-line remedy.

Every adapter call goes through :func:`translate`, so the front ends only ever see
:class:`AwsError` and can show ``message`` and ``remedy`` without knowing botocore.
botocore is never imported here: exceptions are recognised by class name along the MRO, which
keeps ``import sesdmarc_tui.aws.errors`` cheap and also covers ``ResponseParserError``, which
does not derive from ``BotoCoreError``.
"""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.aws._botocore_errors import from_botocore
from sesdmarc_tui.aws._client_errors import from_client_error
from sesdmarc_tui.aws.error_types import (
    IAM_PREFIX,
    AwsError,
    ErrorKind,
    iam_action,
    one_line,
    redact,
)

__all__ = [
    "IAM_PREFIX",
    "AwsError",
    "ErrorKind",
    "client_error_code",
    "iam_action",
    "one_line",
    "redact",
    "translate",
]


def _class_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def translate(
    exc: BaseException,
    *,
    operation: str | None = None,
    service: str | None = None,
    profile: str | None = None,
    region: str | None = None,
    expected_region: str | None = None,
    sender: str | None = None,
) -> AwsError:
    """Turn any exception raised around a boto3 call into an :class:`AwsError`.

    ``operation`` is the API operation (``CreateEmailIdentity``) and ``service`` the boto3
    service name, used for the IAM prefix in remedies. ``expected_region`` and ``sender`` let a
    ``MessageRejected`` on a send tell a wrong region from a sandbox recipient.
    """
    if isinstance(exc, AwsError):
        return exc
    names = _class_names(exc)
    if "ClientError" in names:
        return from_client_error(
            exc,
            operation=operation,
            service=service,
            profile=profile,
            region=region,
            expected_region=expected_region,
            sender=sender,
        )
    return from_botocore(exc, names, operation=operation, profile=profile, region=region)


def client_error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ``ClientError`` (None for anything else)."""
    if "ClientError" not in _class_names(exc):
        return None
    response: dict[str, Any] = getattr(exc, "response", None) or {}
    code = (response.get("Error") or {}).get("Code")
    return str(code) if code is not None else None

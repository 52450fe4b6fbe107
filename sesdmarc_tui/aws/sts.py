"""STS helpers for delegate sessions: checking an AssumeRole request and fetching credentials.

``AwsSession.assume_role`` is the entry point; this module keeps the validation (STS checks
none of these patterns client-side, and a typo would otherwise surface as a vague
AccessDenied) and the credential fetch that the session re-runs before expiry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sesdmarc_tui.aws._boto import new_boto3_session
from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.core.policy.arns import validate_role_arn
from sesdmarc_tui.core.policy.errors import PolicyInputError

EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
SESSION_NAME_RE = re.compile(r"^[\w+=,.@-]{2,64}$")
# Renew assumed-role credentials this long before they expire, so no call races the expiry.
RENEW_MARGIN_SECONDS = 300.0
DEFAULT_DELEGATE_ROLE = "OrganizationAccountAccessRole"

CallFn = Callable[..., Any]


def role_arn_for(account_id: str, role_name: str = DEFAULT_DELEGATE_ROLE) -> str:
    """``arn:aws:iam::<account>:role/<name>``: the role Organizations creates in new accounts."""
    return f"arn:aws:iam::{account_id}:role/{role_name}"


def check_role_request(
    role_arn: str, external_id: str | None, session_name: str
) -> tuple[str, str]:
    """Return ``(role_arn, account_id)`` or raise ``AwsError(invalid_input)`` saying what is off."""
    try:
        principal = validate_role_arn(role_arn)
    except PolicyInputError as exc:
        raise AwsError(ErrorKind.INVALID_INPUT, exc.message, exc.hint) from None
    if external_id is not None and not EXTERNAL_ID_RE.match(external_id):
        raise AwsError(
            ErrorKind.INVALID_INPUT,
            "The external ID must be 2 to 1224 characters: letters, digits and +=,.@:/-_.",
            "Copy the external ID exactly as the role's trust policy states it.",
        )
    if not SESSION_NAME_RE.match(session_name):
        raise AwsError(
            ErrorKind.INVALID_INPUT,
            f"{session_name!r} is not a valid role session name.",
            "Use 2 to 64 letters, digits or +=,.@-_.",
        )
    return principal.to_string(), principal.account_id


def role_credentials_fetcher(
    call: CallFn,
    role_arn: str,
    *,
    region: str,
    external_id: str | None = None,
    session_name: str = "sesdmarc",
    duration_seconds: int | None = None,
) -> Callable[[], tuple[Any, float | None]]:
    """A function that assumes the role through ``call`` (``AwsSession.call`` of the source
    session) and returns ``(boto3.Session, expiry epoch seconds)``."""
    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": session_name}
    if external_id is not None:
        params["ExternalId"] = external_id
    if duration_seconds is not None:
        params["DurationSeconds"] = duration_seconds

    def fetch() -> tuple[Any, float | None]:
        try:
            creds = call("sts", "AssumeRole", "assume_role", **params)["Credentials"]
        except AwsError as error:
            if error.kind is ErrorKind.ACCESS_DENIED:
                error.remedy += (
                    f" Also check that the trust policy of {role_arn} lets this principal"
                    + (" (with this external ID)" if external_id else "")
                    + " assume it."
                )
            raise
        expiration = creds.get("Expiration")
        boto = new_boto3_session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=region,
        )
        return boto, expiration.timestamp() if expiration is not None else None

    return fetch

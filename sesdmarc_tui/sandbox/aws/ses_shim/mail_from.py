"""PutEmailIdentityMailFromAttributes, which moto 5.2.5 does not implement (ses-api.md s12).

Validation is SES's (ses-api.md s2): the MAIL FROM domain must be a subdomain of the
identity's domain, and ``BehaviorOnMxFailure`` one of the two v2 values (botocore checks no
enums). Every PUT starts a new verification, as restarting the setup does at SES; omitting
``MailFromDomain`` turns custom MAIL FROM off. The status itself is read from the MX record in
``status.mail_from_status`` whenever the identity is read or used to send.
"""

from __future__ import annotations

from sesdmarc_tui.core.names import DomainError, is_subdomain, normalize_domain
from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, ShimError, json_response
from sesdmarc_tui.sandbox.aws.ses_shim.identities import BEHAVIORS, MailFrom
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call
from sesdmarc_tui.sandbox.aws.ses_shim.verification import Verification


def _mail_from_domain(value: object, identity_domain: str) -> str:
    try:
        domain = normalize_domain(str(value), min_labels=2)
    except DomainError:
        raise ShimError(
            400, "BadRequestException", f"Invalid MAIL FROM domain: {value!r}."
        ) from None
    if not is_subdomain(domain, identity_domain, strict=True):
        raise ShimError(
            400,
            "BadRequestException",
            f"Provided MAIL-FROM domain '{domain}' is not subdomain of the domain of the "
            f"identity '{identity_domain}'.",
        )
    return domain


def put(call: Call, name: str) -> Response:
    state = call.state
    identity = state.identities.require(call.caller.account, call.caller.region, name)
    body = call.request.json()
    behavior = body.get("BehaviorOnMxFailure") or "USE_DEFAULT_VALUE"
    if behavior not in BEHAVIORS:
        raise ShimError(
            400,
            "BadRequestException",
            f"Invalid BehaviorOnMxFailure: {behavior!r} (USE_DEFAULT_VALUE or REJECT_MESSAGE).",
        )
    requested = body.get("MailFromDomain")
    domain = _mail_from_domain(requested, identity.domain) if requested else None
    with state.identities.lock:
        identity.mx_failure_behavior = behavior
        identity.mail_from = (
            MailFrom(domain, Verification(state.now(), state.window)) if domain else None
        )
    return json_response({})

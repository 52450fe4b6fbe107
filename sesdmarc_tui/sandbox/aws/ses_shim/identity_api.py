"""SES v2 identity calls: Create, Get, Delete, List, DKIM signing on/off, Easy DKIM restart.

Responses follow the SES v2 model (botocore 1.44.8): Easy DKIM with three tokens and a
``SigningHostedZone``, status computed from DNS on every read (``status``), and
``MailFromAttributes`` carrying only ``BehaviorOnMxFailure`` when no MAIL FROM is set, as real
SES answers (ses-api.md s1.3). Address identities count as verified at once: the sandbox
"clicks" the verification link that real SES would mail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sesdmarc_tui.core.regions import dkim_target_zone
from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, ShimError, json_response
from sesdmarc_tui.sandbox.aws.ses_shim.identities import (
    Identity,
    already_exists,
    canonical_identity,
)
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call, ShimState
from sesdmarc_tui.sandbox.aws.ses_shim.status import dkim_status, mail_from_status
from sesdmarc_tui.sandbox.aws.ses_shim.verification import Verification
from sesdmarc_tui.sandbox.dns.seed import dkim_key_name, publish_dkim_key
from sesdmarc_tui.sandbox.keys import DkimKey, random_token

KEY_BITS = {"RSA_1024_BIT": 1024, "RSA_2048_BIT": 2048}
DEFAULT_KEY_LENGTH = "RSA_2048_BIT"  # the SES default since 2023 (ses-api.md s1.1)


def _key_length(body: dict[str, Any], kind: str) -> str:
    signing = body.get("DkimSigningAttributes")
    if signing is None:
        return DEFAULT_KEY_LENGTH
    if kind != "DOMAIN" or not isinstance(signing, dict):
        raise ShimError(
            400, "BadRequestException", "DkimSigningAttributes apply to domain identities only."
        )
    if signing.get("DomainSigningSelector") or signing.get("DomainSigningPrivateKey"):
        raise ShimError(
            400,
            "BadRequestException",
            "The sandbox offers Easy DKIM only: omit DomainSigningSelector and "
            "DomainSigningPrivateKey (BYODKIM).",
        )
    length = signing.get("NextSigningKeyLength") or DEFAULT_KEY_LENGTH
    if length not in KEY_BITS:
        raise ShimError(400, "BadRequestException", f"Invalid NextSigningKeyLength: {length}.")
    return str(length)


def start_easy_dkim(state: ShimState, identity: Identity, length: str) -> None:
    """New tokens and key, published where the CNAME targets point, verification restarted."""
    unpublish(state, identity)
    identity.tokens = tuple(random_token() for _ in range(3))
    identity.signing_zone = dkim_target_zone(identity.region)
    identity.key_length = length
    # One key per identity, served under all three token names: only the first token signs.
    identity.key = DkimKey.generate(KEY_BITS[length])
    identity.dkim = Verification(state.now(), state.window)
    if state.store is not None:
        for token in identity.tokens:
            publish_dkim_key(
                state.store,
                token,
                identity.region,
                identity.key.public_b64,
                signing_hosted_zone=identity.signing_zone,
            )


def unpublish(state: ShimState, identity: Identity) -> None:
    if state.store is None:
        return
    for token in identity.tokens:
        state.store.delete_rrset(
            dkim_key_name(token, identity.region, identity.signing_zone), "TXT"
        )


def dkim_document(identity: Identity, status: str) -> dict[str, Any]:
    if identity.kind != "DOMAIN":
        return {"SigningEnabled": False, "Status": "NOT_STARTED"}
    return {
        "SigningEnabled": identity.signing_enabled,
        "Status": status,
        "Tokens": list(identity.tokens),
        "SigningHostedZone": identity.signing_zone,
        "SigningAttributesOrigin": "AWS_SES",
        "NextSigningKeyLength": identity.key_length,
        "CurrentSigningKeyLength": identity.key_length,
        "LastKeyGenerationTimestamp": identity.dkim.started if identity.dkim else identity.created,
    }


def verification_status(state: ShimState, identity: Identity) -> tuple[str, str | None]:
    """(VerificationStatus, ErrorType): a domain is verified by its DKIM records."""
    if identity.kind == "EMAIL_ADDRESS":
        return "SUCCESS", None
    with state.identities.lock:
        return dkim_status(identity, state.lookup, state.now())


def identity_document(state: ShimState, identity: Identity) -> dict[str, Any]:
    status, error = verification_status(state, identity)
    with state.identities.lock:
        mail_from = mail_from_status(identity, state.lookup, state.now())
    info: dict[str, Any] = {}
    if identity.dkim is not None:
        info = {"LastCheckedTimestamp": identity.dkim.last_checked}
        if identity.dkim.last_success is not None:
            info["LastSuccessTimestamp"] = identity.dkim.last_success
        if error is not None:
            info["ErrorType"] = error
    mail_from_doc: dict[str, Any] = {"BehaviorOnMxFailure": identity.mx_failure_behavior}
    if identity.mail_from is not None:
        mail_from_doc["MailFromDomain"] = identity.mail_from.domain
        mail_from_doc["MailFromDomainStatus"] = mail_from
    document: dict[str, Any] = {
        "IdentityType": identity.kind,
        "FeedbackForwardingStatus": True,
        "VerifiedForSendingStatus": status == "SUCCESS",
        "DkimAttributes": dkim_document(identity, status),
        "MailFromAttributes": mail_from_doc,
        "Policies": dict(identity.policies),
        "Tags": [],
        "VerificationStatus": status,
        "VerificationInfo": info,
    }
    if identity.configuration_set:
        document["ConfigurationSetName"] = identity.configuration_set
    return document


def create(call: Call) -> Response:
    state, caller = call.state, call.caller
    body = call.request.json()
    name, kind = canonical_identity(body.get("EmailIdentity"))
    length = _key_length(body, kind)
    identity = Identity(caller.account, caller.region, name, kind, state.now())
    identity.configuration_set = body.get("ConfigurationSetName") or None
    if state.identities.get(caller.account, caller.region, name) is not None:
        raise already_exists(name)  # before paying for a key
    if kind == "DOMAIN":
        start_easy_dkim(state, identity, length)
    try:
        state.identities.add(identity)
    except ShimError:
        unpublish(state, identity)  # another request created it while our key was made
        raise
    return json_response(
        {
            "IdentityType": kind,
            "VerifiedForSendingStatus": kind == "EMAIL_ADDRESS",
            "DkimAttributes": dkim_document(identity, "PENDING"),
        }
    )


def get(call: Call, name: str) -> Response:
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    return json_response(identity_document(call.state, identity))


def delete(call: Call, name: str) -> Response:
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    call.state.identities.remove(identity)
    unpublish(call.state, identity)
    return json_response({})


def put_signing(call: Call, name: str) -> Response:
    """PutEmailIdentityDkimSigningAttributes with ``AWS_SES``: restart Easy DKIM, new tokens."""
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    body = call.request.json()
    origin = body.get("SigningAttributesOrigin")
    if identity.kind != "DOMAIN" or origin != "AWS_SES":
        raise ShimError(
            400,
            "BadRequestException",
            "The sandbox restarts Easy DKIM of domain identities only "
            "(SigningAttributesOrigin AWS_SES).",
        )
    attributes = body.get("SigningAttributes") or {}
    length = attributes.get("NextSigningKeyLength") or identity.key_length
    if length not in KEY_BITS:
        raise ShimError(400, "BadRequestException", f"Invalid NextSigningKeyLength: {length}.")
    with call.state.identities.lock:
        start_easy_dkim(call.state, identity, str(length))
    return json_response(
        {
            "DkimStatus": "PENDING",
            "DkimTokens": list(identity.tokens),
            "SigningHostedZone": identity.signing_zone,
        }
    )


def put_dkim(call: Call, name: str) -> Response:
    """PutEmailIdentityDkimAttributes: turn DKIM signing of the identity's mail on or off."""
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    enabled = call.request.json().get("SigningEnabled")
    if identity.kind != "DOMAIN" or not isinstance(enabled, bool):
        raise ShimError(
            400, "BadRequestException", f"Domain {identity.name} is not verified for DKIM signing."
        )
    with call.state.identities.lock:
        identity.signing_enabled = enabled
    return json_response({})


_FILTERS: dict[str, Callable[[Identity, str, str], bool]] = {
    "IDENTITY_TYPE": lambda identity, status, value: identity.kind == value,
    "VERIFICATION_STATUS": lambda identity, status, value: status == value,
    "IDENTITY_NAME_CONTAINS": lambda identity, status, value: (
        str(value).lower() in identity.name.lower()
    ),
}


def list_identities(call: Call) -> Response:
    state = call.state
    body = call.request.json() if call.request.method == "POST" else {}
    query = call.request.query
    filters = body.get("Filter") or {}
    size = int(body.get("PageSize") or (query.get("PageSize") or ["1000"])[0] or 1000)
    start = int(body.get("NextToken") or (query.get("NextToken") or ["0"])[0] or 0)
    rows = []
    for identity in state.identities.in_account(call.caller.account, call.caller.region):
        status, _ = verification_status(state, identity)
        if all(_FILTERS[k](identity, status, v) for k, v in filters.items() if k in _FILTERS):
            rows.append(
                {
                    "IdentityType": identity.kind,
                    "IdentityName": identity.name,
                    "SendingEnabled": status == "SUCCESS",
                    "VerificationStatus": status,
                }
            )
    page: dict[str, Any] = {"EmailIdentities": rows[start : start + size]}
    if start + size < len(rows):
        page["NextToken"] = str(start + size)
    return json_response(page)

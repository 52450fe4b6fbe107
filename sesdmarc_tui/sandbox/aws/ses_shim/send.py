"""SendEmail (v2) with the checks SES makes and moto skips (ses-api.md s4, s8, s12).

In order: the sender identity (the ARN's, or the most specific one covering From in the
caller's own account) must exist and be verified in the owner's account and the caller's
region; a caller other than the owner must be allowed by the identity's policies, evaluated by
``core.policy.evaluate`` with the caller's real organization path; while the caller or the
owner is in the SES sandbox every recipient must be verified (or the mailbox simulator); then
the daily quota and a MAIL FROM set to REJECT_MESSAGE. Refusals carry SES's error codes and,
where SES's wording is known, its message ("Email address is not verified. The following
identities failed the check in region US-EAST-1: ...").
"""

from __future__ import annotations

import base64
import binascii
from email.utils import parseaddr
from typing import Any

from sesdmarc_tui.core.policy import PolicyInputError, SendRequest, evaluate, parse_identity_arn
from sesdmarc_tui.sandbox.aws.ses_shim.delivery import deliver
from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, ShimError, json_response
from sesdmarc_tui.sandbox.aws.ses_shim.identities import Identity, canonical_identity
from sesdmarc_tui.sandbox.aws.ses_shim.identity_api import verification_status
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call, ShimState
from sesdmarc_tui.sandbox.compose import Outgoing, addresses

MAX_RECIPIENTS = 50
SIMULATOR_DOMAIN = "simulator.amazonses.com"


def not_verified(region: str, identities: list[str]) -> ShimError:
    listed = ", ".join(identities)
    return ShimError(
        400,
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        f"{region.upper()}: {listed}",
    )


def _bad(message: str) -> ShimError:
    return ShimError(400, "BadRequestException", message)


def _raw(content: dict[str, Any]) -> bytes:
    data = (content.get("Raw") or {}).get("Data")
    try:
        return base64.b64decode(str(data), validate=True)
    except (binascii.Error, ValueError):
        raise _bad("Content.Raw.Data is not base64-encoded message data.") from None


def parse_request(body: dict[str, Any]) -> Outgoing:
    content = body.get("Content") or {}
    if "Template" in content:
        raise _bad("The sandbox sends Simple and Raw content only, not templates.")
    raw = _raw(content) if "Raw" in content else None
    destination = body.get("Destination") or {}
    from_header = str(body.get("FromEmailAddress") or "")
    to, cc, bcc = (
        addresses(destination.get(k) or ()) for k in ("ToAddresses", "CcAddresses", "BccAddresses")
    )
    if raw is not None:
        from email.parser import BytesHeaderParser

        headers = BytesHeaderParser().parsebytes(raw)
        from_header = from_header or str(headers.get("From", ""))
        if not destination:
            to, cc = addresses(headers.get_all("To") or []), addresses(headers.get_all("Cc") or [])
    display, address = parseaddr(from_header)
    if "@" not in address:
        raise _bad("Missing or invalid FromEmailAddress.")
    simple = content.get("Simple") or {}
    if raw is None and not simple:
        raise _bad("Content must hold Simple, Raw or Template.")
    body_part = simple.get("Body") or {}
    outgoing = Outgoing(
        from_header=from_header,
        from_address=address,
        display_name=display or None,
        to=to,
        cc=cc,
        bcc=bcc,
        reply_to=addresses(body.get("ReplyToAddresses") or ()),
        subject=str((simple.get("Subject") or {}).get("Data", "")),
        text=(body_part.get("Text") or {}).get("Data"),
        html=(body_part.get("Html") or {}).get("Data"),
        raw=raw,
    )
    if not outgoing.recipients:
        raise _bad("The message has no recipients.")
    if len(outgoing.recipients) > MAX_RECIPIENTS:
        raise ShimError(400, "MessageRejected", f"Recipient count exceeds {MAX_RECIPIENTS}.")
    return outgoing


def is_verified(state: ShimState, identity: Identity) -> bool:
    return verification_status(state, identity)[0] == "SUCCESS"


def _authorized(state: ShimState, account: str, identity: Identity, out: Outgoing) -> bool:
    membership = state.membership_of(account)
    try:
        request = SendRequest(
            account_id=account,
            identity_arn=identity.arn,
            org_id=membership.org_id if membership else None,
            org_paths=membership.paths if membership else (),
            action=out.action,
            from_address=out.from_address,
            from_display_name=out.display_name,
        )
    except PolicyInputError:
        return False
    with state.identities.lock:
        policies = dict(identity.policies)
    return evaluate(policies, request).allowed


def sender_identity(call: Call, out: Outgoing, arn_text: object) -> Identity:
    state, caller = call.state, call.caller
    refused = not_verified(caller.region, [out.from_address])
    if not arn_text:
        for identity in state.identities.covering(caller.account, caller.region, out.from_address):
            if is_verified(state, identity):
                return identity
        raise refused
    try:
        arn = parse_identity_arn(str(arn_text))
    except PolicyInputError:
        raise _bad(f"Invalid FromEmailAddressIdentityArn: {arn_text!s}.") from None
    found = state.identities.get(arn.account_id, caller.region, canonical_identity(arn.name)[0])
    if arn.region != caller.region or found is None or not found.covers(out.from_address):
        raise refused
    if not is_verified(state, found):
        raise refused
    if arn.account_id != caller.account and not _authorized(state, caller.account, found, out):
        raise refused
    return found


def _recipient_verified(state: ShimState, address: str, accounts: set[str], region: str) -> bool:
    if address.rpartition("@")[2].lower() == SIMULATOR_DOMAIN:
        return True
    return any(
        is_verified(state, identity)
        for account in accounts
        for identity in state.identities.covering(account, region, address)
    )


def check_account(call: Call, owner: str, out: Outgoing) -> list[str]:
    """Sandbox and quota rules; returns the recipients that count against the quota."""
    state, caller = call.state, call.caller
    accounts = {caller.account, owner}
    if not all(state.accounts.in_production(a, caller.region) for a in accounts):
        unverified = [
            r for r in out.recipients if not _recipient_verified(state, r, accounts, caller.region)
        ]
        if unverified:
            raise not_verified(caller.region, unverified)
    counted = [r for r in out.recipients if r.rpartition("@")[2].lower() != SIMULATOR_DOMAIN]
    max_24, _ = state.accounts.quota(caller.account, caller.region)
    sent = state.send_log.last_24_hours(caller.account, caller.region, state.now())
    if sent + len(counted) > max_24:
        raise ShimError(400, "LimitExceededException", "Daily message quota exceeded.")
    return counted


def send_email(call: Call) -> Response:
    body = call.request.json()
    out = parse_request(body)
    identity = sender_identity(call, out, body.get("FromEmailAddressIdentityArn"))
    counted = check_account(call, identity.account, out)
    message_id = deliver(call.state, call.caller, identity, out, counted)
    call.state.send_log.record(
        call.caller.account, call.caller.region, call.state.now(), len(counted)
    )
    return json_response({"MessageId": message_id})

"""What SES does with an accepted message: envelope, signatures, hand-over to the receiver.

The envelope sender (Return-Path) is on the identity's custom MAIL FROM domain when its status
is SUCCESS at sending time, else on ``<region>.amazonses.com``, as SES falls back with
``USE_DEFAULT_VALUE`` (and refuses with ``REJECT_MESSAGE``). The identity's Easy DKIM
signature is added only once its DKIM status is SUCCESS; the ``d=amazonses.com`` signature
always is (email-auth.md s2).
"""

from __future__ import annotations

import secrets
import uuid

from sesdmarc_tui.sandbox.aws.ses_shim.http import ShimError
from sesdmarc_tui.sandbox.aws.ses_shim.identities import Identity
from sesdmarc_tui.sandbox.aws.ses_shim.state import Caller, ShimState
from sesdmarc_tui.sandbox.aws.ses_shim.status import dkim_status, mail_from_status
from sesdmarc_tui.sandbox.compose import Outgoing, Signer, compose, sign
from sesdmarc_tui.sandbox.dns.seed import SES_SENDING_IP
from sesdmarc_tui.sandbox.mailbox import StoredMessage
from sesdmarc_tui.sandbox.receiver import receive

SES_HELO = "a8-21.smtp-out.amazonses.com"  # the reverse name of SES_SENDING_IP, SES-style
MAIL_FROM_REJECTED = (
    "The message could not be sent because Amazon SES could not read the MX record required "
    "to use the specified MAIL FROM domain."
)


def new_message_id(now: float) -> str:
    """Shaped like SES's IDs: ``0102<ms timestamp>-<uuid>-000000``."""
    return f"0102{int(now * 1000):012x}-{uuid.uuid4()}-000000"


def _domain_identity(state: ShimState, identity: Identity) -> Identity | None:
    """The domain identity whose DKIM and MAIL FROM an address identity inherits."""
    if identity.kind == "DOMAIN":
        return identity
    for candidate in state.identities.covering(identity.account, identity.region, identity.name):
        if candidate.kind == "DOMAIN":
            return candidate
    return None


def return_path_domain(state: ShimState, identity: Identity) -> str:
    owner = identity if identity.mail_from else _domain_identity(state, identity)
    fallback = f"{identity.region}.amazonses.com"
    if owner is None or owner.mail_from is None:
        return fallback
    with state.identities.lock:
        status = mail_from_status(owner, state.lookup, state.now())
    if status == "SUCCESS":
        return owner.mail_from.domain
    if owner.mx_failure_behavior == "REJECT_MESSAGE":
        raise ShimError(400, "MailFromDomainNotVerifiedException", MAIL_FROM_REJECTED)
    return fallback


def signers(state: ShimState, identity: Identity) -> list[Signer]:
    found: list[Signer] = []
    domain = _domain_identity(state, identity)
    if domain is not None and domain.key is not None and domain.tokens:
        with state.identities.lock:
            status, _ = dkim_status(domain, state.lookup, state.now())
        if status == "SUCCESS" and domain.signing_enabled:
            found.append(Signer(domain.domain, domain.tokens[0], domain.key))
    signer = state.ses_signer
    found.append(Signer("amazonses.com", signer.selector, signer.key()))
    return found


def deliver(
    state: ShimState, caller: Caller, identity: Identity, out: Outgoing, recipients: list[str]
) -> str:
    """Build, sign and deliver; returns SES's MessageId. Simulator-only mail is not stored."""
    now = state.now()
    message_id = new_message_id(now)
    mail_from = f"{message_id}@{return_path_domain(state, identity)}"
    feedback = f"::1.{caller.region}.{secrets.token_urlsafe(24)}=:AmazonSES"
    unsigned = compose(
        out,
        message_id=f"{message_id}@{caller.region}.amazonses.com",
        date=now,
        feedback_id=feedback,
    )
    signed = sign(unsigned, signers(state, identity))
    if recipients and state.mailbox is not None:
        raw, verdict = receive(
            signed,
            mail_from=mail_from,
            client_ip=SES_SENDING_IP,
            helo=SES_HELO,
            lookup=state.receiver_lookup or state.lookup,
            when=now,
            recipients=recipients,
        )
        state.mailbox.add(
            StoredMessage(
                message_id=message_id,
                received_at=now,
                sender_account=caller.account,
                region=caller.region,
                mail_from=mail_from,
                recipients=tuple(recipients),
                raw=raw,
                verdict=verdict,
            )
        )
    return message_id

"""The message SES would put on the wire: RFC 5322 headers and body, then SES's DKIM signatures.

SES signs twice (email-auth.md s2): ``d=<identity>`` with the Easy DKIM key of the first token,
and ``d=amazonses.com``; the identity's signature sits on top, as in real SES mail. Neither
signature covers the other's header, so both are computed over the same unsigned message and
their order is only presentation. Canonicalisation is relaxed/simple, as SES uses.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses

from sesdmarc_tui.sandbox.keys import DkimKey

CRLF = b"\r\n"
SIGNED_HEADERS = (
    b"from",
    b"reply-to",
    b"subject",
    b"to",
    b"cc",
    b"mime-version",
    b"content-type",
    b"content-transfer-encoding",
    b"message-id",
    b"date",
    b"feedback-id",
)


@dataclass(frozen=True)
class Outgoing:
    """What a SendEmail call asked for. ``raw`` is set for ``Content.Raw``, else the parts."""

    from_header: str
    from_address: str
    display_name: str | None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    subject: str = ""
    text: str | None = None
    html: str | None = None
    raw: bytes | None = None

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.to, *self.cc, *self.bcc)))

    @property
    def action(self) -> str:
        """The IAM action SES authorizes the call as (raw content counts as SendRawEmail)."""
        return "ses:SendRawEmail" if self.raw is not None else "ses:SendEmail"


@dataclass(frozen=True)
class Signer:
    domain: str
    selector: str
    key: DkimKey


def addresses(values: Sequence[str]) -> tuple[str, ...]:
    """Bare addresses from header-style values (``Name <a@b>``, several per value)."""
    return tuple(addr for _, addr in getaddresses(list(values)) if addr)


def message_date(timestamp: float) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, UTC))


def _simple(out: Outgoing) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = out.from_header
    if out.reply_to:
        message["Reply-To"] = ", ".join(out.reply_to)
    message["To"] = ", ".join(out.to) if out.to else "undisclosed-recipients:;"
    if out.cc:
        message["Cc"] = ", ".join(out.cc)
    message["Subject"] = out.subject
    if out.text is not None or out.html is None:
        message.set_content(out.text or "")
        if out.html is not None:
            message.add_alternative(out.html, subtype="html")
    else:
        message.set_content(out.html, subtype="html")
    return message


def compose(out: Outgoing, *, message_id: str, date: float, feedback_id: str) -> bytes:
    """The unsigned message with SES's own headers; raw content keeps its headers and body."""
    if out.raw is not None:
        message = BytesParser(policy=policy.SMTP).parsebytes(out.raw)
        for name in ("Message-ID", "Date"):
            del message[name]  # SES replaces both on raw sends
    else:
        message = _simple(out)
    message["Message-ID"] = f"<{message_id}>"
    message["Date"] = message_date(date)
    message["Feedback-ID"] = feedback_id
    return message.as_bytes()


def sign(message: bytes, signers: Sequence[Signer]) -> bytes:
    """Prepend one DKIM-Signature per signer, first signer on top."""
    import dkim

    present = {line.split(b":", 1)[0].strip().lower() for line in _header_lines(message)}
    include = [h for h in SIGNED_HEADERS if h in present]
    headers = [
        dkim.sign(
            message,
            signer.selector.encode("ascii"),
            signer.domain.encode("ascii"),
            signer.key.private_pem,
            canonicalize=(b"relaxed", b"simple"),
            include_headers=include,
        )
        for signer in signers
    ]
    return b"".join(headers) + message


def _header_lines(message: bytes) -> list[bytes]:
    head = message.split(CRLF + CRLF, 1)[0]
    return [line for line in head.split(CRLF) if line and not line[:1].isspace()]


def b64_body(data: str) -> bytes:
    """``Content.Raw.Data`` as botocore sends it in JSON: base64 text."""
    return base64.b64decode(data, validate=False)

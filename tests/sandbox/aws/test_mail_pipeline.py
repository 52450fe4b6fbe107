"""The outbound pipeline without servers: compose, SES's two signatures, the receiver, the mailbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.sandbox.compose import Outgoing, Signer, compose, sign
from sesdmarc_tui.sandbox.keys import DkimKey
from sesdmarc_tui.sandbox.mailbox import Mailbox, StoredMessage
from sesdmarc_tui.sandbox.receiver import receive

IP = "54.240.8.21"
MAIL_FROM = "0102abc-000000@mail.example.com"
DEFAULT_MAIL_FROM = "0102abc-000000@eu-west-1.amazonses.com"


@pytest.fixture(scope="module")
def keys() -> tuple[DkimKey, DkimKey]:
    return DkimKey.generate(1024), DkimKey.generate(1024)


def _world(keys: tuple[DkimKey, DkimKey], dmarc: str = "v=DMARC1; p=quarantine") -> StaticLookup:
    ours, ses = keys
    return StaticLookup(
        {
            ("tok._domainkey.example.com", "TXT"): [ours.txt_value],
            ("sel._domainkey.amazonses.com", "TXT"): [ses.txt_value],
            ("mail.example.com", "TXT"): [f"v=spf1 ip4:{IP} -all"],
            ("eu-west-1.amazonses.com", "TXT"): [f"v=spf1 ip4:{IP} ~all"],
            ("_dmarc.example.com", "TXT"): [dmarc],
        }
    )


def _signed(keys: tuple[DkimKey, DkimKey], **fields: str) -> bytes:
    ours, ses = keys
    out = Outgoing(
        from_header="Test <test@example.com>",
        from_address="test@example.com",
        display_name="Test",
        to=("inbox@example.com",),
        bcc=("hidden@example.com",),
        subject="Hello",
        text="Plain body.",
        html=fields.get("html"),
    )
    message = compose(out, message_id="id-1@eu-west-1.amazonses.com", date=1.8e9, feedback_id="f")
    return sign(message, [Signer("example.com", "tok", ours), Signer("amazonses.com", "sel", ses)])


def test_message_is_rfc5322_with_ses_headers_and_no_bcc(keys: tuple[DkimKey, DkimKey]) -> None:
    raw = _signed(keys, html="<p>HTML body.</p>")
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert head.index("d=example.com") < head.index("d=amazonses.com")  # SES's order
    for header in ("From: Test <test@example.com>", "Message-ID: <id-1@", "Date: ", "Feedback-ID"):
        assert header in head
    assert "hidden@example.com" not in raw.decode()
    assert "multipart/alternative" in head


def test_receiver_passes_aligned_dkim_and_spf(keys: tuple[DkimKey, DkimKey]) -> None:
    stored, verdict = receive(
        _signed(keys),
        mail_from=MAIL_FROM,
        client_ip=IP,
        helo="a8-21.smtp-out.amazonses.com",
        lookup=_world(keys),
        when=1.8e9,
        recipients=["inbox@example.com"],
    )
    assert [(d.domain, d.result) for d in verdict.dkim] == [
        ("example.com", "pass"),
        ("amazonses.com", "pass"),
    ]
    assert (verdict.spf, verdict.dmarc) == ("pass", "pass")
    head = stored.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith(f"Return-Path: <{MAIL_FROM}>\r\nAuthentication-Results: ")
    assert "dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.com" in head
    assert f"smtp.mailfrom={MAIL_FROM}" in head


def test_receiver_fails_a_tampered_body_and_unaligned_spf(keys: tuple[DkimKey, DkimKey]) -> None:
    tampered = _signed(keys).replace(b"Plain body.", b"Plain b0dy.")
    _, verdict = receive(
        tampered,
        mail_from=DEFAULT_MAIL_FROM,
        client_ip=IP,
        helo="a8-21.smtp-out.amazonses.com",
        lookup=_world(keys),
        when=1.8e9,
        recipients=["inbox@example.com"],
    )
    assert {d.result for d in verdict.dkim} == {"fail"}
    assert verdict.spf == "pass"  # for amazonses.com, which does not align with example.com
    assert verdict.dmarc == "fail"
    assert verdict.policy_comment == "p=QUARANTINE sp=QUARANTINE dis=QUARANTINE"


def test_mailbox_keeps_messages_in_memory_and_as_eml(tmp_path: Path) -> None:
    mailbox = Mailbox(tmp_path / "mail")
    first = mailbox.add(
        StoredMessage("m1", 1.0, "111111111111", "eu-west-1", MAIL_FROM, ("A@example.com",), b"1")
    )
    mailbox.add(
        StoredMessage("m2", 2.0, "111111111111", "eu-west-1", MAIL_FROM, ("b@example.com",), b"2")
    )
    assert first.path is not None and first.path.read_bytes() == b"1"
    assert first.path.name == "0001-m1.eml"
    assert [m.message_id for m in mailbox.messages()] == ["m1", "m2"]
    assert [m.message_id for m in mailbox.messages("a@EXAMPLE.com")] == ["m1"]
    latest = mailbox.latest()
    assert latest is not None and latest.message_id == "m2"
    assert mailbox.get("m1").return_path_domain == "mail.example.com"
    assert mailbox.fetch("m2") == b"2" and mailbox.fetch("m3") is None
    with pytest.raises(KeyError):
        mailbox.get("m3")
    assert len(mailbox) == 2 and Mailbox().latest() is None

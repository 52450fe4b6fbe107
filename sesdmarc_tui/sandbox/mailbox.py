"""The sandbox's mailbox: every delivered message, in memory and as an ``.eml`` file.

Messages are stored exactly as the receiver kept them (trace headers on top), so the wizard's
"check the received message" step reads a real RFC 5322 message, the same bytes an operator
would save from a real inbox. Reading is by recipient, by SES message ID, or the latest one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from sesdmarc_tui.sandbox.receiver import Verdict


@dataclass(frozen=True)
class StoredMessage:
    message_id: str  # SES's MessageId, as SendEmail returned it
    received_at: float  # demo time
    sender_account: str
    region: str
    mail_from: str  # the envelope sender, which the receiver wrote into Return-Path
    recipients: tuple[str, ...]
    raw: bytes = field(repr=False)
    verdict: Verdict | None = field(default=None, repr=False)
    path: Path | None = None

    @property
    def return_path_domain(self) -> str:
        return self.mail_from.rpartition("@")[2]


class Mailbox:
    """Thread-safe; ``directory=None`` keeps messages in memory only."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._messages: list[StoredMessage] = []
        self._lock = threading.Lock()

    def add(self, message: StoredMessage) -> StoredMessage:
        with self._lock:
            if self.directory is not None:
                self.directory.mkdir(parents=True, exist_ok=True)
                name = f"{len(self._messages) + 1:04d}-{message.message_id}.eml"
                path = self.directory / name
                path.write_bytes(message.raw)
                message = replace(message, path=path)
            self._messages.append(message)
        return message

    def messages(self, recipient: str | None = None) -> list[StoredMessage]:
        """Oldest first; only those addressed to ``recipient`` (any case) when given."""
        with self._lock:
            found = list(self._messages)
        if recipient is None:
            return found
        wanted = recipient.strip().lower()
        return [m for m in found if wanted in (r.lower() for r in m.recipients)]

    def get(self, message_id: str) -> StoredMessage:
        for message in self.messages():
            if message.message_id == message_id:
                return message
        raise KeyError(message_id)

    def fetch(self, message_id: str) -> bytes | None:
        """The received bytes, or None: the shape of ``FlowContext.mailbox``."""
        try:
            return self.get(message_id).raw
        except KeyError:
            return None

    def latest(self, recipient: str | None = None) -> StoredMessage | None:
        found = self.messages(recipient)
        return found[-1] if found else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

"""Everything the shim's handlers share: stores, the demo clock, DNS, the mailbox, moto's answers.

One ``ShimState`` per sandbox. Collaborators are plain objects and callables, so the layer
tests can run the handlers against an in-memory ``ZoneStore`` and a static lookup, without moto
or sockets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.sandbox.aws import moto_bridge
from sesdmarc_tui.sandbox.aws.ses_shim.http import Request, Response
from sesdmarc_tui.sandbox.aws.ses_shim.identities import IdentityStore
from sesdmarc_tui.sandbox.aws.ses_shim.verification import SES_WINDOW_SECONDS
from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.zones import ZoneStore
from sesdmarc_tui.sandbox.keys import DkimKey, random_token

if TYPE_CHECKING:
    from sesdmarc_tui.sandbox.mailbox import Mailbox

SANDBOX_QUOTA = (200.0, 1.0)  # Max24HourSend, MaxSendRate: a new account (ses-api.md s8)
PRODUCTION_QUOTA = (50000.0, 14.0)
DAY = 24 * 3600


@dataclass
class AccountSettings:
    """``GetAccount`` per account and region; every account starts in the SES sandbox."""

    production: set[tuple[str, str | None]] = field(default_factory=set)

    def set_production(self, account: str, region: str | None = None, enabled: bool = True) -> None:
        """``region=None`` means every region of the account."""
        (self.production.add if enabled else self.production.discard)((account, region))

    def in_production(self, account: str, region: str) -> bool:
        return (account, region) in self.production or (account, None) in self.production

    def quota(self, account: str, region: str) -> tuple[float, float]:
        return PRODUCTION_QUOTA if self.in_production(account, region) else SANDBOX_QUOTA


@dataclass
class SendLog:
    """(account, region, demo time, recipients) of every accepted send, for the quota."""

    _sends: list[tuple[str, str, float, int]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, account: str, region: str, when: float, recipients: int) -> None:
        with self._lock:
            self._sends.append((account, region, when, recipients))

    def last_24_hours(self, account: str, region: str, now: float) -> int:
        with self._lock:
            return sum(
                n for a, r, t, n in self._sends if a == account and r == region and now - t < DAY
            )


@dataclass
class SesSigner:
    """The sandbox's own ``d=amazonses.com`` key, made on first use (keeps startup fast)."""

    store: ZoneStore | None
    selector: str = field(default_factory=random_token)
    _key: DkimKey | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def key(self) -> DkimKey:
        with self._lock:
            if self._key is None:
                # 1024 bits, as SES's own amazonses.com keys, and quick to make.
                self._key = DkimKey.generate(1024)
                if self.store is not None:
                    name = f"{self.selector}._domainkey.amazonses.com"
                    self.store.set_rrset(name, "TXT", 3600, [self._key.txt_value])
            return self._key


@dataclass
class ShimState:
    clock: DemoClock
    lookup: Lookup
    store: ZoneStore | None = None
    mailbox: Mailbox | None = None
    # What the receiving mail server resolves through (a recursive resolver); default: lookup.
    receiver_lookup: Lookup | None = None
    window: float = SES_WINDOW_SECONDS
    identities: IdentityStore = field(default_factory=IdentityStore)
    accounts: AccountSettings = field(default_factory=AccountSettings)
    send_log: SendLog = field(default_factory=SendLog)
    account_of: Callable[[str | None, str | None], str] = moto_bridge.account_of
    membership_of: Callable[[str], moto_bridge.Membership | None] = moto_bridge.membership_of
    # Route 53 hosted zone ID -> the DNS zone it is mirrored into (the "delegated" zone).
    mirrored_zones: dict[str, str] = field(default_factory=dict)
    ses_signer: SesSigner = field(init=False)

    def __post_init__(self) -> None:
        self.ses_signer = SesSigner(self.store)

    def now(self) -> float:
        return self.clock.now()


@dataclass(frozen=True)
class Caller:
    """Who called: the account moto serves the request in, and the region it was signed for."""

    account: str
    region: str


@dataclass(frozen=True)
class Call:
    """One intercepted request, with a way to hand it (or a rewrite of it) on to moto."""

    state: ShimState
    caller: Caller
    request: Request
    forward: Callable[[Request], Response]

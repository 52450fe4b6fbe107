"""How SES turns "are the records right now?" into PENDING, SUCCESS, TEMPORARY_FAILURE, FAILED.

Both Easy DKIM and custom MAIL FROM follow the same life (ses-api.md s1.6 and s2): SES looks for
the records for 72 hours and then gives up (FAILED, until the setup is restarted); once
verified it keeps checking, reports TEMPORARY_FAILURE when the records vanish and FAILED if
they stay gone for another 72 hours. The sandbox evaluates this on every read, on the demo
clock, from what the authoritative server answers at that moment. So a record published
after the window has passed still counts if nobody asked in between: the sandbox cannot know
when it appeared, and the lenient reading keeps a paused demo usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SES_WINDOW_SECONDS = 72 * 3600


class Check(Enum):
    """What the records look like now."""

    OK = "ok"
    MISSING = "missing"  # absent or wrong: keep waiting
    BROKEN = "broken"  # wrong in a way SES gives up on at once (a second MAIL FROM MX)


@dataclass
class Verification:
    """One verification attempt; ``restart`` begins a new one (new tokens, a new PUT)."""

    started: float
    window: float = SES_WINDOW_SECONDS
    last_checked: float | None = None
    last_success: float | None = None
    lost_at: float | None = None
    failed: bool = False

    def restart(self, now: float) -> None:
        self.started = now
        self.last_checked = self.last_success = self.lost_at = None
        self.failed = False

    def observe(self, check: Check, now: float) -> str:
        """Record a look at DNS and return the SES status word."""
        self.last_checked = now
        if self.failed:
            return "FAILED"  # SES stops looking: the operator must restart the setup
        if check is Check.BROKEN:
            self.failed = True
            return "FAILED"
        if check is Check.OK:
            self.last_success = now
            self.lost_at = None
            return "SUCCESS"
        if self.last_success is not None:
            if self.lost_at is None:
                self.lost_at = now
            if now - self.lost_at > self.window:
                self.failed = True
                return "FAILED"
            return "TEMPORARY_FAILURE"
        if now - self.started > self.window:
            self.failed = True
            return "FAILED"
        return "PENDING"

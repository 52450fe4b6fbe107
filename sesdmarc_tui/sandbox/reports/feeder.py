"""The receivers of ``sesdmarc demo``: reports arrive by themselves once there is mail to report.

Real receivers report once a day on the mail they saw, to the ``rua`` of the DMARC record
they find. The feeder plays that in the background of the demo: each ``interval`` real seconds
it looks whether the sandbox mailbox holds mail from the domain; the first time it does, and
the DMARC record sends reports to an address SES receives for, it delivers ``days`` days of
reports (so the Reports screen has enough evidence for a verdict at once); after that, one
more day's reports each time the demo clock enters a new day. Delivery is ``send_reports``,
so the reports take exactly the path real ones take: DNS, SES receiving, the S3 bucket. The
product only reads the bucket; nothing in it knows the feeder exists.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sesdmarc_tui.sandbox.reports.generator import DAY, Outcome
from sesdmarc_tui.sandbox.reports.traffic import ses_streams

if TYPE_CHECKING:
    from sesdmarc_tui.sandbox.world import Sandbox

DEFAULT_INTERVAL = 2.0
BACKFILL_DAYS = 14  # enough days at stage 1 for the readiness verdict (REVIEW_DAYS)


class ReportFeeder:
    def __init__(
        self,
        sandbox: Sandbox,
        *,
        interval: float = DEFAULT_INTERVAL,
        days: int = BACKFILL_DAYS,
        seed: int = 7,
    ) -> None:
        self.sandbox = sandbox
        self.interval = interval
        self.days = days
        self.seed = seed
        self.last_day: int | None = None  # the demo day up to which reports were delivered
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Outcome | None:
        """One look; the outcome when reports were due (delivered or refused), else None."""
        from sesdmarc_tui.sandbox.reports import send_reports

        box = self.sandbox
        today = int(box.clock.now() // DAY) * DAY
        if self.last_day is not None and today <= self.last_day:
            return None
        if not ses_streams(box.mailbox.messages(), box.domain, 1):
            return None  # nothing sent as the domain yet: receivers have nothing to report
        days = self.days if self.last_day is None else (today - self.last_day) // DAY
        outcome = send_reports(box, days=days, seed=self.seed + today // DAY)
        if outcome.delivered:
            self.last_day = today
        return outcome

    def start(self) -> ReportFeeder:
        self._thread = threading.Thread(target=self._run, name="sandbox-reports", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # a sandbox stopping under us, a DNS timeout: try next time
                self.errors += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

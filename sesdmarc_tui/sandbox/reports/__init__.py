"""Aggregate reports in the sandbox: receivers report on the mail it delivered, SES stores them.

``send_reports(sandbox)`` plays a few receivers over the last ``days`` days: their reports
follow the domain's published DMARC record (rua, external authorization, the MX of the reports
address) and arrive as raw MIME in the S3 bucket of the active receipt rule, exactly where the
product reads them. Nothing in the product knows this happens. ``ReportFeeder`` calls it in
the background of ``sesdmarc demo``, as receivers would, once there is mail to report on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.sandbox.reports.feeder import ReportFeeder
from sesdmarc_tui.sandbox.reports.generator import (
    DAY,
    Outcome,
    build_reports,
    destinations,
    report_message,
)
from sesdmarc_tui.sandbox.reports.inbound import receive
from sesdmarc_tui.sandbox.reports.traffic import foreign_streams, ses_streams

if TYPE_CHECKING:
    from sesdmarc_tui.sandbox.world import Sandbox

__all__ = ["Outcome", "ReportFeeder", "send_reports"]


def send_reports(
    sandbox: Sandbox,
    *,
    days: int = 14,
    volume: int = 60,
    spoof_volume: int = 4,
    seed: int = 7,
) -> Outcome:
    """Deliver ``days`` days of reports for the sandbox's domain; says what went where."""
    lookup = make_lookup([sandbox.dns.auth_address], timeout=2.0)
    outcome = Outcome()
    policy, targets, refused = destinations(sandbox.domain, lookup)
    outcome.refused.extend(refused)
    if policy is None or not targets:
        return outcome
    ses = ses_streams(sandbox.mailbox.messages(), sandbox.domain, volume)
    streams = [*ses, *foreign_streams(sandbox.domain, ses, spoof_volume)]
    now = sandbox.clock.now()
    end_day = int(now // DAY) * DAY
    built = build_reports(policy, streams, days, end_day, seed)
    for target in targets:
        session = sandbox.session(region=target.region)
        for reporter, report in built:
            raw = report_message(reporter, report, target.address, now)
            stored = receive(session, target.address, raw, now)
            if not stored:
                outcome.refused.append(
                    f"{report.report_id} to {target.address}: no active receipt rule stores it."
                )
            outcome.delivered.extend(f"s3://{s.bucket}/{s.key}" for s in stored)
    return outcome

"""Receivers sending aggregate reports for the demo domain, the way real ones do.

For each day and reporter: look up the domain's DMARC record in the sandbox's DNS (no record or
no ``rua`` means no report, as at a real receiver), honour the external-destination check, find
the reports address's MX, and deliver a message with the report attached, in that reporter's
habits (schema, gzip or zip, file name per RFC 9990), to SES's inbound side for the MX's
region. What could not be delivered is returned with the reason.
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sesdmarc_tui.core.dmarc import discover_policy, external_destinations
from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.reports.model import PolicyPublished, Report, Schema
from sesdmarc_tui.core.reports.readiness import stage_of
from sesdmarc_tui.core.reports.xmlout import render_report, report_filename
from sesdmarc_tui.sandbox.reports.traffic import Stream, day_rows

DAY = 86400


@dataclass(frozen=True)
class Reporter:
    org: str
    email: str
    schema: Schema
    packing: str  # "gzip" or "zip"
    share: float
    generator: str = ""


REPORTERS = (
    Reporter("google.com", "noreply-dmarc-support@google.com", "rfc7489", "zip", 0.5),
    Reporter(
        "Outlook.com", "dmarcreport@microsoft.com", "rfc9990", "gzip", 0.3, "Outlook DMARC 2.0"
    ),
    Reporter("Yahoo", "dmarchelp@yahooinc.com", "rfc7489", "gzip", 0.2),
)


@dataclass
class Outcome:
    delivered: list[str] = field(default_factory=list)  # s3://bucket/key
    refused: list[str] = field(default_factory=list)  # why a report went nowhere


@dataclass(frozen=True)
class Destination:
    address: str
    region: str


def destinations(
    domain: str, lookup: Lookup
) -> tuple[PolicyPublished | None, list[Destination], list[str]]:
    """The policy receivers see, where its reports may go, and why others may not."""
    found = discover_policy(domain, lookup)
    at = found.policy_at
    record = at.record if at is not None else None
    if at is None or record is None or record.effective is None:
        return None, [], [f"No DMARC record for {domain}: receivers send no reports."]
    effective = record.effective
    pct = record.tag("pct")
    policy = PolicyPublished(
        domain=at.domain,
        p=effective.p,
        sp=effective.sp,
        np=effective.np,
        adkim=effective.adkim,
        aspf=effective.aspf,
        testing=effective.t,
        pct=int(pct) if pct and pct.isdigit() else None,
        fo=effective.fo,
        discovery_method="treewalk",
    )
    allowed = {
        d.uri
        for d in external_destinations(record, at.domain, lookup)
        if not d.needs_authorization or d.authorized
    }
    targets, refused = [], []
    for uri in record.uris.get("rua", ()):
        if not uri.valid or not uri.is_mailto or not uri.host:
            continue
        if uri.uri not in allowed:
            refused.append(f"{uri.uri}: not authorized by {uri.host} (external destination).")
            continue
        answer = lookup(uri.host + ".", "MX")
        hosts = (
            [v.split()[-1].rstrip(".") for v in answer.values]
            if answer.kind is AnswerKind.OK
            else []
        )
        inbound = [
            h for h in hosts if h.startswith("inbound-smtp.") and h.endswith(".amazonaws.com")
        ]
        if not inbound:
            refused.append(f"{uri.uri}: {uri.host} has no MX to SES inbound; undeliverable.")
            continue
        address = uri.uri.removeprefix("mailto:").split("!")[0]
        targets.append(Destination(address, inbound[0].split(".")[1]))
    return policy, targets, refused


def _attachment(reporter: Reporter, report: Report, xml: bytes) -> tuple[bytes, str, str, str]:
    if reporter.packing == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(report_filename(report, reporter.org.lower(), "xml"), xml)
        return (
            buffer.getvalue(),
            "application",
            "zip",
            report_filename(report, reporter.org.lower(), "zip"),
        )
    return (
        gzip.compress(xml, mtime=0),
        "application",
        "gzip",
        report_filename(report, reporter.org.lower()),
    )


def report_message(reporter: Reporter, report: Report, to: str, now: float) -> bytes:
    """The report as a receiver mails it (RFC 9990 subject and attachment name)."""
    data, maintype, subtype, filename = _attachment(reporter, report, render_report(report))
    message = EmailMessage()
    message["From"] = reporter.email
    message["To"] = to
    message["Subject"] = (
        f"Report Domain: {report.policy.domain} Submitter: {reporter.org.lower()} "
        f"Report-ID: <{report.report_id}>"
    )
    message["Date"] = format_datetime(datetime.fromtimestamp(now, UTC))
    message["Message-ID"] = make_msgid(domain=reporter.email.rpartition("@")[2])
    message.set_content(f"This is an aggregate report from {reporter.org}.\n")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def build_reports(
    policy: PolicyPublished, streams: list[Stream], days: int, end_day: int, seed: int
) -> list[tuple[Reporter, Report]]:
    stage = stage_of(policy)
    disposition = stage.rfc9989 if stage is not None else "none"
    rng = random.Random(seed)
    built = []
    for offset in range(days, 0, -1):
        begin = end_day - offset * DAY
        for reporter in REPORTERS:
            rows = day_rows(streams, policy.domain, rng, reporter.share, disposition)
            if not rows:
                continue
            tag = "".join(c for c in reporter.org.lower() if c.isalnum())
            published = (
                policy
                if reporter.schema == "rfc9990"
                else PolicyPublished(
                    policy.domain,
                    policy.p,
                    policy.sp,
                    adkim=policy.adkim,
                    aspf=policy.aspf,
                    pct=policy.pct
                    if policy.pct is not None
                    else (0 if policy.testing == "y" else 100),
                    fo=policy.fo,
                )
            )
            built.append(
                (
                    reporter,
                    Report(
                        schema=reporter.schema,
                        org_name=reporter.org,
                        email=reporter.email,
                        report_id=f"{tag}-{policy.domain}-{begin}",
                        begin=begin,
                        end=begin + DAY - 1,
                        policy=published,
                        rows=tuple(rows),
                        generator=reporter.generator,
                    ),
                )
            )
    return built

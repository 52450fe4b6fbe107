"""Aggregate reports made in the tests: a domain's SES mail, a forwarder, a spoofer, per day.

Built as ``Report`` values and written out with the product's own renderer in either schema,
then packed as a receiver would (gzip, zip, attached to a message, in an mbox).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from email.message import EmailMessage

from sesdmarc_tui.core.reports import DkimAuth, PolicyPublished, Report, Row, SpfAuth, render_report
from sesdmarc_tui.core.reports.model import Schema

DOMAIN = "example.com"
MAIL_FROM = f"mail.{DOMAIN}"
SES_IP = "54.240.8.21"
DAY0 = 1_794_614_400  # 2026-11-14 00:00 UTC
DAY = 86400


def ses_row(count: int = 50, *, aligned: bool = True) -> Row:
    result = "pass" if aligned else "fail"
    return Row(
        SES_IP,
        count,
        "none",
        aligned,
        aligned,
        DOMAIN,
        MAIL_FROM,
        dkim=(DkimAuth(DOMAIN, "tok1", result), DkimAuth("amazonses.com", "ses1", "pass")),
        spf=(SpfAuth(MAIL_FROM, "mfrom", result),),
    )


def forwarder_row(count: int = 5) -> Row:
    return Row(
        "198.51.100.25",
        count,
        "none",
        True,
        False,
        DOMAIN,
        MAIL_FROM,
        reasons=("forwarded",),
        dkim=(DkimAuth(DOMAIN, "tok1", "pass"), DkimAuth("amazonses.com", "ses1", "pass")),
        spf=(SpfAuth(MAIL_FROM, "mfrom", "softfail"),),
    )


def spoofer_row(count: int = 3, ip: str = "203.0.113.66") -> Row:
    return Row(
        ip,
        count,
        "none",
        False,
        False,
        DOMAIN,
        "spam.invalid",
        spf=(SpfAuth("spam.invalid", "mfrom", "fail"),),
    )


def report(
    day: int = 0,
    rows: tuple[Row, ...] | None = None,
    *,
    schema: Schema = "rfc7489",
    org: str = "google.com",
    report_id: str | None = None,
    p: str = "none",
    testing: str = "",
    pct: int | None = None,
) -> Report:
    begin = DAY0 + day * DAY
    policy = PolicyPublished(
        DOMAIN,
        p,
        p,
        np=p if schema == "rfc9990" else "",
        testing=testing,
        pct=pct,
        discovery_method="treewalk" if schema == "rfc9990" else "",
    )
    return Report(
        schema,
        org,
        f"noreply@{org.lower()}",
        report_id or f"{org}-{day}",
        begin,
        begin + DAY - 1,
        policy,
        rows if rows is not None else (ses_row(), spoofer_row()),
        generator="test generator" if schema == "rfc9990" else "",
    )


def xml(r: Report) -> bytes:
    return render_report(r)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def zipped(data: bytes, name: str = "report.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def message(attachment: bytes, subtype: str = "gzip", filename: str = "r.xml.gz") -> bytes:
    mail = EmailMessage()
    mail["From"] = "noreply-dmarc-support@google.com"
    mail["To"] = f"dmarc@reports.{DOMAIN}"
    mail["Subject"] = f"Report Domain: {DOMAIN} Submitter: google.com Report-ID: <1>"
    mail.set_content("An aggregate report.\n")
    mail.add_attachment(attachment, maintype="application", subtype=subtype, filename=filename)
    return bytes(mail)


def mbox(*messages: bytes) -> bytes:
    out = b""
    for raw in messages:
        body = raw.replace(b"\r\n", b"\n")
        out += b"From noreply@google.com Sat Nov 14 00:00:00 2026\n" + body + b"\n"
    return out

"""``sesdmarc reports PATH|s3://BUCKET/PREFIX``: read DMARC aggregate reports, judge readiness.

Exit codes: 0 the reports were read (whatever the verdict; duplicates and overlaps are only
warnings), 1 some inputs could not be read (malformed, refused as a bomb, unreadable) or none
held a report, 2 usage (no such path, a bad option, AWS not reachable for ``s3://``).
"""

from __future__ import annotations

import calendar
import time
from datetime import date

import click

from sesdmarc_tui.commands.output import EXIT_FINDINGS, console, emit_json, finish, usage_error
from sesdmarc_tui.core.names import DomainError, normalize_domain


def _since(text: str | None) -> int | None:
    if not text:
        return None
    value = text.strip().lower()
    if value.endswith("d") and value[:-1].isdigit():
        return int(time.time()) - int(value[:-1]) * 86400
    try:
        return calendar.timegm(date.fromisoformat(value).timetuple())
    except ValueError:
        usage_error(f"--since {text!r}: give a date (2026-11-01) or a number of days (30d).")


def _domain(value: str | None, option: str) -> str | None:
    if not value:
        return None
    try:
        return normalize_domain(value, min_labels=2)
    except (DomainError, ValueError) as exc:
        usage_error(f"{option}: {str(exc)[:200]}")


@click.command("reports")
@click.argument("source")
@click.option("--domain", metavar="DOMAIN", help="The policy domain (default: the reports').")
@click.option("--mail-from", metavar="DOMAIN", help="SES's custom MAIL FROM domain, if any.")
@click.option("--since", metavar="DATE|Nd", help="Only reports ending on or after this date.")
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    metavar="KEY=VALUE",
    help="Readiness thresholds: days=14, aligned=98 (percent), unexplained=100 (messages).",
)
@click.option(
    "--known",
    multiple=True,
    metavar="NAME=NET|DOMAIN[,...]",
    help="A sender you vouch for, e.g. crm=192.0.2.0/24 or lists=lists.example.org.",
)
@click.option(
    "--stage", metavar="1-5|KEY", help="The DMARC stage you are at (default: the reports')."
)
@click.option("--profile", metavar="PROFILE", help="AWS profile for s3:// (default: the usual).")
@click.option("--region", metavar="REGION", help="AWS region for s3:// (default: the profile's).")
@click.option("--no-cache", is_flag=True, help="Read every S3 object again.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def reports(
    *,
    source: str,
    domain: str | None,
    mail_from: str | None,
    since: str | None,
    thresholds: tuple[str, ...],
    known: tuple[str, ...],
    stage: str | None,
    profile: str | None,
    region: str | None,
    no_cache: bool,
    as_json: bool,
) -> None:
    """Read DMARC aggregate reports and say whether they support the next DMARC stage.

    SOURCE is a report file (XML, .gz, .zip), a saved message (.eml) or mbox, a folder of any
    of these, or s3://BUCKET/PREFIX where SES stores the reports address's mail (only objects
    not read before are downloaded).
    """
    from sesdmarc_tui.commands.reports_run import Request, run

    request = Request(
        source=source,
        domain=_domain(domain, "--domain"),
        mail_from=_domain(mail_from, "--mail-from"),
        since=_since(since),
        thresholds=thresholds,
        known=known,
        stage=stage,
        profile=profile,
        region=region,
        cache=not no_cache,
    )
    analysis, description = run(request)
    if as_json:
        emit_json({"source": source, "collected": description, **analysis.to_json()})
    else:
        from sesdmarc_tui.report.reports import render_analysis

        console().print(render_analysis(analysis, description))
    if not analysis.reports:
        click.echo("No aggregate report was found in the source.", err=True)
        raise SystemExit(EXIT_FINDINGS)
    finish(analysis.has_errors)

"""``sesdmarc check DOMAIN``: every inspection, nothing changed, a checklist with the fixes.

Exit codes: 0 no error-level finding (warnings allowed), 1 at least one, 2 usage (bad domain,
region or option). Missing AWS credentials are not an error: the DNS half runs and the output
lists what was skipped and why.
"""

from __future__ import annotations

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import console, emit_json, finish, usage_error
from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.core.regions import UnknownRegionError, ses_region


def _regions(values: tuple[str, ...]) -> list[str]:
    names: list[str] = []
    for value in values:
        for item in value.split(","):
            try:
                names.append(ses_region(item).name)
            except UnknownRegionError as exc:
                usage_error(f"--region: {exc}")
    return list(dict.fromkeys(names))


def _domain(value: str, option: str) -> str:
    try:
        return normalize_domain(value, min_labels=2)
    except (DomainError, ValueError) as exc:
        usage_error(f"{option}: {str(exc)[:200]}")


@click.command("check")
@click.argument("domain")
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="REGION",
    help="SES region to inspect (repeatable; default: the profile's region).",
)
@click.option("--profile", metavar="PROFILE", help="AWS profile of the identity's owner account.")
@click.option(
    "--mail-from",
    metavar="DOMAIN",
    help="MAIL FROM domain to check when SES does not say (default: mail.DOMAIN).",
)
@click.option("--verbose", "-v", is_flag=True, help="Also show the evidence for passed checks.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(
    *,
    domain: str,
    regions: tuple[str, ...],
    profile: str | None,
    mail_from: str | None,
    verbose: bool,
    as_json: bool,
) -> None:
    """Inspect DOMAIN's SES, DKIM, MAIL FROM, SPF and DMARC setup without changing anything.

    Prints a checklist grouped by area with a fix for every problem. Without AWS credentials
    only the DNS checks run, and the skipped ones are listed.
    """
    from sesdmarc_tui.troubleshoot import run_check

    name = _domain(domain, "DOMAIN")
    mail_from_name = _domain(mail_from, "--mail-from") if mail_from else None
    context = get_context()
    report = run_check(
        name,
        regions=_regions(regions),
        profile=profile,
        nameservers=context.nameservers,
        lookup=context.lookup(),
        mail_from=mail_from_name,
    )
    if as_json:
        emit_json(report.to_json())
    else:
        from sesdmarc_tui.report.check import render_check

        console().print(render_check(report, verbose=verbose))
    finish(report.has_errors)

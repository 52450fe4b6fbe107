"""``sesdmarc cleanup DOMAIN``: delete what sesdmarc created for a domain, after confirmation.

The plan comes first (what will be deleted, what is left in place and why); nothing is deleted
until the operator confirms: y/N, or the domain typed out when the identity goes too. ``--yes``
skips the question for scripts. Exit codes: 0 done (or nothing to do), 1 declined or a
deletion failed, 2 usage (bad domain, region, session file).

The TSIG secret of an RFC 2136 setup is never saved: it is read from ``SESDMARC_TSIG_SECRET``,
or asked for (hidden) when a terminal is there to ask.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    console,
    emit_json,
    usage_error,
)
from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.core.regions import UnknownRegionError, ses_region

if TYPE_CHECKING:
    from sesdmarc_tui.flow.cleanup import CleanupPlan, Session
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.model import FlowError

TSIG_ENV = "SESDMARC_TSIG_SECRET"


def _fail(error: FlowError, as_json: bool, plan: CleanupPlan | None = None) -> NoReturn:
    code = EXIT_USAGE if error.kind == "input" else EXIT_FINDINGS
    if as_json:
        emit_json(
            {
                "plan": plan.to_json() if plan else None,
                "applied": False,
                "error": {"message": error.message, "remedy": error.remedy, "kind": error.kind},
            }
        )
    click.echo(f"Error: {error.message} {error.remedy}".rstrip(), err=True)
    sys.exit(code)


def _region(region: str | None, profile: str | None) -> str:
    if region:
        try:
            return ses_region(region).name
        except UnknownRegionError as exc:
            usage_error(f"--region: {exc}")
    from sesdmarc_tui.aws.errors import AwsError
    from sesdmarc_tui.aws.session import AwsSession

    try:
        return AwsSession.from_profile(profile).region
    except AwsError as exc:
        usage_error(f"--region is needed: {exc.message} {exc.remedy}".rstrip())


def _tsig_secret(ctx: FlowContext, session: Session) -> None:
    from sesdmarc_tui.flow.context import TSIG_SECRET
    from sesdmarc_tui.flow.steps.base import DOMAIN

    state = session.state
    keyed = state is not None and state.provider == "rfc2136"
    if not keyed or state is None or not state.value(DOMAIN, "rfc2136_key_name"):
        return
    secret = os.environ.get(TSIG_ENV, "")
    if not secret and sys.stdin.isatty():
        secret = click.prompt(
            "TSIG secret (base64, not shown, never saved)", hide_input=True, err=True
        )
    if not secret:
        usage_error(f"The RFC 2136 key's secret is needed: set {TSIG_ENV} (it is never saved).")
    ctx.secrets[TSIG_SECRET] = secret.strip()


def _confirmed(plan: CleanupPlan, typed: bool) -> bool:
    try:
        if typed:
            answer = click.prompt(
                f"Type the domain ({plan.domain}) to delete all of this", default="", err=True
            )
            return bool(answer.strip().lower().rstrip(".") == plan.domain)
        return click.confirm("Delete all of this?", default=False, err=True)
    except click.Abort:
        click.echo("", err=True)
        return False


@click.command("cleanup")
@click.argument("domain")
@click.option("--region", metavar="REGION", help="SES region (default: the profile's region).")
@click.option("--profile", metavar="PROFILE", help="AWS profile of the identity's owner account.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The session file to work from (default: the saved session for this account, "
    "region and domain).",
)
@click.option(
    "--provider",
    type=click.Choice(["route53", "manual"]),
    help="Where the DNS records are (default: the session's provider, else route53); "
    "manual prints what to delete instead.",
)
@click.option("--delete-identity", is_flag=True, help="Also delete the SES identity.")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking (for scripts).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and the outcome as JSON.")
def cleanup(
    *,
    domain: str,
    region: str | None,
    profile: str | None,
    state_path: Path | None,
    provider: Any,
    delete_identity: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Delete what sesdmarc created for DOMAIN: its DNS records, its identity policy and,
    with --delete-identity, the SES identity.

    Only what sesdmarc made is touched: what the saved session records, or without one what
    matches exactly what sesdmarc creates. A plan is shown first; nothing is deleted until you
    confirm (or pass --yes). Every deletion goes to the audit log. For an RFC 2136 setup the
    TSIG secret is read from SESDMARC_TSIG_SECRET, or asked for.
    """
    from sesdmarc_tui.flow.cleanup import CleanupRequest, apply_cleanup, find_session, plan_cleanup
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.model import FlowError
    from sesdmarc_tui.report.cleanup import render_plan, render_report

    try:
        name = normalize_domain(domain, min_labels=2)
    except (DomainError, ValueError) as exc:
        usage_error(f"DOMAIN: {str(exc)[:200]}")
    request = CleanupRequest(
        name, _region(region, profile), profile, delete_identity, provider, state_path
    )
    ctx = FlowContext.from_environment(
        profile, request.region, nameservers=get_context().nameservers
    )
    plan: CleanupPlan | None = None
    try:
        session = find_session(ctx, request)
        _tsig_secret(ctx, session)
        plan = plan_cleanup(ctx, request, session)
    except FlowError as exc:
        _fail(exc, as_json)
    out = console()
    if not as_json:
        out.print(render_plan(plan))
    if plan.empty:
        if as_json:
            emit_json({"plan": plan.to_json(), "applied": False, "report": None})
        sys.exit(EXIT_OK)
    if not yes and not _confirmed(plan, typed=delete_identity):
        if as_json:
            emit_json({"plan": plan.to_json(), "applied": False, "report": None})
        click.echo("Nothing was deleted.", err=True)
        sys.exit(EXIT_FINDINGS)
    try:
        report = apply_cleanup(ctx, plan)
    except FlowError as exc:
        _fail(exc, as_json, plan)
    if as_json:
        emit_json({"plan": plan.to_json(), "applied": True, "report": report.to_json()})
    else:
        out.print(render_report(report, str(ctx.audit.path)))
    sys.exit(EXIT_OK)

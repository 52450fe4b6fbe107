"""``sesdmarc apply --config setup.toml``: the wizard's steps, headless, from a config file.

The config is read and every value checked by the wizard's own validators before anything is
touched; then the steps run as in the wizard (``headless.run``), or, with ``--dry-run``, are
only planned (``headless.dry_run``). Output: lines for people, or ``--json`` on stdout (the
progress lines then go to stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import EXIT_USAGE, emit_json

if TYPE_CHECKING:
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.model import FlowError
    from sesdmarc_tui.flow.state import SessionState
    from sesdmarc_tui.setup_config import ConfigProblem, SetupConfig

EXIT_INTERRUPTED = 130
EPILOG = """\b
Exit codes:
  0    done; also with --no-wait when only waiting is left (the output lists what is
       pending, and "pending" in --json), and when the test email is sent but still to
       be checked by you ("to_check" in --json)
  1    a step failed or was blocked, SES reports a failure, or --wait ran out of time
       (run the same command again: nothing done so far is repeated)
  2    the config is wrong, or names an AWS profile that does not exist (every
       problem is listed with file, key and an example)
  130  interrupted (Ctrl-C): what was done is saved; run the same command again

`sesdmarc init-config` writes a commented setup.toml describing every key."""


def build_context(config: SetupConfig, validated: SessionState) -> FlowContext:
    """The real environment (AWS profiles, --nameserver or the system resolver, the wizard's
    data directory), as the wizard builds it."""
    from sesdmarc_tui.flow.context import FlowContext

    profile = validated.value("accounts", "profile") or None
    return FlowContext.from_environment(
        profile, validated.region, nameservers=get_context().nameservers
    )


def _config_error(problems: list[str], as_json: bool, payload: list[dict[str, str]]) -> NoReturn:
    for line in problems:
        click.echo(f"Error: {line}", err=True)
    if as_json:
        emit_json({"error": {"kind": "config", "problems": payload}, "exit_code": EXIT_USAGE})
    sys.exit(EXIT_USAGE)


def unknown_profiles(config: SetupConfig, ctx: FlowContext) -> list[ConfigProblem]:
    """Profiles the config names that the AWS config does not have: found before any change,
    not at the test email after everything else is done."""
    from sesdmarc_tui.setup_config import schema

    known = {p.name for p in ctx.profiles()}
    problems = []
    for key in schema.KEYS:
        value = config.inputs.get(key.step, {}).get(key.field)
        if not (key.field.endswith("profile") and isinstance(value, str) and value):
            continue
        if value not in known and key.path in config.given:
            listed = ", ".join(sorted(known)) or "none"
            message = f"the AWS profile {value!r} is not in the AWS config (profiles: {listed})."
            problems.append(config.problem(key.step, key.field, message))
    return problems


def _profile_key(config: SetupConfig, error: FlowError) -> str | None:
    """The config key naming a profile AWS does not know (a config error, not a failure)."""
    from sesdmarc_tui.setup_config import schema

    if error.kind != "profile_not_found":
        return None
    for key in schema.KEYS:
        value = config.inputs.get(key.step, {}).get(key.field)
        if (
            key.field.endswith("profile")
            and isinstance(value, str)
            and f"'{value}'" in error.message
        ):
            return key.path
    return "accounts.profile"


@click.command("apply", epilog=EPILOG)
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The setup file (see `sesdmarc init-config`).",
)
@click.option("--dry-run", is_flag=True, help="Show every AWS call and DNS change; change nothing.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the steps, actions and results as JSON."
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Wait for SES to verify DKIM and MAIL FROM before the test email, or stop after "
    "publishing and report what is pending.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="How long --wait waits in all (SES may take up to 72 hours; a later run continues).",
)
def apply(*, config_path: Path, dry_run: bool, as_json: bool, wait: bool, timeout: float) -> None:
    """Set up SES, DNS and DMARC headless, as described in a TOML file."""
    from sesdmarc_tui.headless.outcome import ApplyOutcome
    from sesdmarc_tui.report.apply import PrintListener, summary_lines
    from sesdmarc_tui.setup_config import ConfigError, load_config

    try:
        config, validated = load_config(config_path)
    except ConfigError as exc:
        _config_error([str(p) for p in exc.problems], as_json, [p.to_json() for p in exc.problems])

    def echo(line: str) -> None:
        click.echo(line, err=as_json)

    listener = PrintListener(echo, dry_run=dry_run)
    session: list[str] = []
    ctx = build_context(config, validated)
    problems = unknown_profiles(config, ctx)
    if problems:
        _config_error([str(p) for p in problems], as_json, [p.to_json() for p in problems])
    try:
        outcome: ApplyOutcome
        if dry_run:
            from sesdmarc_tui.headless.dry_run import dry_run as run_dry

            outcome = run_dry(ctx, config, validated, listener)
        else:
            from sesdmarc_tui.headless.run import apply_config

            outcome = apply_config(
                ctx,
                config,
                validated,
                listener,
                wait=wait,
                timeout=timeout,
                on_session=lambda w: session.append(str(w.state_path or "")),
            )
    except KeyboardInterrupt:
        where = f" (session {session[-1]})" if session and session[-1] else ""
        click.echo(
            f"\nInterrupted. Everything done so far is saved{where}; run the same command "
            "again to continue: nothing done is repeated.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    code = outcome.exit_code
    if outcome.error is not None:
        key = _profile_key(config, outcome.error)
        if key is not None:
            code = EXIT_USAGE
            click.echo(f"Error: {config.file}: {key}: {outcome.error}", err=True)
    if as_json:
        payload = outcome.to_json()
        payload["exit_code"] = code
        emit_json(payload)
    else:
        for line in summary_lines(outcome):
            click.echo(line)
    sys.exit(code)

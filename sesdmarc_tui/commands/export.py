"""``sesdmarc export --format zone|csv|terraform|cloudformation``: a setup, to copy or to own.

From a saved session (the latest one, the latest for ``--domain``, or ``--state FILE``) or
from a config (``--config setup.toml``). Nothing is asked of AWS or DNS: a session holds what
SES returned, and what a config cannot know (the DKIM tokens, the account) is left to the
Terraform and CloudFormation resources, or noted. Notes also go to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sesdmarc_tui.commands.init_config import write_text
from sesdmarc_tui.commands.output import usage_error

if TYPE_CHECKING:
    from sesdmarc_tui.export.facts import SetupFacts

FORMAT_CHOICES = ("zone", "csv", "terraform", "cloudformation")


def _from_config(path: Path, with_policy: bool) -> SetupFacts:
    from sesdmarc_tui.export import build_facts
    from sesdmarc_tui.setup_config import ConfigError, load_config

    try:
        config, validated = load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        raise SystemExit(2) from None
    return build_facts(
        validated,
        source=str(path),
        from_session=False,
        skipped=config.skipped,
        with_policy=with_policy,
    )


def _from_session(domain: str | None, state: Path | None) -> SetupFacts:
    from sesdmarc_tui.export import build_facts
    from sesdmarc_tui.flow.store import SessionStore, default_data_dir
    from sesdmarc_tui.headless.saved import NoSession, pick_session

    try:
        path, session = pick_session(SessionStore(default_data_dir()), domain=domain, path=state)
    except NoSession as exc:
        usage_error(str(exc))
    if not session.domain or not (session.region or session.value("accounts", "region")):
        usage_error(f"The session {path} has no domain and region yet: finish those steps first.")
    return build_facts(session, source=path.name, from_session=True)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    required=True,
    help="zone (BIND snippet) or csv: the DNS records; terraform or cloudformation: the whole "
    "setup.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Export what this setup.toml describes (instead of a saved session).",
)
@click.option("--domain", help="The latest saved session for this domain.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="This session file.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file."
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def export(
    *,
    fmt: str,
    config_path: Path | None,
    domain: str | None,
    state_path: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Export the records, or the whole setup as Terraform or CloudFormation."""
    from sesdmarc_tui.export import ExportError, render

    if config_path is not None and (domain or state_path):
        usage_error("--config exports a config; --domain and --state choose a session: give one.")
    try:
        whole = fmt in ("terraform", "cloudformation")
        if config_path is not None:
            facts = _from_config(config_path, with_policy=whole)
        else:
            facts = _from_session(domain, state_path)
        text = render(facts, fmt)
    except ExportError as exc:
        usage_error(str(exc))
    if not facts.records and fmt in ("zone", "csv"):
        usage_error("There are no records to export yet: " + " ".join(facts.notes))
    for note in facts.notes:
        click.echo(f"Note: {note}", err=True)
    write_text(text, output, force)

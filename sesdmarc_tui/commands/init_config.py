"""``sesdmarc init-config``: a commented ``setup.toml``, or one replaying a saved session."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sesdmarc_tui.commands.output import usage_error


def write_text(text: str, output: Path | None, force: bool) -> None:
    """``text`` to stdout, or to a new file (an existing one only with ``force``)."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(output, flags, 0o644)
    except FileExistsError:
        usage_error(f"{output} exists already; use --force to overwrite it.")
    except OSError as exc:
        usage_error(f"{output} cannot be written: {exc.strerror}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"Wrote {output}.", err=True)


@click.command("init-config")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of stdout.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option(
    "--from-session",
    is_flag=True,
    help="Replay a saved session (the wizard's or apply's): the latest one by default.",
)
@click.option("--domain", help="With --from-session: the latest session for this domain.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="With --from-session: this session file.",
)
def init_config(
    *,
    output: Path | None,
    force: bool,
    from_session: bool,
    domain: str | None,
    state_path: Path | None,
) -> None:
    """Write a commented example setup.toml for `sesdmarc apply`, or one from a session."""
    if not (from_session or domain or state_path):
        from sesdmarc_tui.setup_config.example import EXAMPLE

        write_text(EXAMPLE, output, force)
        return
    from sesdmarc_tui.flow.store import SessionStore, default_data_dir
    from sesdmarc_tui.headless.saved import NoSession, pick_session
    from sesdmarc_tui.setup_config.from_session import config_from_session

    try:
        path, state = pick_session(SessionStore(default_data_dir()), domain=domain, path=state_path)
    except NoSession as exc:
        usage_error(str(exc))
    write_text(config_from_session(state, source=path.name), output, force)

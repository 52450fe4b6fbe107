"""The ``sesdmarc`` command: the wizard, the sandbox demo and the inspection commands."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from sesdmarc_tui import __version__
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.commands.output import EXIT_USAGE

# Sub-commands are imported only when used: `sesdmarc demo` must not pay for the DMARC linter.
_COMMANDS: dict[str, str] = {
    "dmarc": "sesdmarc_tui.commands.dmarc:dmarc",
    "spf": "sesdmarc_tui.commands.spf:spf",
    "demo": "sesdmarc_tui.commands.demo:demo",
    "check": "sesdmarc_tui.commands.check:check",
    "verify-message": "sesdmarc_tui.commands.verify_message:verify_message",
    "apply": "sesdmarc_tui.commands.apply:apply",
    "init-config": "sesdmarc_tui.commands.init_config:init_config",
    "export": "sesdmarc_tui.commands.export:export",
    "cleanup": "sesdmarc_tui.commands.cleanup:cleanup",
    "reports": "sesdmarc_tui.commands.reports:reports",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


def _parse_nameservers(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, int]]:
    from sesdmarc_tui.dns.lookup import parse_nameserver

    result = []
    for value in values:
        for item in value.split(","):
            try:
                result.append(parse_nameserver(item))
            except ValueError:
                raise click.BadParameter(
                    f"{item!r} is not HOST[:PORT] with an IP address, e.g. 127.0.0.1:5300",
                    ctx=ctx,
                    param=param,
                ) from None
    return result


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="sesdmarc")
@click.option(
    "--nameserver",
    "nameservers",
    multiple=True,
    envvar="SESDMARC_NAMESERVER",
    callback=_parse_nameservers,
    metavar="HOST[:PORT]",
    help="Send every DNS query of the command to this server only (repeatable; "
    "default from SESDMARC_NAMESERVER, else the system resolver).",
)
@click.option("--plain", is_flag=True, help="Run the wizard as line-by-line prompts.")
@click.pass_context
def cli(ctx: click.Context, nameservers: list[tuple[str, int]], plain: bool) -> None:
    """Set up Amazon SES so your mail passes DMARC, and find out why it does not.

    Without a command, starts the wizard against your AWS accounts (`--plain` for line-by-line
    prompts). `sesdmarc demo` rehearses it offline; `sesdmarc check DOMAIN` inspects a setup.
    """
    ctx.obj = CliContext(nameservers=list(nameservers))
    if ctx.invoked_subcommand is None:
        from sesdmarc_tui.commands.wizard import environment_context, run

        ctx.exit(run("plain" if plain else "textual", environment_context(list(nameservers))))


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point; no input may end in a traceback."""
    try:
        return cli.main(args=argv, prog_name="sesdmarc", standalone_mode=True)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as exc:  # the last line of defence; each command handles its own errors
        if os.environ.get("SESDMARC_DEBUG"):
            raise
        click.echo(
            f"Internal error: {type(exc).__name__}: {exc}. "
            "Rerun with SESDMARC_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()

"""Commands of the CLI contract that later work builds: they exist, say so, and exit 2."""

from __future__ import annotations

from typing import Any

import click

from sesdmarc_tui.commands.output import usage_error


def _planned(name: str, summary: str) -> click.Command:
    @click.command(
        name=name,
        help=f"{summary} (not available yet).",
        short_help=f"[not available yet] {summary}",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...], **_: Any) -> None:
        usage_error(
            f"`sesdmarc {name}` is not available yet in this version. Available now: "
            "`sesdmarc dmarc lint|discover|evaluate` and `sesdmarc spf check|merge` "
            "(see `sesdmarc --help`)."
        )

    return command


demo = _planned("demo", "Rehearse the whole setup offline in a built-in sandbox")
check = _planned("check", "Inspect a domain's SES, DKIM, MAIL FROM, SPF and DMARC setup")
verify_message = _planned("verify-message", "Check DKIM, SPF and DMARC of a received message")
apply = _planned("apply", "Apply a setup from a TOML config file, headless")
init_config = _planned("init-config", "Write a commented example setup.toml")
export = _planned("export", "Export records or the setup as zone, CSV, Terraform or CloudFormation")
cleanup = _planned("cleanup", "Remove what the wizard created for a domain")
reports = _planned("reports", "Read DMARC aggregate reports from files or S3")

"""``sesdmarc`` and ``sesdmarc --plain`` without a command: the wizard, against real AWS.

The context is read from the environment (AWS config profiles, ``--nameserver`` or the system
resolver, the platformdirs state directory) inside the front end's start-up worker, so the first
screen is up before boto3 or dnspython is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sesdmarc_tui.commands.output import EXIT_USAGE
from sesdmarc_tui.frontends import FrontEnd, FrontEndMissing, launch

if TYPE_CHECKING:
    from sesdmarc_tui.flow.context import FlowContext


def environment_context(nameservers: list[tuple[str, int]]) -> Callable[[], FlowContext]:
    def build() -> FlowContext:
        from sesdmarc_tui.flow.context import FlowContext

        return FlowContext.from_environment(None, None, nameservers=nameservers)

    return build


def run(kind: FrontEnd, ctx: FlowContext | Callable[[], FlowContext]) -> int:
    """Start the wizard; a front end that cannot load is a usage error with the fix."""
    import click

    try:
        return launch(kind, ctx)
    except FrontEndMissing as exc:
        click.echo(str(exc), err=True)
        return EXIT_USAGE

"""The entry point the CLI calls: ``run_wizard(ctx, state)`` runs the Textual wizard.

``sesdmarc`` builds a ``FlowContext`` from the environment (``FlowContext.from_environment``)
and ``sesdmarc demo`` from the sandbox, then both call :func:`run_wizard`; a saved
``SessionState`` resumes at the first step that is not done. Nothing here imports boto3,
dnspython or questionary: the first screen appears before any of them is needed.

``python -m screens.run [--profile P] [--region R]`` runs the wizard against the real
environment, for development.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.board_source import RoundSource
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.state import SessionState


def run_wizard(
    ctx: FlowContext | Callable[[], FlowContext],
    state: SessionState | None = None,
    *,
    resume: bool | None = None,
    rounds: RoundSource | None = None,
    board_interval: float = 2.0,
) -> int:
    """Run the wizard until the operator quits; returns the process exit code.

    ``ctx``: the context, or a function that builds it (``sesdmarc demo`` starting the
    sandbox, the real environment being read); either way it is built, and the engine
    imported, in a worker while the first screen already shows. ``state``: a loaded session
    to continue (``resume`` then defaults to True: the wizard goes to the first step whose live
    status is not done). ``rounds``: where propagation rounds come from (default: the flow
    engine's ``Propagation`` with the context's servers). ``SESDMARC_THEME=light`` starts in
    the light theme. A context that cannot be built is shown with its remedy; exit status 1.
    """
    from screens.app import SesdmarcApp
    from screens.themes import DARK, LIGHT

    def build() -> Wizard:
        from sesdmarc_tui.flow.engine import Wizard

        built = ctx() if callable(ctx) else ctx
        built.front_end = built.front_end or "the full-screen wizard (sesdmarc)"
        return Wizard(built, state)

    theme = LIGHT if os.environ.get("SESDMARC_THEME", "").lower() == "light" else DARK
    app = SesdmarcApp(
        build,
        rounds=rounds,
        resume=state is not None if resume is None else resume,
        board_interval=board_interval,
        theme=theme,
    )
    try:
        app.run()
    finally:
        if app.ready:
            app.wizard.close()  # the setup's lock (the kernel drops it anyway at exit)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m screens.run", description=__doc__)
    parser.add_argument("--profile", help="AWS profile of the identity owner")
    parser.add_argument("--region", help="SES region")
    args = parser.parse_args(argv)

    def context() -> FlowContext:
        from sesdmarc_tui.flow.context import FlowContext

        return FlowContext.from_environment(args.profile, args.region)

    return run_wizard(context)


if __name__ == "__main__":
    sys.exit(main())

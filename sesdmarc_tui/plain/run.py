"""``sesdmarc --plain``: the wizard as line-by-line questions (questionary) and rich tables.

The CLI calls :func:`run_wizard` (by name, lazily: nothing else imports this package). The
steps, fields, validators, plans and help are the flow engine's, and so is the session state:
a setup begun in the full-screen wizard resumes here and the other way round.

How it ends: 0 when the operator quits or finishes; 130 after Ctrl-C (every finished action is
saved, and the message says how to resume); 2 without a terminal or when input ends (the
message points at ``sesdmarc apply``); 1 when the wizard cannot start.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from sesdmarc_tui.plain.look import make_console
from sesdmarc_tui.plain.render import error_text
from sesdmarc_tui.plain.work import Interrupted, run_work
from sesdmarc_tui.report.facts import safe

if TYPE_CHECKING:
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.state import SessionState
    from sesdmarc_tui.plain.mode import LineMode

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
APPLY_HINT = (
    "To set up without questions, use `sesdmarc apply --config setup.toml` "
    "(`sesdmarc init-config` writes an example to start from)."
)
NO_TERMINAL = (
    "The line mode asks questions and needs an interactive terminal, and stdin is not one. "
    + APPLY_HINT
)
INTRO = (
    "sesdmarc, line by line. ? shows help at any question; Ctrl-C stops after the action in "
    "progress. Nothing is changed until you confirm a step."
)
FRONT_END = "the line mode (sesdmarc --plain)"
NOT_KEPT = (
    "This run keeps no session once it ends (its state directory is discarded at exit), so "
    "there is nothing to resume: running the command again starts a new setup."
)


def interactive() -> bool:
    """A terminal to ask on: stdin is a tty, or prompt_toolkit was handed an input to read
    (tests, or a program embedding the line mode)."""
    from prompt_toolkit.application.current import get_app_session

    if getattr(get_app_session(), "_input", None) is not None:
        return True
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def run_wizard(
    ctx: FlowContext | Callable[[], FlowContext],
    state: SessionState | None = None,
    *,
    resume: bool | None = None,
) -> int:
    """Run the line-mode wizard until the operator quits or finishes; the exit status.

    ``ctx``: the context, or a function that builds it (``sesdmarc demo`` starts its sandbox
    there). ``state``: a loaded session to continue (``resume`` then defaults to True: the
    wizard goes to the first step not done). Without a state, unfinished saved setups are
    offered first (``resume=False`` skips that).
    """
    if not interactive():
        make_console(stderr=True).print(Text(NO_TERMINAL))
        return EXIT_USAGE
    return run_line_mode(make_console(), ctx, state, resume=resume)


def _build(ctx: FlowContext | Callable[[], FlowContext], state: SessionState | None) -> Wizard:
    from sesdmarc_tui.flow.engine import Wizard

    built = ctx() if callable(ctx) else ctx
    built.front_end = built.front_end or FRONT_END
    return Wizard(built, state)


def run_line_mode(
    console: Console,
    ctx: FlowContext | Callable[[], FlowContext],
    state: SessionState | None = None,
    *,
    resume: bool | None = None,
) -> int:
    from sesdmarc_tui.flow.runner import flow_error
    from sesdmarc_tui.plain.mode import LineMode

    console.print(Text(INTRO, style="dim"))
    try:
        wizard = run_work(console, "Starting…", lambda: _build(ctx, state))
    except KeyboardInterrupt:
        console.print(Text("Stopped before the wizard started; nothing was changed."))
        return EXIT_INTERRUPTED
    except Exception as exc:
        error = flow_error(exc)
        console.print(error_text(error.message, error.remedy, title="Could not start"))
        return EXIT_FAILED
    mode = LineMode(console, wizard)
    try:
        return _run(mode, state, resume)
    finally:
        if not mode.unsettled:
            mode.wizard.close()  # the setup's lock; an action still in flight keeps it


def _run(mode: LineMode, state: SessionState | None, resume: bool | None) -> int:
    from sesdmarc_tui.flow.runner import flow_error
    from sesdmarc_tui.plain.mode import QUIT
    from sesdmarc_tui.plain.start import first_step

    console = mode.console
    try:
        end = mode.run(first_step(mode, state, resume))
    except Interrupted as exc:
        return stopped(mode, settled=exc.settled)
    except KeyboardInterrupt:
        return stopped(mode, settled=True)
    except EOFError:
        return input_ended(mode)
    except Exception as exc:  # a bug, or a setup another wizard holds: said, never a traceback
        error = flow_error(exc)
        console.print(error_text(error.message, error.remedy, title="Stopped"))
        return EXIT_FAILED
    if end == QUIT:
        console.print(Text.assemble("Quit. ", saved_text(mode)))
    return EXIT_OK


def saved_text(mode: LineMode) -> Text:
    wizard = mode.wizard
    path = wizard.state_path
    if path is None or not path.exists():
        return Text("Nothing was saved yet, and nothing was changed in AWS or DNS.")
    if not wizard.ctx.keeps_state:
        return Text(NOT_KEPT)
    domain = wizard.state.domain or "the domain"
    return safe(
        f"The session is saved in {path}. To continue, run the same command again "
        f"(`sesdmarc --plain`, or `sesdmarc` for the full-screen wizard) and resume {domain}."
    )


def stopped(mode: LineMode, *, settled: bool) -> int:
    mode.console.print()
    if settled:
        head = "Stopped. Every finished action is recorded; nothing is half-done. "
    elif mode.wizard.ctx.keeps_state:
        head = (
            "Stopped while an action was still running: the next run reads AWS and DNS again "
            "and finishes what is missing, without repeating what is done. "
        )
    else:
        head = "Stopped while an action was still running. "
    mode.unsettled = not settled
    mode.console.print(Text.assemble((head, "bold"), saved_text(mode)))
    return EXIT_INTERRUPTED


def input_ended(mode: LineMode) -> int:
    mode.console.print()
    mode.console.print(
        Text.assemble(
            ("Input ended before the wizard finished. ", "bold"),
            f"The line mode needs a terminal to answer its questions. {APPLY_HINT} ",
            saved_text(mode),
        )
    )
    return EXIT_USAGE

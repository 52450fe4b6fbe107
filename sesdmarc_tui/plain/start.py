"""Where the line mode starts: a saved setup to resume, or the first step.

With no session handed in, the unfinished setups saved on this machine (by either front end)
are offered first, most recent first; choosing one continues it at its first step not done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.plain.work import run_work

if TYPE_CHECKING:
    from pathlib import Path

    from sesdmarc_tui.flow.state import SessionState
    from sesdmarc_tui.plain.mode import LineMode

NEW = "<new>"
MAX_OFFERED = 8
READING = "Reading the live status of every step…"


def _saved(mode: LineMode) -> Path | None:
    sessions = mode.wizard.ctx.store.sessions()[:MAX_OFFERED]
    if not sessions:
        return None
    options = [
        (
            str(path),
            f"Resume {st.domain} (account {st.account}, {st.region})",
            f"Last saved {st.updated_at}; stopped at {st.current_step or 'the start'}.",
        )
        for path, st in sessions
    ]
    options.append((NEW, "Start a new setup", "The saved setups stay as they are."))
    chosen = mode.prompter.select("Unfinished setups are saved here:", options, options[0][0])
    if chosen == NEW:
        return None
    from pathlib import Path

    return Path(chosen)


def first_step(mode: LineMode, state: SessionState | None, resume: bool | None) -> str:
    """The step to show first; may replace ``mode.wizard`` with a saved session's."""
    from sesdmarc_tui.flow.engine import Wizard

    ctx = mode.wizard.ctx
    if state is None and resume is not False:
        path = _saved(mode)
        if path is not None:
            mode.wizard = run_work(mode.console, "", lambda: Wizard.from_saved(ctx, path))
            resume = True
    if resume is None:
        resume = state is not None
    if resume:
        wizard = mode.wizard
        return run_work(mode.console, READING, lambda: wizard.resume().id)
    return mode.wizard.current.id

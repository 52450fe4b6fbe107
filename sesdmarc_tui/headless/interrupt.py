"""Ctrl-C during ``sesdmarc apply``: stop between two actions, never in the middle of one.

In the main thread, Ctrl-C lands wherever Python happens to be, possibly after SES accepted a
call and before the session recorded it (a test email sent and not remembered is sent again by
the next run). So the run goes to a worker thread: the first Ctrl-C asks it to stop at its next
safe point (the action in flight finishes and is saved and audited first), then raises
``KeyboardInterrupt`` here; a second Ctrl-C stops waiting at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from sesdmarc_tui.flow.threaded import Work

T = TypeVar("T")


def run_stoppable(fn: Callable[[], T], stop: Callable[[], None]) -> T:
    """``fn()``, with Ctrl-C turned into ``stop()`` and a wait for ``fn`` to end.

    Outside the main thread (a caller's own worker, a test) ``fn`` simply runs: signals only
    reach the main thread. ``fn`` ends a stopped run by raising ``KeyboardInterrupt`` itself.
    """
    if threading.current_thread() is not threading.main_thread():
        return fn()
    work = Work(fn, "sesdmarc-apply")
    try:
        work.start()
        work.wait()
    except KeyboardInterrupt:
        if not work.started:
            raise
        stop()
        work.wait()  # a second Ctrl-C leaves from here, as KeyboardInterrupt
    return work.result()

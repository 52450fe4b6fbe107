"""Engine calls in a worker thread, so that Ctrl-C reaches the operator, not boto3.

The engine blocks (AWS, DNS). Run in the main thread, a Ctrl-C would land in the middle of an
API call and the write in flight might or might not have happened. Here the call runs in a
thread while the main thread waits; Ctrl-C then asks the engine to stop *between* actions
(``Wizard.cancel``), waits for the action in flight to finish and be recorded, and only then
raises :class:`Interrupted`. A second Ctrl-C stops waiting at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.console import Console

from sesdmarc_tui.flow.threaded import Work

T = TypeVar("T")
STOPPING = "[bold]Stopping after the action in progress…[/] (Ctrl-C again to stop waiting)"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, after the work in flight was stopped cleanly (``settled``) or not."""

    def __init__(self, settled: bool) -> None:
        super().__init__()
        self.settled = settled


def run_work(
    console: Console,
    what: str,
    fn: Callable[[], T],
    *,
    cancel: Callable[[], None] | None = None,
) -> T:
    """``fn()`` in a thread; its exception is re-raised here. With ``cancel``, Ctrl-C stops
    the work between two actions and waits for it (the state then holds every finished one)."""
    work = Work(fn, "sesdmarc-plain")
    try:
        work.start()  # inside the try: Ctrl-C may come while the thread starts
        if console.is_terminal and what:
            with console.status(what):
                work.wait()
        else:
            work.wait()
    except KeyboardInterrupt:
        if cancel is None or not work.started:
            raise Interrupted(settled=True) from None  # a read, or nothing started
        cancel()
        console.print(STOPPING)
        try:
            work.wait()
        except KeyboardInterrupt:
            raise Interrupted(settled=False) from None
        raise Interrupted(settled=True) from None
    return work.result()

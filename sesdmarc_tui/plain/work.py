"""Engine calls in a worker thread, so that Ctrl-C reaches the operator, not boto3.

The engine blocks (AWS, DNS). Run in the main thread, a Ctrl-C would land in the middle of an
API call and the write in flight might or might not have happened. Here the call runs in a
thread while the main thread waits; Ctrl-C then asks the engine to stop *between* actions
(``Wizard.cancel``), waits for the action in flight to finish and be recorded, and only then
raises :class:`Interrupted`. A second Ctrl-C stops waiting at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from rich.console import Console

T = TypeVar("T")
POLL = 0.05
STOPPING = "[bold]Stopping after the action in progress…[/] (Ctrl-C again to stop waiting)"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, after the work in flight was stopped cleanly (``settled``) or not."""

    def __init__(self, settled: bool) -> None:
        super().__init__()
        self.settled = settled


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.value: T | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


def _wait(outcome: _Outcome[T]) -> None:
    while not outcome.done.wait(POLL):
        pass


def run_work(
    console: Console,
    what: str,
    fn: Callable[[], T],
    *,
    cancel: Callable[[], None] | None = None,
) -> T:
    """``fn()`` in a thread; its exception is re-raised here. With ``cancel``, Ctrl-C stops
    the work between two actions and waits for it (the state then holds every finished one)."""
    outcome: _Outcome[T] = _Outcome()

    def target() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:  # handed to the main thread, which re-raises it
            outcome.error = exc
        finally:
            outcome.done.set()

    worker = threading.Thread(target=target, name="sesdmarc-plain", daemon=True)
    try:
        worker.start()  # inside the try: Ctrl-C may come while the thread starts
        if console.is_terminal and what:
            with console.status(what):
                _wait(outcome)
        else:
            _wait(outcome)
    except KeyboardInterrupt:
        if cancel is None or worker.ident is None:
            raise Interrupted(settled=True) from None  # a read, or nothing started
        cancel()
        console.print(STOPPING)
        try:
            _wait(outcome)
        except KeyboardInterrupt:
            raise Interrupted(settled=False) from None
        raise Interrupted(settled=True) from None
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]

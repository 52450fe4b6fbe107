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
from typing import Generic, TypeVar

T = TypeVar("T")
POLL = 0.05


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.value: T | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


def _wait(outcome: _Outcome[T]) -> None:
    while not outcome.done.wait(POLL):
        pass


def run_stoppable(fn: Callable[[], T], stop: Callable[[], None]) -> T:
    """``fn()``, with Ctrl-C turned into ``stop()`` and a wait for ``fn`` to end.

    Outside the main thread (a caller's own worker, a test) ``fn`` simply runs: signals only
    reach the main thread. ``fn`` ends a stopped run by raising ``KeyboardInterrupt`` itself.
    """
    if threading.current_thread() is not threading.main_thread():
        return fn()
    outcome: _Outcome[T] = _Outcome()

    def target() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:  # handed to the main thread, which re-raises it
            outcome.error = exc
        finally:
            outcome.done.set()

    worker = threading.Thread(target=target, name="sesdmarc-apply", daemon=True)
    try:
        worker.start()
        _wait(outcome)
    except KeyboardInterrupt:
        if worker.ident is None:
            raise
        stop()
        _wait(outcome)  # a second Ctrl-C leaves from here, as KeyboardInterrupt
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]

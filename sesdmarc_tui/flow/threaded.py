"""Blocking engine work in a thread, waited for in short slices so Ctrl-C reaches the caller.

Shared by the line mode and ``sesdmarc apply``: a Ctrl-C in the main thread would otherwise
land inside an API call, where the write in flight may or may not have happened. The caller
decides what Ctrl-C means (stop between actions, then wait again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
POLL = 0.05


class Work(Generic[T]):
    """``fn()`` in a daemon thread; ``result()`` returns its value or re-raises its error."""

    def __init__(self, fn: Callable[[], T], name: str) -> None:
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # handed to the waiting thread, which re-raises it
            self._error = exc
        finally:
            self._done.set()

    def start(self) -> None:
        self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def wait(self) -> None:
        """Until ``fn`` ends; short slices, because a signal interrupts no long wait."""
        while not self._done.wait(POLL):
            pass

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

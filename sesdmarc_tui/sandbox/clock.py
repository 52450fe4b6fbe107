"""The demo clock: sandbox time runs faster than real time so TTLs and SES's 72 hours pass.

Everything time-dependent in the sandbox (resolver caches, DKIM PENDING -> FAILED) reads this
clock, never ``time.time()`` directly, so tests can jump it forward with ``advance``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class DemoClock:
    def __init__(
        self,
        speed: float = 60.0,
        *,
        start: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("the demo clock must run forward")
        self.speed = speed
        self._monotonic = monotonic
        self._origin_real = monotonic()
        self._origin_demo = time.time() if start is None else start
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Demo seconds since the epoch."""
        with self._lock:
            elapsed = self._monotonic() - self._origin_real
            return self._origin_demo + elapsed * self.speed + self._offset

    def advance(self, seconds: float) -> None:
        """Jump demo time forward (tests, and the demo's "skip ahead" action)."""
        if seconds < 0:
            raise ValueError("the demo clock never goes back")
        with self._lock:
            self._offset += seconds

    def real_seconds(self, demo_seconds: float) -> float:
        """How long ``demo_seconds`` of demo time takes in real time."""
        return demo_seconds / self.speed

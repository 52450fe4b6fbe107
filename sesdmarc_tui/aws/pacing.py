"""Pacing and throttling back-off for SES calls.

SES throttles every non-send API action at one request per second per account and region
(SES DG quotas), so the adapters space those calls themselves instead of provoking
``TooManyRequestsException``. When AWS throttles anyway, :func:`call_with_backoff` waits and
retries, and reports every wait through ``on_wait`` so that a front end can say "throttled by
SES, retrying in 2 s" instead of looking hung.

botocore's own retries are kept out of SES clients (see ``session.ClientSettings``): in the
standard mode they also retry ``LimitExceededException``, which never clears by waiting. So the
transient failures botocore would retry (5xx, a dropped connection, a timeout) are retried here
too, but only where a retry is safe: a call that is not idempotent (a send) is retried only when
AWS certainly did not act on it (throttled, 503, no connection made), never after a timeout or
a reset, which may come after the message went out.

Clock and sleep are injectable so tests never really sleep.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from sesdmarc_tui.aws.errors import AwsError, ErrorKind, translate

T = TypeVar("T")

OnWait = Callable[[float, str], None]
Clock = Callable[[], float]
Sleep = Callable[[float], None]

SES_MANAGEMENT_INTERVAL = 1.0


class Pacer:
    """Allow one call per ``interval`` seconds per key, across threads.

    Each caller reserves the next free slot under the lock and sleeps outside it, so callers
    are served in arrival order and a sleeping thread never blocks another key.
    """

    def __init__(
        self,
        interval: float = SES_MANAGEMENT_INTERVAL,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[Hashable, float] = {}
        self._lock = threading.Lock()

    def reserve(self, key: Hashable) -> float:
        """Book the next slot for ``key`` and return how long the caller must wait for it."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + self.interval
            return slot - now

    def wait(self, key: Hashable, *, reason: str = "", on_wait: OnWait | None = None) -> float:
        """Block until ``key`` may make its next call; return the seconds waited."""
        delay = self.reserve(key)
        if delay > 0:
            if on_wait is not None:
                on_wait(delay, reason or "pacing SES calls at 1 per second")
            self._sleep(delay)
        return delay


_SHARED_SES_PACER = Pacer()


def shared_ses_pacer() -> Pacer:
    """The process-wide pacer: every adapter on one account and region shares its budget."""
    return _SHARED_SES_PACER


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off for throttled calls: ``base * 2**n`` seconds, capped, with equal jitter."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 20.0

    def delay(self, retry_number: int, rng: Callable[[], float] = random.random) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2.0**retry_number))
        # Equal jitter: at least half the back-off, so a retry never comes immediately.
        return ceiling / 2 + rng() * ceiling / 2


NO_RETRY = RetryPolicy(max_attempts=1)

# Failures after which AWS certainly did not carry the request out.
NOT_CARRIED_OUT = frozenset(
    {
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "EndpointConnectionError",
        "ConnectTimeoutError",
    }
)


def should_retry(error: AwsError, *, idempotent: bool = True) -> bool:
    """Whether waiting and calling again may help, and cannot do the work twice."""
    if error.kind is ErrorKind.THROTTLED:
        return True
    if not error.retryable:
        return False
    return idempotent or error.code in NOT_CARRIED_OUT


def call_with_backoff(
    call: Callable[[], T],
    *,
    operation: str,
    service: str = "sesv2",
    before_attempt: Callable[[], object] | None = None,
    policy: RetryPolicy = RetryPolicy(),
    on_wait: OnWait | None = None,
    sleep: Sleep = time.sleep,
    rng: Callable[[], float] = random.random,
    translate_context: dict[str, str | None] | None = None,
    idempotent: bool = True,
) -> T:
    """Run ``call``; on throttling or a transient failure wait and retry, up to
    ``policy.max_attempts`` attempts in all (see :func:`should_retry`).

    Every failure leaves as an :class:`AwsError`. ``before_attempt`` runs before each attempt
    (the pacer), so retries are paced too.
    """
    context = translate_context or {}
    attempt = 0
    while True:
        attempt += 1
        if before_attempt is not None:
            before_attempt()
        try:
            return call()
        except Exception as exc:
            error = translate(exc, operation=operation, service=service, **context)
            retry = should_retry(error, idempotent=idempotent)
            if not retry or attempt >= policy.max_attempts:
                if retry and attempt > 1:
                    error.message = f"{error.message} (gave up after {attempt} attempts)"
                raise error from exc
            delay = policy.delay(attempt - 1, rng)
            if on_wait is not None:
                what = "throttled" if error.kind is ErrorKind.THROTTLED else "failed"
                on_wait(
                    delay,
                    f"{_service_label(service)} {what} {operation} ({error.code or error.kind}); "
                    f"retrying in {seconds_text(delay)} (attempt {attempt + 1} of "
                    f"{policy.max_attempts})",
                )
            sleep(delay)


def seconds_text(seconds: float) -> str:
    """``0.4 s``, ``2 s``, ``12 s``: short enough for a status line."""
    if seconds < 10:
        return f"{seconds:.1f}".rstrip("0").rstrip(".") + " s"
    return f"{seconds:.0f} s"


def _service_label(service: str) -> str:
    return {"sesv2": "SES", "ses": "SES", "route53": "Route 53"}.get(service, service)


__all__ = [
    "NO_RETRY",
    "SES_MANAGEMENT_INTERVAL",
    "Pacer",
    "RetryPolicy",
    "call_with_backoff",
    "seconds_text",
    "shared_ses_pacer",
    "should_retry",
]

"""Pacing at 1 call per second per (account, region) and reported back-off, on a fake clock."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.pacing import Pacer, RetryPolicy, call_with_backoff, seconds_text
from tests.adapters.aws._support import FakeClock, WaitLog

OnWait = Callable[[float, str], None]


def throttle() -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TooManyRequestsException", "Message": "Too Many Requests"},
            "ResponseMetadata": {"HTTPStatusCode": 429},
        },
        "GetEmailIdentity",
    )


def test_second_call_within_a_second_waits_and_reports(
    clock: FakeClock, waits: tuple[WaitLog, OnWait]
) -> None:
    log, on_wait = waits
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    key = ("111122223333", "eu-west-1")
    assert pacer.wait(key, on_wait=on_wait) == 0
    clock.now += 0.25
    assert pacer.wait(key, on_wait=on_wait) == pytest.approx(0.75)
    assert clock.sleeps == [pytest.approx(0.75)]
    assert log[0][0] == pytest.approx(0.75) and "1 per second" in log[0][1]


def test_keys_are_paced_independently_and_idle_time_counts(clock: FakeClock) -> None:
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    pacer.wait(("a", "eu-west-1"))
    assert pacer.wait(("a", "us-east-1")) == 0  # another region has its own budget
    assert pacer.wait(("b", "eu-west-1")) == 0  # another account too
    clock.now += 5
    assert pacer.wait(("a", "eu-west-1")) == 0
    assert clock.sleeps == []


def test_reservations_queue_up_in_order() -> None:
    clock = FakeClock()
    pacer = Pacer(1.0, clock=clock, sleep=lambda s: None)  # time does not move
    delays = [pacer.reserve("k") for _ in range(4)]
    assert delays == [0.0, 1.0, 2.0, 3.0]


def test_pacer_is_thread_safe() -> None:
    clock = FakeClock()
    pacer = Pacer(1.0, clock=clock, sleep=lambda s: None)
    delays: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            delay = pacer.reserve("k")
            with lock:
                delays.append(delay)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(delays) == [float(i) for i in range(400)]  # every slot handed out once


def test_throttling_is_retried_with_reported_back_off(
    clock: FakeClock, waits: tuple[WaitLog, OnWait]
) -> None:
    log, on_wait = waits
    outcomes: list[object] = [throttle(), throttle(), "ok"]

    def call() -> object:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    result = call_with_backoff(
        call, operation="GetEmailIdentity", on_wait=on_wait, sleep=clock.sleep, rng=lambda: 0.0
    )
    assert result == "ok"
    assert clock.sleeps == [0.5, 1.0]  # equal jitter with rng 0: half of 1 s, then of 2 s
    assert "SES throttled GetEmailIdentity (TooManyRequestsException)" in log[0][1]
    assert "retrying in 0.5 s (attempt 2 of 5)" in log[0][1]


def test_back_off_gives_up_after_max_attempts(clock: FakeClock) -> None:
    def call() -> None:
        raise throttle()

    with pytest.raises(AwsError) as info:
        call_with_backoff(
            call,
            operation="GetEmailIdentity",
            policy=RetryPolicy(max_attempts=3),
            sleep=clock.sleep,
            rng=lambda: 1.0,
        )
    assert info.value.kind is ErrorKind.THROTTLED
    assert "gave up after 3 attempts" in info.value.message
    assert clock.sleeps == [1.0, 2.0]


def test_other_errors_are_not_retried(clock: FakeClock) -> None:
    calls = 0

    def call() -> None:
        nonlocal calls
        calls += 1
        raise ClientError({"Error": {"Code": "LimitExceededException", "Message": "x"}}, "Op")

    with pytest.raises(AwsError) as info:
        call_with_backoff(call, operation="CreateEmailIdentityPolicy", sleep=clock.sleep)
    assert info.value.kind is ErrorKind.LIMIT_EXCEEDED
    assert calls == 1 and clock.sleeps == []


def test_back_off_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    assert policy.delay(10, rng=lambda: 1.0) == 8.0
    assert 4.0 <= policy.delay(10) <= 8.0


def test_seconds_text() -> None:
    assert seconds_text(0.5) == "0.5 s"
    assert seconds_text(2.0) == "2 s"
    assert seconds_text(12.4) == "12 s"

"""GetChange polling: PENDING -> INSYNC with back-off (moto is INSYNC at once, so a Stubber)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.dns.providers import ApplyResult
from sesdmarc_tui.dns.providers.route53 import Route53Provider
from tests.adapters.providers._support import dummy_session


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def offline() -> AwsSession:
    return dummy_session(None)


@pytest.fixture
def stub(offline: AwsSession) -> Iterator[Stubber]:
    with Stubber(offline.client("route53")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def change(status: str) -> dict[str, object]:
    info = {"Id": "/change/C1", "Status": status, "SubmittedAt": "2026-01-01T00:00:00Z"}
    return {"ChangeInfo": info}


PENDING = ApplyResult("route53", "example.com", (), change_id="C1", status="PENDING")


def test_wait_polls_until_insync_with_back_off(offline: AwsSession, stub: Stubber) -> None:
    for status in ("PENDING", "PENDING", "PENDING", "INSYNC"):
        stub.add_response("get_change", change(status), {"Id": "C1"})
    clock = Clock()
    provider = Route53Provider(offline, zone_id="Z1", sleep=clock.sleep, clock=clock)
    assert provider.wait(PENDING, timeout=60)
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_wait_gives_up_at_the_timeout(offline: AwsSession, stub: Stubber) -> None:
    for _ in range(5):
        stub.add_response("get_change", change("PENDING"), {"Id": "C1"})
    clock = Clock()
    provider = Route53Provider(offline, zone_id="Z1", sleep=clock.sleep, clock=clock)
    assert not provider.wait(PENDING, timeout=12)
    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0]
    assert clock.now == 12


def test_nothing_to_wait_for(offline: AwsSession) -> None:
    provider = Route53Provider(offline, zone_id="Z1")
    assert provider.wait(ApplyResult("route53", "example.com", ()), timeout=0)

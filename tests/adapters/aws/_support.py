"""Helpers shared by the AWS adapter tests (fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.aws.session import AwsSession, ClientSettings

OWNER_ACCOUNT = "123456789012"  # moto's default account for unknown access keys
DELEGATE_ACCOUNT = "222222222222"
REGION = "us-east-1"
# One attempt and short timeouts: a test should fail fast, never sit in botocore back-off.
TEST_SETTINGS = ClientSettings(max_attempts=1, connect_timeout=2.0, read_timeout=10.0)


def dummy_session(region: str = REGION, endpoint_url: str | None = None) -> AwsSession:
    return AwsSession.from_credentials(
        "testing-access-key",
        "testing-secret-key",
        region=region,
        endpoint_url=endpoint_url,
        settings=TEST_SETTINGS,
        label="test owner",
    )


class FakeClock:
    """``clock`` and ``sleep`` for Pacer and back-off: sleeping advances time instantly."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


WaitLog = list[tuple[float, str]]


def count_calls(client: Any, service: str) -> list[str]:
    """Record every operation name the client sends, through botocore's event hooks."""
    seen: list[str] = []

    def before_call(model: Any, **_: Any) -> None:
        seen.append(model.name)

    client.meta.events.register(f"before-call.{service}.*", before_call)
    return seen

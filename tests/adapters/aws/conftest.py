"""Fixtures for the AWS adapter tests: one moto server per run, reset before every test.

Credentials are dummies made up here; the root conftest already strips the developer's AWS_*
variables, and the config files are pointed at empty paths so no real profile is ever read.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.aws._support import (
    DELEGATE_ACCOUNT,
    REGION,
    FakeClock,
    WaitLog,
    dummy_session,
)


class _Server:
    url: str | None = None


@pytest.fixture(autouse=True)
def _isolated_aws_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A ThreadedMotoServer on an ephemeral loopback port, for the whole test session
    (stopping it costs ~0.5 s, so it is started once)."""
    # werkzeug logs every request, and moto's tracebacks for unimplemented calls, to stderr.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    _Server.url = f"http://{host}:{port}"
    yield _Server.url
    _Server.url = None
    server.stop()


@pytest.fixture(autouse=True)
def _reset_moto() -> None:
    """Wipe moto's state before each test (2 ms), once the server runs."""
    if _Server.url is not None:
        request = urllib.request.Request(f"{_Server.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200


@pytest.fixture
def owner(moto_url: str) -> AwsSession:
    """The identity owner: moto's default account 123456789012."""
    return dummy_session(REGION, moto_url)


@pytest.fixture
def delegate(owner: AwsSession) -> AwsSession:
    """A second account, reached the realistic way: AssumeRole into it (moto maps the
    temporary keys to the role's account; the role need not exist)."""
    return owner.assume_role(
        f"arn:aws:iam::{DELEGATE_ACCOUNT}:role/OrganizationAccountAccessRole",
        session_name="sesdmarc-tests",
    )


@pytest.fixture
def offline_session() -> AwsSession:
    """A session whose clients are only ever used under botocore's Stubber (no network)."""
    return dummy_session("eu-west-1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def no_pacing() -> Pacer:
    return Pacer(0.0)


@pytest.fixture
def waits() -> tuple[WaitLog, Callable[[float, str], None]]:
    log: WaitLog = []

    def on_wait(seconds: float, reason: str) -> None:
        log.append((seconds, reason))

    return log, on_wait

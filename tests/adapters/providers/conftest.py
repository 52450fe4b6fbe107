"""Fixtures for the DNS provider tests: knotd for RFC 2136, one moto server for Route 53.

AWS credentials are dummies made up here; the root conftest strips the developer's AWS_*
variables and the config files are pointed at empty paths, so no real profile is ever read.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.providers._support import ZONE, dummy_session
from tests.conftest import KNOT_MISSING
from tests.support.knot import KNOTD, KnotServer, start_knot


class _Moto:
    url: str | None = None


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A ThreadedMotoServer on an ephemeral loopback port for the whole session (its stop()
    costs ~0.5 s)."""
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    _Moto.url = f"http://{host}:{port}"
    yield _Moto.url
    _Moto.url = None
    server.stop()


@pytest.fixture(autouse=True)
def _isolated_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    if _Moto.url is not None:
        request = urllib.request.Request(f"{_Moto.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    yield


@pytest.fixture
def aws(moto_url: str) -> AwsSession:
    return dummy_session(moto_url)


@pytest.fixture
def knot(tmp_path: Path) -> Iterator[Callable[[list[str]], KnotServer]]:
    """``knot(zone_lines)`` starts knotd for ``example.test`` with DDNS enabled.

    knotd 3.2 does not create its database directory, and without it every UPDATE fails
    with SERVFAIL ("not exists"); the shared fixture only queries, so it is created here.
    """
    if KNOTD is None:
        pytest.skip(KNOT_MISSING)
    servers: list[KnotServer] = []

    def start(lines: list[str]) -> KnotServer:
        directory = tmp_path / f"knot-ddns{len(servers)}"
        (directory / "db").mkdir(parents=True)
        server = start_knot(directory, ZONE + ".", lines)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()

"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.knot import KNOTD, KnotServer, start_knot

KNOT_MISSING = (
    "knotd is not installed (Debian package `knot`; .ci/run installs it): real-DNS tests skipped"
)


@pytest.fixture(autouse=True)
def _no_system_dns_or_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own resolver choice and AWS profile out of every test."""
    monkeypatch.delenv("SESDMARC_NAMESERVER", raising=False)
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    # No test may reach for real credentials: not the developer's ~/.aws, not the EC2 metadata
    # service (a link-local address botocore would otherwise try when nothing else is found).
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def knot_server_factory(tmp_path: Path) -> Iterator[Callable[[str, list[str]], KnotServer]]:
    """Start real knotd servers for zones; every one is stopped by PID at teardown."""
    if KNOTD is None:
        pytest.skip(KNOT_MISSING)
    servers: list[KnotServer] = []

    def start(origin: str, records: list[str]) -> KnotServer:
        server = start_knot(tmp_path / f"knot{len(servers)}", origin, records)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def knot_zone(
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> Callable[[str, list[str]], tuple[str, int]]:
    """``knot_zone(origin, zone_file_lines) -> (host, port)`` of a knotd serving that zone."""

    def start(origin: str, records: list[str]) -> tuple[str, int]:
        server = knot_server_factory(origin, records)
        return server.host, server.port

    return start

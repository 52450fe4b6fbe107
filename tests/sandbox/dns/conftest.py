"""Fixtures for the sandbox DNS tests: a frozen demo clock and servers on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.runner import ResolverSpec, SandboxDns
from sesdmarc_tui.sandbox.dns.zones import ZoneStore
from tests.sandbox.dns._support import ZONE


@pytest.fixture
def clock() -> DemoClock:
    """Demo time that moves only when a test calls ``advance``: no test waits for real time."""
    return DemoClock(speed=1.0, start=1_800_000_000.0, monotonic=lambda: 0.0)


@pytest.fixture
def store() -> ZoneStore:
    zones = ZoneStore()
    zones.add_zone(ZONE, soa_minimum=300, soa_ttl=900)
    return zones


@pytest.fixture
def sandbox_factory(clock: DemoClock) -> Iterator[Callable[..., SandboxDns]]:
    started: list[SandboxDns] = []

    def start(**kwargs: object) -> SandboxDns:
        sandbox = SandboxDns.start(clock, **kwargs)  # type: ignore[arg-type]
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., SandboxDns], store: ZoneStore) -> SandboxDns:
    """The test zone served by the auth server and two resolvers, one lagging by 600 s."""
    return sandbox_factory(
        store=store, resolvers=(ResolverSpec("resolver-a"), ResolverSpec("resolver-b", 600.0))
    )

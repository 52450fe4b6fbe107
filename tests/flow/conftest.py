"""Fixtures for the step-engine tests: the in-memory world, and no real AWS config or DNS."""

from __future__ import annotations

from pathlib import Path

import pytest

from sesdmarc_tui.flow.context import FlowContext
from tests.flow.fakes import DOMAIN, FakeProvider, FakeZone, World, fake_context


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # Anything that still reaches for platformdirs lands in the test's own directory.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def world() -> World:
    return World(FakeZone(DOMAIN))


@pytest.fixture
def fake(tmp_path: Path, world: World) -> tuple[FlowContext, FakeProvider]:
    return fake_context(tmp_path, world)

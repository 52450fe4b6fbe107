"""A running sandbox per line-mode test, with the environment pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.sandbox_setup import DOMAIN, REGION


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with world.Sandbox.start(domain=DOMAIN, region=REGION, speed=600.0) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box

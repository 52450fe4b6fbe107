"""TUI test fixtures: no real AWS config, data under the test's directory, the fake world."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.world import TuiWorld, make_world


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("TERM_PROGRAM", raising=False)
    monkeypatch.delenv("SESDMARC_CLIPBOARD", raising=False)


@pytest.fixture
def tui(tmp_path: Path) -> TuiWorld:
    return make_world(tmp_path)

"""The wheel ships screens/ and assets/, installs into a fresh venv, and its CLI runs."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("sesdmarc_tui-*.whl")
    return built


def test_wheel_contains_screens_and_assets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "screens/__init__.py" in names
    assert "assets/__init__.py" in names
    assert "assets/help/overview.md" in names
    assert "sesdmarc_tui/py.typed" in names
    assert not [n for n in names if n.startswith("tests/")]


def test_wheel_installs_and_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    sesdmarc = env_dir / "bin" / "sesdmarc"
    version = subprocess.run(
        [str(sesdmarc), "--version"], capture_output=True, text=True, check=True
    )
    assert "sesdmarc, version" in version.stdout
    lint = subprocess.run(
        [str(sesdmarc), "dmarc", "lint", "v=DMARC1; p=none", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the checkout: the installed package must be the one imported
    )
    assert lint.returncode == 0, lint.stderr
    result = json.loads(lint.stdout)
    assert result["valid"] is True
    assert result["effective"]["p"] == "none"
    # The assets ship as package data and are found from the installed location.
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import assets, screens; print(assets.asset('help','overview.md').read_text()[:10])",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert probe.stdout.startswith("# sesdmarc")

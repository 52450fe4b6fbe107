"""Layering is law: the engine loads no front end, core loads no network library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CORE_FORBIDDEN = [
    "boto3",
    "botocore",
    "dns.resolver",
    "dns.query",
    "dns.asyncresolver",
    "textual",
    "questionary",
]


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(out.stdout))


def _core_modules() -> list[str]:
    core = ROOT / "sesdmarc_tui" / "core"
    return sorted(
        "sesdmarc_tui."
        + ".".join(p.relative_to(ROOT / "sesdmarc_tui").with_suffix("").parts).replace(
            ".__init__", ""
        )
        for p in core.rglob("*.py")
    )


def test_core_loads_no_network_or_ui_library() -> None:
    imports = "\n".join(f"import {m}" for m in _core_modules())
    loaded = _loaded_after(imports)
    assert not [m for m in CORE_FORBIDDEN if m in loaded]


def test_cli_start_loads_no_heavy_library() -> None:
    # `sesdmarc --help` and the lazy group must stay fast: boto3, moto, textual come later.
    loaded = _loaded_after("import sesdmarc_tui.cli")
    assert not [
        m
        for m in ["boto3", "botocore", "moto", "textual", "questionary", "dns.resolver"]
        if m in loaded
    ]


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed in this environment")
    result = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr

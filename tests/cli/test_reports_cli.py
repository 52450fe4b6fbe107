"""``sesdmarc reports``: human and JSON output, thresholds, and the exit codes 0, 1 and 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sesdmarc_tui.cli import cli
from tests.support.dmarc_reports import (
    forwarder_row,
    gz,
    message,
    report,
    ses_row,
    spoofer_row,
    xml,
    zipped,
)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["reports", *args], env={"COLUMNS": "100"})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    root.mkdir()
    for day in range(15):
        rows = (ses_row(40 + day), forwarder_row(2), spoofer_row(3))
        if day % 3 == 0:
            (root / f"g{day}.xml.gz").write_bytes(gz(xml(report(day, rows))))
        elif day % 3 == 1:
            (root / f"o{day}.eml").write_bytes(
                message(gz(xml(report(day, rows, schema="rfc9990", org="Outlook.com"))))
            )
        else:
            (root / f"y{day}.zip").write_bytes(zipped(xml(report(day, rows, org="Yahoo"))))
    return root


def test_human_output(folder: Path) -> None:
    result = run(str(folder), "--mail-from", "mail.example.com")
    assert result.exit_code == 0, result.output
    out = result.output
    for expected in (
        "DMARC aggregate reports for example.com",
        "2026-11-14 to 2026-11-28 (UTC)",
        "READY Ready for stage 2 (Test quarantine)",
        "✓ Days of reports: 15 day(s)",
        "SES for this identity",
        "Other known senders",
        "Per source IP",
        "Per reporting organisation",
        "Outlook.com",
        "2026-11-28 █",
    ):
        assert expected in out, expected


def test_json_output_and_thresholds(folder: Path) -> None:
    result = run(str(folder), "--json", "--threshold", "days=20")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["reports"] == 15 and data["schemas"] == {"rfc7489": 10, "rfc9990": 5}
    assert data["readiness"]["verdict"] == "not_ready"
    assert data["readiness"]["thresholds"]["days"] == 20
    assert [g["group"] for g in data["groups"]] == ["ses", "known", "unknown"]
    assert data["sources"][0]["ip"] == "54.240.8.21" and len(data["days"]) == 15
    since = json.loads(run(str(folder), "--json", "--since", "2026-11-20").output)
    assert since["reports"] == 9 and since["ignored_reports"] == 6


def test_known_senders_and_stage(folder: Path) -> None:
    data = json.loads(
        run(
            str(folder), "--json", "--known", "spoof=203.0.113.0/24", "--stage", "quarantine"
        ).output
    )
    assert data["groups"][2]["messages"] == 0
    assert data["readiness"]["stage"]["key"] == "quarantine"


def test_exit_codes(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.xml").write_bytes(b"<feedback>")
    assert run(str(folder)).exit_code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(str(empty)).exit_code == 1
    for args in (
        [str(tmp_path / "missing")],
        [str(folder), "--threshold", "speed=3"],
        [str(folder), "--since", "yesterday"],
        [str(folder), "--known", "nothing"],
        [str(folder), "--stage", "9"],
        [str(folder), "--domain", "not a domain"],
        ["s3://"],
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_hostile_input_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "laughs.xml").write_bytes(
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feedback>&b;</feedback>'
    )
    (tmp_path / "bomb.gz").write_bytes(gz(b"\0" * (40 * 1024 * 1024)))
    (tmp_path / "ok.xml").write_bytes(xml(report(0)))
    result = run(str(tmp_path), "--json")
    assert result.exit_code == 1
    kinds = sorted(p["kind"] for p in json.loads(result.output)["problems"])
    assert kinds == ["decompression_limit", "entities_refused"]

"""Collecting reports from disk: XML, gzip, zip, .eml, mbox, folders; bombs refused."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest

from sesdmarc_tui.core.reports import Identity, Limits, Options, Problem
from sesdmarc_tui.reports.load import SourceError, collect, read_reports
from sesdmarc_tui.reports.unpack import extract
from tests.support.dmarc_reports import (
    DOMAIN,
    MAIL_FROM,
    gz,
    mbox,
    message,
    report,
    xml,
    zipped,
)

OPTIONS = Options(identity=Identity(DOMAIN, MAIL_FROM))


def documents(name: str, data: bytes, limits: Limits | None = None) -> list[object]:
    return [
        item if isinstance(item, Problem) else item[0]
        for item in extract(name, data, limits or Limits())
    ]


def test_every_packing_a_receiver_uses() -> None:
    text = xml(report(0))
    assert documents("a.xml", text) == ["a.xml"]
    assert documents("a.xml.gz", gz(text)) == ["a.xml"]
    assert documents("a.zip", zipped(text, "r.xml")) == ["a.zip/r.xml"]
    assert documents("m.eml", message(gz(text))) == ["m.eml#r.xml"]
    assert documents("m.eml", message(zipped(text), "zip", "r.zip")) == ["m.eml#r.zip/report.xml"]
    assert documents("box", mbox(message(gz(text)), message(gz(text)))) == [
        "box[1]#r.xml",
        "box[2]#r.xml",
    ]
    two = gz(text) + gz(text)  # a gzip file of two members is one document, both inside
    assert documents("two.gz", two) == ["two"]


def test_a_message_without_a_report_and_unknown_bytes() -> None:
    plain = b"From: a@example.org\r\nSubject: hi\r\n\r\nNo report here.\r\n"
    assert [p.kind for p in documents("m.eml", plain)] == ["no_report_found"]  # type: ignore[attr-defined]
    assert [p.kind for p in documents("x.bin", b"\x00\x01binary")] == ["not_a_report"]  # type: ignore[attr-defined]
    assert [p.kind for p in documents("t.gz", gz(b"<feedback/>" * 100)[:30])] == [  # type: ignore[attr-defined]
        "decompression_limit"
    ]


def test_a_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), mtime=0)  # 64 MiB of zeros in ~64 KiB
    found = documents("bomb.xml.gz", bomb, Limits(max_xml_bytes=8 * 1024 * 1024))
    assert len(found) == 1 and found[0].kind == "decompression_limit"  # type: ignore[attr-defined]


def test_a_zip_bomb_is_refused_by_ratio_and_total() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(4):
            archive.writestr(f"r{n}.xml", b" " * (8 * 1024 * 1024))
    found = documents("bomb.zip", buffer.getvalue())
    assert [p.kind for p in found] == ["decompression_limit"]  # type: ignore[attr-defined]
    assert "200:1" in found[0].message  # type: ignore[attr-defined]
    nested = zipped(zipped(zipped(zipped(zipped(xml(report(0)))))))
    assert [p.kind for p in documents("n.zip", nested)] == ["decompression_limit"]  # type: ignore[attr-defined]
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(20):
            archive.writestr(f"{n}.xml", b"<x/>")
    assert documents("many.zip", many.getvalue(), Limits(max_members=10))[0].kind == (  # type: ignore[attr-defined]
        "decompression_limit"
    )


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.xml").write_bytes(xml(report(0)))
    (tmp_path / "sub" / "b.xml.gz").write_bytes(gz(xml(report(1, schema="rfc9990"))))
    (tmp_path / "sub" / "c.eml").write_bytes(message(zipped(xml(report(2))), "zip", "c.zip"))
    (tmp_path / ".hidden.xml").write_bytes(b"<broken")
    (tmp_path / "big.xml").write_bytes(b"<" + b" " * 5000)
    collected = collect(str(tmp_path), limits=Limits(max_input_bytes=4096))
    assert sorted(Path(n.split("#")[0].split(".zip/")[0]).name for n, _ in collected.documents) == [
        "a.xml",
        "b.xml",
        "c.eml",
    ]
    assert [(Path(p.source).name, p.kind) for p in collected.problems] == [("big.xml", "too_large")]
    analysis, _ = read_reports(str(tmp_path), OPTIONS, limits=Limits(max_input_bytes=4096))
    assert len(analysis.reports) == 3 and analysis.has_errors


def test_bad_sources(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        collect(str(tmp_path / "missing"))
    with pytest.raises(SourceError):
        collect("s3://")
    with pytest.raises(SourceError):
        collect("s3://bucket/prefix")  # no S3 access given
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.xml"
        locked.write_bytes(b"<x/>")
        locked.chmod(0)
        assert collect(str(locked)).problems[0].kind == "unreadable"

"""From whatever arrived to report documents: XML, gzip, zip, a mail message or an mbox.

Receivers send the XML gzip- or zip-compressed, attached to a message; SES stores that message
raw in S3; operators save messages as ``.eml`` files or whole mailboxes. Everything here is
bounded before it is decompressed: each document by ``max_xml_bytes``, one input's total output
by ``max_expanded_bytes``, each archive by a decompression ratio, members and nesting by count
and depth. A bomb stops at the first limit and is reported; nothing is ever inflated in full.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from sesdmarc_tui.core.reports.limits import Limits
from sesdmarc_tui.core.reports.model import Problem

CHUNK = 64 * 1024
RATIO_FLOOR = 1024 * 1024  # below this much output a high ratio is just a small report
Document = tuple[str, bytes]
Item = Document | Problem


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Budget:
    """What one input may still expand to, shared by everything nested in it."""

    limits: Limits
    left: int

    @classmethod
    def of(cls, limits: Limits) -> Budget:
        return cls(limits, limits.max_expanded_bytes)

    def take(self, size: int, what: str) -> None:
        self.left -= size
        if self.left < 0:
            raise Refused(
                f"{what} expands past {self.limits.max_expanded_bytes:,} bytes in total "
                "(a decompression bomb, or far more than any report)."
            )


def _cap(limits: Limits, budget: Budget) -> int:
    return min(limits.max_xml_bytes, max(budget.left, 0))


def _check_ratio(out: int, compressed: int, limits: Limits, what: str) -> None:
    if out > RATIO_FLOOR and out > limits.max_ratio * max(compressed, 1):
        raise Refused(
            f"{what} expands more than {limits.max_ratio}:1 (a decompression bomb); refused."
        )


def gunzip(data: bytes, budget: Budget, what: str) -> bytes:
    """All gzip members of ``data``, bounded; raises :class:`Refused`."""
    cap = _cap(budget.limits, budget)
    parts: list[bytes] = []
    size, rest = 0, data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        try:
            while not inflater.eof:
                chunk = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if not chunk and not pending:
                    break  # no input left and nothing more comes out: truncated
                size += len(chunk)
                if size > cap:
                    raise Refused(f"{what} decompresses to more than {cap:,} bytes; refused.")
                _check_ratio(size, len(data), budget.limits, what)
                parts.append(chunk)
        except zlib.error as exc:
            raise Refused(f"{what} is not a readable gzip file ({exc}).") from None
        if not inflater.eof:
            raise Refused(f"{what} is a truncated gzip file.")
        rest = inflater.unused_data.lstrip(b"\0")
        if rest[:2] != b"\x1f\x8b":
            break  # trailing bytes that are not another gzip member are ignored
    budget.take(size, what)
    return b"".join(parts)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, what: str
) -> bytes:
    cap = _cap(budget.limits, budget)
    out = bytearray()
    with archive.open(info) as handle:  # never trusts the sizes the archive claims
        while chunk := handle.read(CHUNK):
            out += chunk
            if len(out) > cap:
                raise Refused(f"{what} decompresses to more than {cap:,} bytes; refused.")
            _check_ratio(len(out), info.compress_size, budget.limits, what)
    budget.take(len(out), what)
    return bytes(out)


def unzip(data: bytes, budget: Budget, what: str) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Refused(f"{what} is not a readable zip file ({exc}).") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > budget.limits.max_members:
            raise Refused(f"{what} holds {len(infos):,} files; the limit is a few hundred.")
        for info in infos:
            name = f"{what}/{info.filename}"
            if info.flag_bits & 0x1:
                raise Refused(f"{name} is encrypted.")
            try:
                yield name, _zip_member(archive, info, budget, name)
            except (
                zipfile.BadZipFile,
                zlib.error,
                OSError,
                EOFError,
                RuntimeError,
                ValueError,  # a damaged directory: "negative seek value"
                NotImplementedError,  # a compression method zipfile lacks
            ) as exc:
                raise Refused(f"{name} cannot be decompressed ({exc}).") from None


def kind_of(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"From "):
        return "mbox"
    first = head.split(b"\n", 1)[0]
    name, colon, _ = first.partition(b":")
    if colon and name and all(33 <= c <= 126 for c in name):
        return "message"
    return "unknown"


def extract(
    name: str, data: bytes, limits: Limits, budget: Budget | None = None, depth: int = 0
) -> Iterator[Item]:
    """Every report document inside ``data``, or a problem for what cannot be read."""
    from sesdmarc_tui.reports.mime import messages_of_mbox, parts_of_message

    budget = budget or Budget.of(limits)
    kind = kind_of(data)
    if depth > limits.max_depth:
        yield Problem(name, "decompression_limit", "Archives nested too deep; refused.")
        return
    try:
        if kind == "xml":
            yield name, data
        elif kind == "gzip":
            yield from extract(
                name.removesuffix(".gz"), gunzip(data, budget, name), limits, budget, depth + 1
            )
        elif kind == "zip":
            for member, content in unzip(data, budget, name):
                yield from extract(member, content, limits, budget, depth + 1)
        elif kind == "message":
            found = False
            for part, content in parts_of_message(name, data, limits):
                found = True
                yield from extract(part, content, limits, budget, depth + 1)
            if not found:
                yield Problem(name, "no_report_found", "The message has no report attached.")
        elif kind == "mbox":
            for message, content in messages_of_mbox(name, data, limits):
                yield from extract(message, content, limits, budget, depth + 1)
        else:
            yield Problem(name, "not_a_report", "Neither XML, gzip, zip nor a mail message.")
    except Refused as exc:
        yield Problem(name, "decompression_limit", exc.message)

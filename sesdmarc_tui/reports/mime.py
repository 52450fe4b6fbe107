"""Report attachments out of mail messages, and messages out of an mbox.

RFC 9990: the report is attached as ``application/gzip`` (or ``text/xml`` uncompressed);
receivers also use ``application/zip``, ``application/x-gzip`` and ``application/octet-stream``
with a ``.xml.gz``/``.zip`` name, and some put the XML in the body itself. Every part whose type
or name says so is handed back for unpacking; the rest (the human-readable text) is skipped.
Sizes are bounded before a part is base64-decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.message import Message
from email.parser import BytesParser

from sesdmarc_tui.core.reports.limits import Limits

REPORT_TYPES = frozenset(
    {
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip",
        "application/x-zip-compressed",
        "text/xml",
        "application/xml",
    }
)
REPORT_SUFFIXES = (".xml", ".gz", ".zip", ".xml.gz")


def _wanted(part: Message) -> bool:
    ctype = part.get_content_type().lower()
    name = (part.get_filename() or "").lower()
    return ctype in REPORT_TYPES or name.endswith(REPORT_SUFFIXES)


def parts_of_message(name: str, data: bytes, limits: Limits) -> Iterator[tuple[str, bytes]]:
    """(``name#filename``, decoded bytes) for every part that may hold a report."""
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    seen = 0
    for part in message.walk():
        if part.is_multipart() or not _wanted(part):
            continue
        seen += 1
        if seen > limits.max_members:
            return
        raw = part.get_payload()
        if isinstance(raw, str) and len(raw) > limits.max_input_bytes * 4 // 3 + 1024:
            continue  # larger than any input may be once decoded
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            filename = part.get_filename() or f"part{seen}"
            yield f"{name}#{filename}", payload


def messages_of_mbox(name: str, data: bytes, limits: Limits) -> Iterator[tuple[str, bytes]]:
    """Split an mbox (mboxo or mboxrd) on its ``From `` lines; ``>From`` lines are unquoted."""
    current: list[bytes] = []
    count = 0
    previous_blank = True
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and previous_blank:
            if current:
                count += 1
                yield f"{name}[{count}]", b"".join(current)
                if count >= limits.max_members:
                    return
            current = []
        else:
            unquoted = (
                line[1:]
                if line.startswith(b">") and line.lstrip(b">").startswith(b"From ")
                else line
            )
            current.append(unquoted)
        previous_blank = line in (b"\n", b"\r\n")
    if current:
        yield f"{name}[{count + 1}]", b"".join(current)

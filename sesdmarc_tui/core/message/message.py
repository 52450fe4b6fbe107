"""A received message read the way a DMARC checker needs it: raw bytes for DKIM, fields for us.

The input is untrusted and may be anything: a whole message (CRLF or LF), the headers alone
(pasted from a web mail's "show original"), an mbox extract, or random bytes. Parsing never
raises; what could not be understood is listed in ``problems`` and the verdict says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Literal

from sesdmarc_tui.core.names import normalize_domain

# 25 MB is a common provider limit for a whole message; the base64 of such attachments makes
# the file larger, so the refusal is well above it and only stops absurd inputs.
MAX_MESSAGE_BYTES = 40 * 1024 * 1024
# Real header sections are a few kB (a few hundred kB with long Received chains); beyond this
# the input is not mail, and parsing it field by field would only waste time.
MAX_HEADER_BYTES = 1024 * 1024
MAX_PROBLEMS = 20
MAX_COMMENT_NESTING = 50

_FIELD = re.compile(rb"^([\x21-\x39\x3b-\x7e]+)[ \t]*:")
_FOLD = re.compile(r"\r\n(?=[ \t])")

LineEndings = Literal["crlf", "lf", "mixed", "none"]


@dataclass(frozen=True)
class HeaderField:
    index: int  # position among the header fields, top first
    name: str
    value: str  # unfolded, outer whitespace removed

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class FromInfo:
    header_count: int
    addresses: tuple[str, ...]
    domain: str | None  # set only for exactly one From field holding exactly one address
    problem: str | None  # why DMARC does not apply when ``domain`` is None


@dataclass(frozen=True)
class ParsedMessage:
    raw: bytes  # CRLF line endings: what DKIM verifies
    size: int  # of the input, in bytes
    line_endings: LineEndings
    headers: tuple[HeaderField, ...]
    headers_only: bool  # no blank line separating a body: DKIM cannot be checked
    body_size: int
    refused: str | None  # why the input cannot be read as a message at all
    problems: tuple[str, ...]
    from_info: FromInfo
    return_path: str | None  # the address, "" for the null sender <>
    return_path_domain: str | None

    @property
    def from_domain(self) -> str | None:
        return self.from_info.domain

    def fields(self, name: str) -> tuple[HeaderField, ...]:
        key = name.lower()
        return tuple(h for h in self.headers if h.key == key)


def _line_endings(data: bytes) -> LineEndings:
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n") - crlf
    if crlf and lf:
        return "mixed"
    if crlf:
        return "crlf"
    return "lf" if lf else "none"


def _refused(data: bytes, reason: str) -> ParsedMessage:
    empty = FromInfo(0, (), None, "the input was not read as a message")
    return ParsedMessage(b"", len(data), "none", (), True, 0, reason, (), empty, None, None)


def parse_message(data: bytes) -> ParsedMessage:
    """Read ``data`` as an RFC 5322 message; never raises."""
    if len(data) > MAX_MESSAGE_BYTES:
        return _refused(
            data,
            f"the input is larger than the {MAX_MESSAGE_BYTES // (1024 * 1024)} MB this check "
            "reads; save the message without its attachments and check that",
        )
    endings = _line_endings(data)
    problems: list[str] = []
    # DKIM canonicalises CRLF lines; a message saved on Unix has LF, and must still verify.
    text = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    stripped = text.lstrip(b"\r\n")
    if len(stripped) != len(text):
        problems.append("blank lines before the first header were ignored")
    text = stripped
    if text.startswith(b"From ") and not _FIELD.match(text):
        text = text.partition(b"\r\n")[2]
        problems.append("an mbox 'From ' line before the headers was ignored")
    end = text.find(b"\r\n\r\n")
    headers_only = end < 0
    block = text if headers_only else text[: end + 2]
    body_size = 0 if headers_only else len(text) - end - 4
    if not block.strip():
        return _refused(data, "the input is empty or has no header fields")
    if len(block) > MAX_HEADER_BYTES:
        return _refused(
            data,
            "the header section is over 1 MB, which no real message has; "
            "this is not an email message (or its blank line after the headers is missing)",
        )
    headers = _fields(block, problems)
    if not headers:
        return _refused(data, "no header fields found: this is not an email message")
    from_info = _from_info(headers)
    return_path, rp_domain = _return_path(headers, problems)
    return ParsedMessage(
        raw=text,
        size=len(data),
        line_endings=endings,
        headers=tuple(headers),
        headers_only=headers_only,
        body_size=body_size,
        refused=None,
        problems=tuple(problems[:MAX_PROBLEMS]),
        from_info=from_info,
        return_path=return_path,
        return_path_domain=rp_domain,
    )


def _fields(block: bytes, problems: list[str]) -> list[HeaderField]:
    raw_fields: list[tuple[bytes, list[bytes]]] = []
    for number, line in enumerate(block.split(b"\r\n"), start=1):
        if not line:
            continue
        if line[:1] in (b" ", b"\t"):
            if raw_fields:
                raw_fields[-1][1].append(line)
            else:
                problems.append("the header section starts with a continuation line (ignored)")
            continue
        match = _FIELD.match(line)
        if match is None:
            problems.append(f"header line {number} is not a 'Name: value' field (ignored)")
            continue
        raw_fields.append((match.group(1), [line[match.end() :]]))
    fields = []
    for index, (name, parts) in enumerate(raw_fields):
        value = b"\r\n".join(parts).decode("utf-8", "replace")
        fields.append(HeaderField(index, name.decode("ascii"), _FOLD.sub("", value).strip()))
    return fields


def _domain_of(address: str) -> str | None:
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    try:
        return normalize_domain(domain)
    except ValueError:  # DomainError, and IDNA codec errors on odd input
        return None


def _nesting(value: str) -> int:
    depth = deepest = 0
    for c in value:
        if c == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif c == ")":
            depth = max(0, depth - 1)
    return deepest


def _addresses(values: list[str]) -> tuple[str, ...] | None:
    """The addresses in the fields, or None when the fields cannot be read as addresses."""
    # The standard library parses comments recursively: deep nesting would overflow the stack.
    if any(_nesting(v) > MAX_COMMENT_NESTING for v in values):
        return None
    try:
        return tuple(addr for _, addr in getaddresses(values) if addr)
    except (RecursionError, ValueError, IndexError):  # defensive: stdlib parser on junk
        return None


def _from_info(headers: list[HeaderField]) -> FromInfo:
    values = [h.value for h in headers if h.key == "from"]
    if not values:
        return FromInfo(0, (), None, "the message has no From header")
    parsed = _addresses(values)
    if parsed is None:
        return FromInfo(len(values), (), None, "the From header cannot be read as an address")
    addresses = parsed
    if len(values) > 1:
        return FromInfo(
            len(values),
            addresses,
            None,
            f"the message has {len(values)} From headers; DMARC needs exactly one "
            "(receivers may reject such mail)",
        )
    if len(addresses) != 1:
        what = "no address" if not addresses else f"{len(addresses)} addresses"
        return FromInfo(1, addresses, None, f"the From header holds {what}; DMARC needs one")
    domain = _domain_of(addresses[0])
    if domain is None:
        return FromInfo(1, addresses, None, "the From address has no usable domain")
    return FromInfo(1, addresses, domain, None)


def _return_path(headers: list[HeaderField], problems: list[str]) -> tuple[str | None, str | None]:
    values = [h.value for h in headers if h.key == "return-path"]
    if not values:
        return None, None
    if len(values) > 1:
        # Each delivery adds one at the top; the topmost is the final envelope sender.
        problems.append(f"{len(values)} Return-Path headers: the topmost one is used")
    value = values[0].strip()
    if value.replace(" ", "") == "<>":
        return "", None
    addresses = _addresses([value])
    if not addresses:
        problems.append("the Return-Path header holds no address")
        return None, None
    return addresses[0], _domain_of(addresses[0])

"""Tokenising a DMARC tag-list (RFC 9989 s4.8, RFC 7489 s6.4) and recognising the record.

Record selection follows what receivers do (9989 s4.10 step 2): the text must begin with a
``v`` tag whose value is exactly ``DMARC1``. Anything else is discarded, so it is ``not_dmarc``
here, with the cause spelled out (leading whitespace, ``v=dmarc1``, a missing ``;``...).
Whitespace that the grammar allows but canonical form avoids is collected as notes, which the
record parser turns into a single ``noncanonical_whitespace`` warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sesdmarc_tui.core.dmarc.findings import NOT_DMARC, SYNTAX, shown
from sesdmarc_tui.core.findings import Finding

WSP = " \t"
_VERSION = re.compile(r"[vV][ \t]*=[ \t]*DMARC1[ \t]*(?:;|$)")
_TAG_NAME = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class RawTag:
    name: str  # lower case
    raw_name: str
    value: str  # without surrounding WSP
    position: int  # 0 for v, then 1, 2, ... in record order (malformed segments count too)


@dataclass
class TagList:
    is_dmarc: bool
    tags: list[RawTag] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    whitespace: list[str] = field(default_factory=list)


def tokenize(text: str) -> TagList:
    """Split ``text`` into tags; ``is_dmarc`` says whether receivers would keep the record."""
    if not _VERSION.match(text):
        return TagList(is_dmarc=False, errors=[Finding(NOT_DMARC, _why_not_dmarc(text))])
    result = TagList(is_dmarc=True)
    segments = text.split(";")
    position = 0  # empty segments (";;") are odd separators, not tags, so they do not count
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        _check_segment_spacing(segment, index, last, result.whitespace)
        stripped = segment.strip(WSP)
        if not stripped:
            if not last:
                result.whitespace.append("an empty tag between two ';'")
            continue
        tag = _parse_segment(stripped, position, result)
        if tag is not None:
            result.tags.append(tag)
        position += 1
    return result


def _parse_segment(segment: str, position: int, result: TagList) -> RawTag | None:
    name, equals, value = segment.partition("=")
    if not equals:
        result.errors.append(
            Finding(
                SYNTAX,
                f"{shown(segment)} is not a tag=value pair; receivers ignore it. "
                "Write it as name=value, or remove it.",
            )
        )
        return None
    raw_name = name.strip(WSP)
    if name != name.rstrip(WSP) or value != value.lstrip(WSP):
        result.whitespace.append(f"spaces around '=' in {shown(raw_name, 20)}")
    if not _TAG_NAME.fullmatch(raw_name):
        result.errors.append(
            Finding(
                SYNTAX,
                f"{shown(raw_name or segment)} is not a valid tag name (letters only); "
                "receivers ignore the tag. Correct or remove it.",
            )
        )
        return None
    return RawTag(raw_name.lower(), raw_name, value.strip(WSP), position)


def _check_segment_spacing(segment: str, position: int, last: bool, notes: list[str]) -> None:
    if not segment.strip(WSP):
        if segment and not last:
            notes.append("whitespace between two ';'")
        elif segment and last:
            notes.append("whitespace at the end of the record")
        return
    if segment != segment.rstrip(WSP):
        notes.append("whitespace at the end of the record" if last else "whitespace before ';'")
    lead = segment[: len(segment) - len(segment.lstrip(WSP))]
    if position > 0 and lead not in ("", " "):
        notes.append("more than one space, or a tab, after ';'")


def _why_not_dmarc(text: str) -> str:
    tail = (
        " Receivers discard it, so the domain has no DMARC policy. "
        "A DMARC record starts exactly with v=DMARC1; (for example v=DMARC1; p=none; "
        "rua=mailto:dmarc@example.com)."
    )
    if not text.strip():
        return ("The record is empty." if not text else "The record holds only whitespace.") + tail
    if text[0].isspace():
        cause = "The record starts with whitespace before v=DMARC1; remove it."
        if _VERSION.match(text.lstrip()):
            return cause + tail
        return cause + " " + _why_not_dmarc(text.lstrip())
    if re.match(r"v[ \t]*=[ \t]*spf1", text, re.IGNORECASE):
        return (
            "This is an SPF record (v=spf1), not DMARC: receivers discard it at _dmarc. "
            "SPF belongs at the domain itself; the DMARC record starts with v=DMARC1;."
        )
    first = text.split(";", 1)[0]
    name, _, value = first.partition("=")
    value = value.strip(WSP)
    if name.strip(WSP).lower() != "v":
        return (
            f"The record does not start with the v=DMARC1 tag (it starts {shown(text, 30)})." + tail
        )
    if value.lower() == "dmarc1":
        return f"The version is {shown(value)}, but DMARC1 is case-sensitive." + tail
    if re.match(r"DMARC1\s", value, re.IGNORECASE):
        return f"A ';' is missing after v=DMARC1 (the version reads {shown(value, 30)})." + tail
    return f"The version {shown(value, 30)} is not DMARC1." + tail

"""Fetching DMARC records through the injected lookup, the way receivers select them.

At ``_dmarc.<name>`` TXT strings that are not DMARC records are discarded (unrelated TXT such
as site verifications); if more than one DMARC record remains, all are discarded and the name
counts as having none (RFC 7489 s6.6.3, RFC 9989 s4.10 step 2). A DNS error is kept apart from
absence: receivers decide themselves what to do with it, and a tool must not call it "no
record".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.dmarc.record import DmarcRecord, parse_dmarc
from sesdmarc_tui.core.lookup import Answer, AnswerKind, Lookup
from sesdmarc_tui.core.names import absolute

Status = Literal["record", "none", "multiple", "error"]


class MemoLookup:
    """A lookup that asks each (name, type) once and keeps the order of first questions.

    Discovery and alignment walk overlapping names; asking twice would both cost time and let
    two answers disagree within one verdict.
    """

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self._answers: dict[tuple[str, str], Answer] = {}
        self.queries: list[tuple[str, str]] = []

    def __call__(self, name: str, rdtype: str) -> Answer:
        key = (name.rstrip(".").lower(), rdtype.upper())
        if key not in self._answers:
            self.queries.append(key)
            self._answers[key] = self._lookup(absolute(key[0]), key[1])
        return self._answers[key]


@dataclass(frozen=True)
class DmarcAt:
    domain: str
    status: Status
    records: tuple[str, ...] = ()  # the DMARC records found (several when "multiple")
    record: DmarcRecord | None = None  # the one record when status is "record"
    error: str | None = None
    discarded: tuple[str, ...] = ()  # unrelated TXT strings at the name

    @property
    def query(self) -> str:
        return dmarc_name(self.domain)


def dmarc_name(domain: str) -> str:
    return f"_dmarc.{domain.rstrip('.').lower()}"


def query_dmarc(domain: str, lookup: Lookup) -> DmarcAt:
    answer = lookup(absolute(dmarc_name(domain)), "TXT")
    if answer.kind is AnswerKind.ERROR:
        return DmarcAt(domain, "error", error=answer.error or "DNS error")
    parsed = [parse_dmarc(text) for text in answer.values]
    records = [r for r in parsed if r.is_dmarc]
    discarded = tuple(r.text for r in parsed if not r.is_dmarc)
    texts = tuple(r.text for r in records)
    if not records:
        return DmarcAt(domain, "none", discarded=discarded)
    if len(records) > 1:
        return DmarcAt(domain, "multiple", texts, discarded=discarded)
    return DmarcAt(domain, "record", texts, records[0], discarded=discarded)

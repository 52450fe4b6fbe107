"""The DNS lookup that core functions receive instead of doing I/O themselves.

Values are presentation strings normalised per type so that callers compare them directly:
TXT as the RR's character-strings joined (no quotes), MX as ``"10 host.example."``, CNAME and NS
as an absolute lower-case name, A/AAAA as addresses. A CNAME met on the way is followed by the
lookup implementation and reported in ``cname_chain``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class AnswerKind(StrEnum):
    OK = "ok"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    ERROR = "error"


@dataclass(frozen=True)
class Answer:
    name: str
    rdtype: str
    kind: AnswerKind
    values: tuple[str, ...] = ()
    ttl: int | None = None
    # RFC 2308: min(SOA TTL, SOA MINIMUM) from the authority section of a negative answer.
    negative_ttl: int | None = None
    error: str | None = None
    cname_chain: tuple[str, ...] = field(default=())

    @property
    def is_void(self) -> bool:
        """RFC 7208 4.6.4: a void lookup is NXDOMAIN or an empty answer."""
        return self.kind in (AnswerKind.NXDOMAIN, AnswerKind.NODATA)

    @property
    def name_exists(self) -> bool:
        return self.kind in (AnswerKind.OK, AnswerKind.NODATA)


Lookup = Callable[[str, str], Answer]
"""``lookup(name, rdtype) -> Answer``; name is absolute or relative, rdtype like ``"TXT"``."""


def _canonical_name(name: str) -> str:
    return name.rstrip(".").lower() + "."


class StaticLookup:
    """A lookup over an in-memory table, for tests and offline evaluation.

    ``records`` maps ``(name, rdtype)`` to values. A name that appears under any type exists
    (NODATA for the other types); ``errors`` forces an ERROR answer for a ``(name, rdtype)``.
    Every query is appended to ``queries`` so callers can assert what was asked, in order.
    """

    def __init__(
        self,
        records: Mapping[tuple[str, str], Iterable[str]] | None = None,
        errors: Mapping[tuple[str, str], str] | None = None,
        negative_ttl: int = 300,
    ) -> None:
        self._records: dict[tuple[str, str], tuple[str, ...]] = {}
        self._names: set[str] = set()
        for (name, rdtype), values in (records or {}).items():
            self.add(name, rdtype, *values)
        self._errors = {(_canonical_name(n), t.upper()): e for (n, t), e in (errors or {}).items()}
        self._negative_ttl = negative_ttl
        self.queries: list[tuple[str, str]] = []

    def add(self, name: str, rdtype: str, *values: str) -> None:
        key = (_canonical_name(name), rdtype.upper())
        self._records[key] = self._records.get(key, ()) + tuple(values)
        self._names.add(key[0])

    def __call__(self, name: str, rdtype: str) -> Answer:
        return self._resolve(name, rdtype, frozenset())

    def _resolve(self, name: str, rdtype: str, visited: frozenset[str]) -> Answer:
        key = (_canonical_name(name), rdtype.upper())
        self.queries.append(key)
        if key in self._errors:
            return Answer(key[0], key[1], AnswerKind.ERROR, error=self._errors[key])
        # An empty value list only declares that the name exists: NODATA, not an empty OK.
        if self._records.get(key):
            return Answer(key[0], key[1], AnswerKind.OK, self._records[key], ttl=300)
        cname_key = (key[0], "CNAME")
        if key[1] != "CNAME" and self._records.get(cname_key):
            target = self._records[cname_key][0]
            if key[0] in visited:
                # A resolver answers SERVFAIL on a CNAME loop; recursing forever is no answer.
                return Answer(key[0], key[1], AnswerKind.ERROR, error="CNAME loop")
            followed = self._resolve(target, key[1], visited | {key[0]})
            return Answer(
                key[0],
                key[1],
                followed.kind,
                followed.values,
                followed.ttl,
                followed.negative_ttl,
                followed.error,
                (target, *followed.cname_chain),
            )
        # RFC 8020: an empty non-terminal (an ancestor of an existing name) exists: NODATA.
        exists = any(n == key[0] or n.endswith("." + key[0]) for n in self._names)
        kind = AnswerKind.NODATA if exists else AnswerKind.NXDOMAIN
        return Answer(key[0], key[1], kind, negative_ttl=self._negative_ttl)


def memoized(lookup: Lookup) -> Lookup:
    """``lookup`` asking each (name, type) once: one command's checks share answers.

    An SPF walk and a MAIL FROM check both ask about ``amazonses.com``; within one command the
    answer cannot usefully change. Safe across threads (a race asks twice, never answers wrong).
    """
    import threading

    answers: dict[tuple[str, str], Answer] = {}
    guard = threading.Lock()

    def ask(name: str, rdtype: str) -> Answer:
        key = (_canonical_name(name), rdtype.upper())
        with guard:
            known = answers.get(key)
        if known is not None:
            return known
        answer = lookup(name, rdtype)
        with guard:
            answers[key] = answer
        return answer

    return ask

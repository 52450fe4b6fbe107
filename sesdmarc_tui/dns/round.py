"""The result of one propagation round: a row per expected record, a cell per server.

Success is only declared on a full view: a record is *published* when every authoritative server
answered and every one of them holds the expected value. A timeout on one name server leaves the
record ``incomplete``, never ``published``, because that server may be the one serving stale data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.classify import Cell, CellStatus
from sesdmarc_tui.dns.mistakes import Hint, merge_hints
from sesdmarc_tui.dns.query import Server


class RecordState(StrEnum):
    VISIBLE = "visible"  # on every authoritative server and at every resolver asked
    PUBLISHED = "published"  # on every authoritative server; some resolvers do not see it yet
    PARTIAL = "partial"  # some authoritative servers have it, others answer "missing"
    MISSING = "missing"  # no authoritative server has it
    WRONG_VALUE = "wrong_value"  # some authoritative server publishes something else
    INCOMPLETE = "incomplete"  # an authoritative server gave no usable answer
    UNKNOWN = "unknown"  # no authoritative server was asked


def record_state(cells: Sequence[Cell]) -> RecordState:
    auth = [c for c in cells if c.server.authoritative]
    if not auth:
        return RecordState.UNKNOWN
    statuses = {c.status for c in auth}
    if CellStatus.WRONG_VALUE in statuses:
        return RecordState.WRONG_VALUE
    if statuses & {CellStatus.ERROR, CellStatus.SKIPPED}:
        return RecordState.INCOMPLETE
    if statuses == {CellStatus.MISSING}:
        return RecordState.MISSING
    if CellStatus.MISSING in statuses:
        return RecordState.PARTIAL
    resolvers = [c for c in cells if not c.server.authoritative]
    if resolvers and all(c.ok for c in resolvers):
        return RecordState.VISIBLE
    return RecordState.PUBLISHED


@dataclass(frozen=True)
class RecordRow:
    record: DnsRecord
    cells: tuple[Cell, ...]
    state: RecordState
    hints: tuple[Hint, ...] = ()

    @property
    def published(self) -> bool:
        """Held by every authoritative server, each of which answered."""
        return self.state in (RecordState.PUBLISHED, RecordState.VISIBLE)

    @property
    def visible(self) -> bool:
        """Every resolver asked returns the expected value (False when none was asked)."""
        resolvers = self.resolver_cells
        return bool(resolvers) and all(c.ok for c in resolvers)

    @property
    def authoritative_cells(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.server.authoritative)

    @property
    def resolver_cells(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if not c.server.authoritative)

    def cell(self, server: Server) -> Cell:
        return next(c for c in self.cells if c.server == server)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.record.name,
            "type": self.record.rtype,
            "expected": list(self.record.values),
            "state": self.state.value,
            "published": self.published,
            "visible": self.visible,
            "hints": [h.to_json() for h in self.hints],
            "cells": [c.to_json() for c in self.cells],
        }


@dataclass(frozen=True)
class BoardRound:
    zone: str
    rows: tuple[RecordRow, ...]
    authoritative: tuple[Server, ...]
    resolvers: tuple[Server, ...]
    started_at: float  # wall clock
    elapsed: float  # seconds, the whole burst
    queries: int  # distinct queries sent, mistake probes included

    @property
    def complete(self) -> bool:
        """Every record is published on every authoritative server, and all of them answered."""
        return bool(self.rows) and bool(self.authoritative) and all(r.published for r in self.rows)

    @property
    def all_visible(self) -> bool:
        return self.complete and all(r.visible for r in self.rows)

    @property
    def hints(self) -> tuple[Hint, ...]:
        return merge_hints(h for row in self.rows for h in row.hints)

    def row(self, name: str, rtype: str) -> RecordRow:
        n, t = name.rstrip(".").lower(), rtype.upper()
        return next(r for r in self.rows if r.record.name == n and r.record.rtype == t)

    def to_json(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "complete": self.complete,
            "all_visible": self.all_visible,
            "started_at": self.started_at,
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "queries": self.queries,
            "authoritative": [s.to_json() for s in self.authoritative],
            "resolvers": [s.to_json() for s in self.resolvers],
            "records": [r.to_json() for r in self.rows],
            "hints": [h.to_json() for h in self.hints],
        }

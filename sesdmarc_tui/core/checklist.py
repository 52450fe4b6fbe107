"""The troubleshooting checklist: what ``sesdmarc check`` and the wizard's Troubleshoot show.

Pure data and aggregation: the inspections that do I/O live in ``sesdmarc_tui.troubleshoot``
and hand back ``CheckItem`` lists. Every item that is not ``ok`` carries a one-sentence fix, so
a front end never shows a problem without saying what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # mail fails SPF, DKIM or DMARC, or a record is ignored by receivers
    WARNING = "warning"  # works, but not as the operator probably means
    INFO = "info"  # worth knowing; nothing to fix now
    OK = "ok"  # a check that passed


class Area(StrEnum):
    SES = "ses"
    DKIM = "dkim"
    MAIL_FROM = "mail_from"
    SPF = "spf"
    DMARC = "dmarc"
    AUTHORIZATION = "authorization"


AREA_TITLES: dict[Area, str] = {
    Area.SES: "SES identity",
    Area.DKIM: "DKIM records",
    Area.MAIL_FROM: "Custom MAIL FROM",
    Area.SPF: "SPF",
    Area.DMARC: "DMARC",
    Area.AUTHORIZATION: "Sending authorization",
}

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2, Severity.OK: 3}


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist. ``id`` is stable for scripts; ``evidence`` is what DNS or SES
    answered (untrusted text: renderers escape it)."""

    area: Area
    id: str
    severity: Severity
    title: str
    detail: str = ""
    fix: str = ""
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity in (Severity.ERROR, Severity.WARNING) and not self.fix:
            raise ValueError(f"check item {self.id} is a {self.severity} without a fix")

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area.value,
            "id": self.id,
            "severity": self.severity.value,
            "title": self.title,
            "detail": self.detail,
            "fix": self.fix,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Skipped:
    """An inspection that did not run, and why (no credentials, no MAIL FROM name, ...)."""

    area: Area
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"area": self.area.value, "reason": self.reason}


@dataclass(frozen=True)
class CheckReport:
    domain: str
    regions: tuple[str, ...]
    items: tuple[CheckItem, ...]
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = field(default=())  # how the check ran (servers asked, ...)

    def count(self, severity: Severity) -> int:
        return sum(1 for item in self.items if item.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    @property
    def problems(self) -> tuple[CheckItem, ...]:
        """Errors and warnings: what "no findings" is about."""
        return tuple(i for i in self.items if i.severity in (Severity.ERROR, Severity.WARNING))

    def by_area(self) -> list[tuple[Area, list[CheckItem], list[Skipped]]]:
        """Areas in checklist order, items worst first (stable within a severity)."""
        grouped: list[tuple[Area, list[CheckItem], list[Skipped]]] = []
        for area in Area:
            items = sorted(
                (i for i in self.items if i.area is area), key=lambda i: _RANK[i.severity]
            )
            skipped = [s for s in self.skipped if s.area is area]
            if items or skipped:
                grouped.append((area, items, skipped))
        return grouped

    def find(self, item_id: str) -> list[CheckItem]:
        return [i for i in self.items if i.id == item_id]

    def summary(self) -> dict[str, int]:
        return {
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "ok": self.count(Severity.OK),
            "skipped": len(self.skipped),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "regions": list(self.regions),
            "findings": [i.to_json() for i in self.items],
            "skipped": [s.to_json() for s in self.skipped],
            "summary": self.summary(),
            "notes": list(self.notes),
        }


def dedupe_items(items: Iterable[CheckItem]) -> tuple[CheckItem, ...]:
    """Drop exact repeats (the same mistake seen from two angles), keeping the first."""
    return tuple(dict.fromkeys(items))


def merge_skipped(skipped: Sequence[Skipped]) -> tuple[Skipped, ...]:
    """One entry per (area, reason), in first-seen order."""
    return tuple(dict.fromkeys(skipped))

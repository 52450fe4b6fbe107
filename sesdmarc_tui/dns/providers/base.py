"""The interface every DNS provider offers, and the plain data it exchanges.

A provider reads what its DNS holds, plans the changes that publish the desired records as a
diff, applies a plan, and waits until the change is served. Every method **blocks**: the
wizard runs them in a worker thread (``asyncio.to_thread`` or Textual's ``@work(thread=True)``),
as it does for boto3. RFC 2136 uses dnspython's synchronous ``dns.query`` for that reason, so
no provider needs the caller's event loop.

Plans are data: a plan made now can be shown, saved as JSON, and applied later. Applying a plan
whose "before" no longer matches the DNS fails with ``ProviderErrorKind.CONFLICT`` instead of
overwriting a value someone added in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from sesdmarc_tui.core.records import DnsRecord

RecordKey = tuple[str, str]
"""``(name, type)``: the canonical owner name (lower-case, no trailing dot) and ``"TXT"`` etc."""

ProgressFn = Callable[[str], None]
"""Receives one line of human text per step of ``apply`` (it runs in the worker thread)."""


@dataclass(frozen=True)
class RRset:
    """A record set as a provider found it.

    Unlike ``DnsRecord`` this takes whatever the DNS holds (any type, odd values): ``values``
    are in ``core.records.normalize_value`` form for comparison (TXT joined), ``native`` are the
    same values exactly as the provider stores them, because deletes and RFC 2136 prerequisites
    must match the stored form (a TXT split at another point is different wire data).
    """

    name: str
    rtype: str
    values: tuple[str, ...]
    ttl: int | None = None
    native: tuple[str, ...] = ()
    unmanaged: str | None = None  # why we must not touch it (a Route 53 alias, weighted set...)

    @property
    def key(self) -> RecordKey:
        return (self.name, self.rtype)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.rtype,
            "ttl": self.ttl,
            "values": list(self.values),
            "unmanaged": self.unmanaged,
        }


CurrentRecords = Mapping[RecordKey, RRset]


class Action(StrEnum):
    CREATE = "create"
    REPLACE = "replace"
    DELETE = "delete"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RecordChange:
    """One RRset in a plan. ``new`` is the whole set to publish (for TXT: the merged values)."""

    action: Action
    name: str
    rtype: str
    old: RRset | None
    new: DnsRecord | None
    description: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> RecordKey:
        return (self.name, self.rtype)

    @property
    def is_write(self) -> bool:
        return self.action is not Action.UNCHANGED

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "name": self.name,
            "type": self.rtype,
            "description": self.description,
            "old": self.old.to_json() if self.old else None,
            "new": _record_json(self.new) if self.new else None,
            "added": list(self.added),
            "removed": list(self.removed),
            "kept": list(self.kept),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Refusal:
    """A desired record the plan will not write, and why (a CNAME clash, two SPF records...)."""

    name: str
    rtype: str
    reason: str
    remedy: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "type": self.rtype, "reason": self.reason, "remedy": self.remedy}


@dataclass(frozen=True)
class ChangePlan:
    """The diff between the DNS and the desired records. ``empty`` means nothing to write.

    Refused records are never written; ``apply`` writes the other changes, so a caller that
    wants all or nothing checks ``refused`` first.
    """

    provider: str
    zone: str
    changes: tuple[RecordChange, ...]
    refused: tuple[Refusal, ...] = ()

    @property
    def writes(self) -> tuple[RecordChange, ...]:
        return tuple(c for c in self.changes if c.is_write)

    @property
    def empty(self) -> bool:
        return not self.writes

    def describe(self) -> list[str]:
        lines = [c.description for c in self.changes]
        lines.extend(f"Refused {r.rtype} {r.name}: {r.reason}" for r in self.refused)
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "zone": self.zone,
            "empty": self.empty,
            "changes": [c.to_json() for c in self.changes],
            "refused": [r.to_json() for r in self.refused],
        }


@dataclass(frozen=True)
class CopyEntry:
    """What to type into a DNS provider's form for one record (values to add only)."""

    name: str
    rtype: str
    text: str


@dataclass(frozen=True)
class ManualInstructions:
    """Copy material for publishing a plan by hand.

    ``zone_snippet`` holds the complete RRsets after the change (a zone file defines sets);
    ``csv`` and ``copy`` hold only the values to add, because DNS UIs and CSV imports add
    entries one by one and would duplicate the values that are already there.
    """

    zone_snippet: str
    csv: str
    copy: tuple[CopyEntry, ...]
    steps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "zone_snippet": self.zone_snippet,
            "csv": self.csv,
            "copy": [{"name": c.name, "type": c.rtype, "text": c.text} for c in self.copy],
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply`` did. ``change_id`` is Route 53's change; ``instructions`` the manual kit."""

    provider: str
    zone: str
    applied: tuple[RecordChange, ...]
    refused: tuple[Refusal, ...] = ()
    change_id: str | None = None
    status: str = ""
    instructions: ManualInstructions | None = None
    messages: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "zone": self.zone,
            "applied": [c.to_json() for c in self.applied],
            "refused": [r.to_json() for r in self.refused],
            "change_id": self.change_id,
            "status": self.status,
            "instructions": self.instructions.to_json() if self.instructions else None,
            "messages": list(self.messages),
        }


def _record_json(record: DnsRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "type": record.rtype,
        "ttl": record.ttl,
        "values": list(record.values),
    }


class DnsProvider(Protocol):
    """Route 53, RFC 2136 and manual publishing behind one blocking interface."""

    @property
    def name(self) -> str: ...

    @property
    def zone(self) -> str:
        """The zone apex (canonical form); may need a network call the first time."""
        ...

    def read(self, keys: Iterable[RecordKey]) -> dict[RecordKey, RRset]:
        """The record sets that exist for these keys (absent keys are left out)."""
        ...

    def plan(self, desired: Sequence[DnsRecord], *, remove: Sequence[DnsRecord] = ()) -> ChangePlan:
        """Read the DNS and diff it with ``desired``; ``remove`` lists values to delete."""
        ...

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult: ...

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        """Block until the change is served (True) or ``timeout`` seconds pass (False)."""
        ...

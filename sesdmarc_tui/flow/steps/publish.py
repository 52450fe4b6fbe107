"""DNS records as plan actions: what the provider would change, in words and as audit data.

Shared by the DKIM, MAIL FROM and DMARC steps. The provider does the reading and the merging
(TXT sets merged, SPF never doubled, a CNAME clash or a foreign MX refused); this turns its
``ChangePlan`` into one :class:`Action` per record set, blockers for the refusals, and notes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.core.render import to_zone_lines
from sesdmarc_tui.flow.model import Action, Fact, JsonValue, Preview

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import ChangePlan, DnsProvider, RecordChange


@dataclass(frozen=True)
class DnsPart:
    plan: ChangePlan
    actions: tuple[Action, ...]
    blockers: tuple[Fact, ...]
    notes: tuple[Fact, ...]
    previews: tuple[Preview, ...]


def _values_digest(values: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(values)).encode("utf-8")).hexdigest()[:16]


def _call(provider: str, zone: str, change: RecordChange) -> str:
    new = change.new
    values = " ".join(new.values) if new is not None else ""
    what = f"{change.rtype} {change.name}"
    if provider == "route53":
        verb = "DELETE" if new is None else "UPSERT"
        ttl = f" TTL {new.ttl}" if new is not None else ""
        return (
            f"route53 ChangeResourceRecordSets in zone {zone}: {verb} {what}{ttl} {values}".strip()
        )
    if provider == "rfc2136":
        verb = "delete" if new is None else "replace the set with"
        return f"RFC 2136 UPDATE of zone {zone}: {verb} {what} {values}".strip()
    return f"By hand at the DNS host of {zone}: {change.description}"


def change_action(step_id: str, provider: str, zone: str, change: RecordChange) -> Action:
    new = change.new
    values: list[JsonValue] = list(new.values) if new is not None else []
    params: dict[str, JsonValue] = {
        "provider": provider,
        "zone": zone,
        "change": change.action.value,
        "name": change.name,
        "type": change.rtype,
        "ttl": new.ttl if new is not None else None,
        "values": values,
        "added": list(change.added),
        "removed": list(change.removed),
    }
    description = change.description
    if provider == "manual":
        description = f"By hand: {description[0].lower()}{description[1:]}"
    digest = _values_digest([str(v) for v in values])
    return Action(
        id=f"{step_id}.dns.{change.rtype.lower()}.{change.name}",
        description=description,
        kind="dns_change",
        call=_call(provider, zone, change),
        params=params,
        key=f"dns:{zone}:{change.name}:{change.rtype}:{digest}",
    )


def dns_part(step_id: str, provider: DnsProvider, records: Sequence[DnsRecord]) -> DnsPart:
    """Ask the provider for the diff and describe it (reads DNS; writes nothing)."""
    plan = provider.plan(list(records))
    actions = tuple(change_action(step_id, plan.provider, plan.zone, c) for c in plan.writes)
    blockers = tuple(
        Fact(
            f"{r.rtype} {r.name}",
            f"Cannot publish {r.rtype} {r.name}: {r.reason}.",
            "error",
            r.remedy,
        )
        for r in plan.refused
    )
    notes = tuple(
        Fact(f"{c.rtype} {c.name}", note, "warn") for c in plan.changes for note in c.notes
    )
    previews: tuple[Preview, ...] = ()
    if records:
        previews = (
            Preview(
                f"Records for the zone {plan.zone}",
                "\n".join(to_zone_lines(records, origin=plan.zone)) + "\n",
                "zone",
            ),
        )
    return DnsPart(plan, actions, blockers, notes, previews)


def in_place(provider: DnsProvider, records: Sequence[DnsRecord]) -> bool:
    """True when the provider's source already holds every record (merged forms count)."""
    plan = provider.plan(list(records))
    return plan.empty and not plan.refused

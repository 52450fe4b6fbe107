"""How one desired record combines with what exists at its name: a change, or a refusal.

The rules, shared by every provider:

- a CNAME may not share its name with other data, nor sit at the zone apex (RFC 1034 s3.6.2,
  RFC 2181 s10.1); a clash is refused with the reason, never resolved by deleting data;
- TXT sets are merged (``txtmerge``): unrelated values kept, SPF merged, DMARC/DKIM replaced;
- MX is for a MAIL FROM name, which needs exactly one MX and must not receive mail: existing
  MX records are replaced only when they are SES feedback hosts (an earlier region), otherwise
  the name receives mail and is refused;
- other types are replaced as a whole.

Equal value sets are UNCHANGED whatever the TTL: rewriting a record only to change its TTL would
make a second apply of the same records write again.
"""

from __future__ import annotations

from collections.abc import Sequence

from sesdmarc_tui.core.records import DnsRecord, RecordError, make_record
from sesdmarc_tui.dns.providers.base import Action, CurrentRecords, RecordChange, Refusal, RRset
from sesdmarc_tui.dns.providers.txtmerge import merge_txt

SES_FEEDBACK_SUFFIX = ".amazonses.com"


def clip(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _others_at(name: str, current: CurrentRecords, rtype: str) -> list[RRset]:
    return [rr for (n, t), rr in current.items() if n == name and t != rtype and rr.values]


def _conflict(desired: DnsRecord, current: CurrentRecords, zone: str) -> Refusal | None:
    name, rtype = desired.name, desired.rtype
    if rtype == "CNAME":
        if name == zone:
            return Refusal(
                name,
                rtype,
                "a CNAME cannot sit at the zone apex (the apex holds SOA and NS)",
                "Publish the record at a name below the zone.",
            )
        others = _others_at(name, current, rtype)
        if others:
            types = ", ".join(sorted({rr.rtype for rr in others}))
            return Refusal(
                name,
                rtype,
                f"the name already has {types} data, and a CNAME cannot share its name with "
                "other data (RFC 1034 s3.6.2)",
                f"Delete the {types} records at {name} if they are unused, then plan again.",
            )
        return None
    cname = current.get((name, "CNAME"))
    if cname is not None and cname.values:
        return Refusal(
            name,
            rtype,
            f"the name is a CNAME to {cname.values[0]}, so it cannot also hold {rtype} data",
            f"Remove the CNAME at {name}, or publish the {rtype} record at its target.",
        )
    return None


def _mx_values(desired: DnsRecord, old: RRset | None) -> tuple[str, ...] | Refusal:
    if len(desired.values) != 1:
        return Refusal(
            desired.name,
            "MX",
            f"{len(desired.values)} MX values given; a MAIL FROM domain needs exactly one",
            "Publish only the SES feedback MX.",
        )
    if old is None or set(old.values) == set(desired.values):
        return desired.values
    foreign = [v for v in old.values if not v.rstrip(".").endswith(SES_FEEDBACK_SUFFIX)]
    if foreign:
        return Refusal(
            desired.name,
            "MX",
            f"the name already has MX {', '.join(foreign)}: it receives mail, so it cannot "
            "be a MAIL FROM domain",
            "Choose a MAIL FROM subdomain that receives no mail (for example mail.<domain>).",
        )
    return desired.values


def _build(
    desired: DnsRecord, old: RRset | None, values: Sequence[str], notes: Sequence[str] = ()
) -> RecordChange | Refusal:
    try:
        new = make_record(desired.name, desired.rtype, values, desired.ttl)
    except RecordError as exc:
        return Refusal(desired.name, desired.rtype, f"the merged record is invalid: {exc}")
    label = f"{desired.rtype} {desired.name}"
    if old is None:
        shown = ", ".join(clip(v) for v in new.values)
        return RecordChange(
            Action.CREATE,
            desired.name,
            desired.rtype,
            None,
            new,
            f"Create {label}: {shown}",
            added=new.values,
            notes=tuple(notes),
        )
    old_set = set(old.values)
    added = tuple(v for v in new.values if v not in old_set)
    removed = tuple(v for v in old.values if v not in set(new.values))
    kept = tuple(v for v in old.values if v in set(new.values))
    if not added and not removed:
        return RecordChange(
            Action.UNCHANGED,
            desired.name,
            desired.rtype,
            old,
            new,
            f"{label} already holds the desired value",
            kept=kept,
            notes=tuple(notes),
        )
    parts = []
    if removed and added and len(removed) == len(added) == 1:
        parts.append(f"replace {clip(removed[0])} with {clip(added[0])}")
    else:
        parts.extend(f"remove {clip(v)}" for v in removed)
        parts.extend(f"add {clip(v)}" for v in added)
    if kept:
        parts.append(f"keep {len(kept)} other value{'s' if len(kept) > 1 else ''}")
    return RecordChange(
        Action.REPLACE,
        desired.name,
        desired.rtype,
        old,
        new,
        f"Update {label}: {'; '.join(parts)}",
        added=added,
        removed=removed,
        kept=kept,
        notes=tuple(notes),
    )


def merge_record(desired: DnsRecord, current: CurrentRecords, zone: str) -> RecordChange | Refusal:
    """The change that publishes ``desired`` given ``current`` (read at its name), or why not."""
    conflict = _conflict(desired, current, zone)
    if conflict is not None:
        return conflict
    old = current.get((desired.name, desired.rtype))
    if old is not None and old.unmanaged:
        return Refusal(
            desired.name,
            desired.rtype,
            f"the existing record set is {old.unmanaged}",
            "Change it in the provider's console; the wizard only writes plain record sets.",
        )
    if desired.rtype == "TXT":
        merged = merge_txt(old.values if old else (), desired.values)
        if merged.error is not None:
            return Refusal(desired.name, "TXT", merged.error, merged.remedy)
        return _build(desired, old, merged.values, merged.notes)
    if desired.rtype == "MX":
        mx = _mx_values(desired, old)
        if isinstance(mx, Refusal):
            return mx
        return _build(desired, old, mx)
    return _build(desired, old, desired.values)


def remove_values(record: DnsRecord, current: CurrentRecords) -> RecordChange | Refusal:
    """The change that removes ``record.values`` from its RRset, keeping any other values."""
    label = f"{record.rtype} {record.name}"
    old = current.get((record.name, record.rtype))
    if old is None or not set(record.values) & set(old.values):
        return RecordChange(
            Action.UNCHANGED, record.name, record.rtype, old, None, f"{label} is already absent"
        )
    if old.unmanaged:
        return Refusal(record.name, record.rtype, f"the existing record set is {old.unmanaged}")
    removed = tuple(v for v in old.values if v in record.values)
    kept = tuple(v for v in old.values if v not in record.values)
    if not kept:
        shown = ", ".join(clip(v) for v in removed)
        return RecordChange(
            Action.DELETE,
            record.name,
            record.rtype,
            old,
            None,
            f"Delete {label}: {shown}",
            removed=removed,
        )
    try:
        new = make_record(
            record.name, record.rtype, kept, record.ttl if old.ttl is None else old.ttl
        )
    except RecordError as exc:
        return Refusal(record.name, record.rtype, f"the remaining values are invalid: {exc}")
    shown = ", ".join(f"remove {clip(v)}" for v in removed)
    others = f"keep {len(kept)} other value{'s' if len(kept) > 1 else ''}"
    return RecordChange(
        Action.REPLACE,
        record.name,
        record.rtype,
        old,
        new,
        f"Update {label}: {shown}; {others}",
        removed=removed,
        kept=kept,
    )

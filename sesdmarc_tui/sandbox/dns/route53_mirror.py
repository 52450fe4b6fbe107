"""Route 53 changes mirrored into the sandbox's DNS, so what the wizard writes there resolves.

The AWS half calls ``apply_route53_changes`` with the ``Changes`` of a
``ChangeResourceRecordSets`` request as boto3 sends them, after moto has accepted the batch:
moto is the judge of Route 53's rules (CREATE on an existing set, DELETE with stale values),
and the mirror only makes DNS show the resulting state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sesdmarc_tui.core.render import parse_route53_txt_value
from sesdmarc_tui.core.txt import RecordError
from sesdmarc_tui.sandbox.dns.zones import ZoneError, ZoneStore

ACTIONS = ("CREATE", "UPSERT", "DELETE")
_OCTAL = re.compile(r"\\([0-7]{3})")


class Route53MirrorError(ZoneError):
    """A change the mirror cannot express in DNS (alias, routing policy, malformed value)."""


def route53_name(name: str) -> str:
    """Route 53 writes some characters of names as octal escapes (``\\052`` for ``*``)."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), name)


def route53_values(rtype: str, records: Iterable[Mapping[str, Any]]) -> list[str]:
    """The store's values: TXT and SPF from Route 53's quoted, octal-escaped form to joined text.

    Other types pass through; the store reads targets without a final dot as absolute, as
    Route 53 does.
    """
    values: list[str] = []
    for record in records:
        value = str(record.get("Value", ""))
        if rtype in ("TXT", "SPF"):
            try:
                value = parse_route53_txt_value(value)
            except RecordError as exc:
                raise Route53MirrorError(f"The {rtype} value {value[:60]!r}: {exc}") from None
        values.append(value)
    return values


def apply_route53_change(store: ZoneStore, change: Mapping[str, Any]) -> bool:
    """Apply one ``{"Action": ..., "ResourceRecordSet": {...}}``; False if DNS did not change.

    The SOA is skipped: the store numbers its own serials.
    """
    action = change.get("Action")
    rrset = change.get("ResourceRecordSet")
    if action not in ACTIONS or not isinstance(rrset, Mapping):
        raise Route53MirrorError(f"Not a Route 53 change: {change!r:.200}")
    for unsupported in ("AliasTarget", "SetIdentifier"):
        if unsupported in rrset:
            raise Route53MirrorError(
                f"{unsupported} record sets are not served by the sandbox's DNS "
                f"({rrset.get('Name')} {rrset.get('Type')})."
            )
    name = route53_name(str(rrset.get("Name", "")))
    rtype = str(rrset.get("Type", "")).upper()
    if rtype == "SOA":
        return False
    if action == "DELETE":
        return store.delete_rrset(name, rtype)
    ttl = rrset.get("TTL")
    if not isinstance(ttl, int) or isinstance(ttl, bool):
        raise Route53MirrorError(f"The change for {name} {rtype} has no TTL.")
    values = route53_values(rtype, rrset.get("ResourceRecords") or ())
    store.set_rrset(name, rtype, ttl, values)
    return True


def apply_route53_changes(store: ZoneStore, changes: Iterable[Mapping[str, Any]]) -> int:
    """Apply a whole change batch atomically, as Route 53 does; returns how many took effect."""
    with store.batch():
        return sum(apply_route53_change(store, change) for change in changes)

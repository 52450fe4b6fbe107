"""Propagation-board rows as checklist items: the publishing mistakes and the record states.

A mistake hint explains the row's state better than the state itself ("published under a
doubled name" says more than "missing"), so a row with an explaining hint gives only the hint's
item. Rows that are fine give no item: each area adds one "ok" line for its record set.
"""

from __future__ import annotations

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.classify import CellStatus
from sesdmarc_tui.dns.mistakes import Hint, HintKind
from sesdmarc_tui.dns.round import RecordRow, RecordState

_EXPLAINS = {
    HintKind.DOUBLED_ZONE: {RecordState.MISSING, RecordState.PARTIAL},
    HintKind.PROXIED: {RecordState.WRONG_VALUE},
    HintKind.TXT_INSTEAD_OF_CNAME: {RecordState.WRONG_VALUE},
    HintKind.EXTRA_MX: {RecordState.WRONG_VALUE},
    HintKind.MULTIPLE_SPF: {RecordState.WRONG_VALUE},
    HintKind.MULTIPLE_DMARC: {RecordState.WRONG_VALUE},
}


def shown(record: DnsRecord) -> str:
    """``name TYPE value``, as the operator types it into a DNS provider's form."""
    value = record.values[0] if len(record.values) == 1 else " | ".join(record.values)
    if record.rtype == "TXT":
        value = f'"{value}"'
    return f"{record.name} {record.rtype} {value}"


def _hint_fix(hint: Hint, record: DnsRecord) -> str:
    target = record.values[0]
    if hint.kind is HintKind.DOUBLED_ZONE:
        return (
            f"Rename {hint.name} to {record.name}: type only the part before the zone name, "
            "or end the name with a dot."
        )
    if hint.kind is HintKind.PROXIED:
        return (
            f"Switch {record.name} to DNS only (no proxy) so it is served as a CNAME to {target}."
        )
    if hint.kind is HintKind.TXT_INSTEAD_OF_CNAME:
        return f"Delete the TXT record at {record.name} and create a CNAME to {target} instead."
    if hint.kind is HintKind.EXTRA_MX:
        return f"Delete every MX record at {record.name} except {target}."
    if hint.kind is HintKind.MULTIPLE_SPF:
        return f"Merge the SPF records at {record.name} into one (keep one v=spf1 record)."
    if hint.kind is HintKind.MULTIPLE_DMARC:
        return f"Delete all but one DMARC record at {record.name}."
    return f"Publish {shown(record)} at the DNS provider the zone is delegated to."


_HINT_TITLES = {
    HintKind.DOUBLED_ZONE: "published under a doubled zone name",
    HintKind.PROXIED: "proxied: A records are served instead of the CNAME",
    HintKind.TXT_INSTEAD_OF_CNAME: "a TXT record stands where the CNAME belongs",
    HintKind.EXTRA_MX: "more than one MX record",
    HintKind.MULTIPLE_SPF: "two SPF records at one name",
    HintKind.MULTIPLE_DMARC: "two DMARC records at one name",
}


def hint_item(hint: Hint, record: DnsRecord, area: Area, what: str) -> CheckItem:
    return CheckItem(
        area,
        f"{area.value}_{hint.kind.value}",
        Severity.ERROR,
        f"{what}: {_HINT_TITLES.get(hint.kind, hint.kind.value)}",
        hint.message,
        _hint_fix(hint, record),
        (hint.name, *hint.found),
    )


def fine(row: RecordRow) -> bool:
    """Published on every name server; without name servers, seen by every resolver."""
    return row.published or effective_state(row) is RecordState.PUBLISHED


def has_mistake(row: RecordRow) -> bool:
    return any(h.kind is not HintKind.NOT_AT_DELEGATED_SERVERS for h in row.hints)


def explained(row: RecordRow) -> bool:
    return any(effective_state(row) in _EXPLAINS.get(h.kind, set()) for h in row.hints)


def row_items(row: RecordRow, area: Area, what: str) -> list[CheckItem]:
    """Items for one expected record: its mistake hints, else what its state calls for."""
    record = row.record
    items = [
        hint_item(h, record, area, what)
        for h in row.hints
        if h.kind is not HintKind.NOT_AT_DELEGATED_SERVERS
    ]
    if explained(row):
        return items
    state = effective_state(row)
    detail = _cell_detail(row)
    if state is RecordState.MISSING:
        why = next((h.message for h in row.hints), detail)
        items.append(
            CheckItem(
                area,
                f"{area.value}_record_missing",
                Severity.ERROR,
                f"{what} is not published: {record.name} {record.rtype}",
                why,
                f"Publish {shown(record)} at the DNS provider the zone is delegated to.",
                (record.name,),
            )
        )
    elif state is RecordState.WRONG_VALUE:
        items.append(
            CheckItem(
                area,
                f"{area.value}_record_wrong",
                Severity.ERROR,
                f"{what} has the wrong value: {record.name} {record.rtype}",
                detail,
                f"Change the record to {shown(record)}.",
                _found(row),
            )
        )
    elif state is RecordState.PARTIAL:
        items.append(_partial(row, area, what))
    elif state is RecordState.INCOMPLETE:
        items.append(
            CheckItem(
                area,
                f"{area.value}_record_unchecked",
                Severity.WARNING,
                f"{what} could not be checked on every name server: {record.name}",
                detail,
                "Run the check again; if a server keeps failing, ask the DNS provider about it.",
            )
        )
    return items


def effective_state(row: RecordRow) -> RecordState:
    """The row's state; without authoritative servers, judged by what the resolvers answered.

    A resolver that failed proves nothing either way, so only definite answers count.
    """
    if row.state is not RecordState.UNKNOWN:
        return row.state
    definite = {c.status for c in row.resolver_cells} - {CellStatus.ERROR, CellStatus.SKIPPED}
    if not definite:
        return RecordState.INCOMPLETE
    if CellStatus.WRONG_VALUE in definite:
        return RecordState.WRONG_VALUE
    if CellStatus.MATCH in definite:
        return RecordState.PUBLISHED
    return RecordState.MISSING


def _partial(row: RecordRow, area: Area, what: str) -> CheckItem:
    lacking = [c.server.name for c in row.authoritative_cells if c.status is CellStatus.MISSING]
    return CheckItem(
        area,
        f"{area.value}_record_partial",
        Severity.WARNING,
        f"{what} is on some name servers only: {row.record.name}",
        f"Missing on {', '.join(lacking)}.",
        "Wait a few minutes for the provider to sync; if it persists, add the record where "
        "those name servers take their data from.",
    )


def _cell_detail(row: RecordRow) -> str:
    details = dict.fromkeys(
        f"{c.server.name}: {c.detail}" for c in row.cells if c.status is not CellStatus.MATCH
    )
    return "; ".join(list(details)[:4])


def _found(row: RecordRow) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for c in row.cells for v in c.found))


def not_yet_visible(rows: list[RecordRow], area: Area, what: str) -> list[CheckItem]:
    """Published everywhere, but some resolvers still answer from a cache: wait, not fix."""
    published = [r for r in rows if effective_state(r) is RecordState.PUBLISHED]
    waiting = [
        r for r in published if any(c.status is CellStatus.MISSING for c in r.resolver_cells)
    ]
    items = _stale_at_resolvers(published, area, what)
    if not waiting:
        return items
    names = ", ".join(r.record.name for r in waiting)
    return [
        CheckItem(
            area,
            f"{area.value}_not_yet_visible",
            Severity.INFO,
            f"{what} published, but some resolvers do not see it yet",
            f"{names}: the name servers publish it; resolvers may cache the earlier absence "
            "for the zone's negative TTL.",
        ),
        *items,
    ]


def _stale_at_resolvers(rows: list[RecordRow], area: Area, what: str) -> list[CheckItem]:
    """A resolver serving another value than the name servers: receivers behind it act on
    the old record until its TTL runs out, so this is a warning, not information."""
    stale = [
        (row, cell)
        for row in rows
        for cell in row.resolver_cells
        if cell.status is CellStatus.WRONG_VALUE
    ]
    if not stale:
        return []
    detail = "; ".join(
        f"{cell.server.name} at {row.record.name}: {', '.join(cell.found)} ({cell.detail})"
        for row, cell in stale[:4]
    )
    return [
        CheckItem(
            area,
            f"{area.value}_stale_at_resolvers",
            Severity.WARNING,
            f"{what} published, but some resolvers still serve another value",
            f"The name servers publish the expected record. {detail}.",
            "Nothing to change at the DNS host: the cached value expires by itself. Next "
            "time, lower the record's TTL at least one old TTL before changing it.",
            tuple(dict.fromkeys(v for _, cell in stale for v in cell.found)),
        )
    ]

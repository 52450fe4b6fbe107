"""Plan building shared by every provider: name checks, what to read, and the diff itself.

A provider's ``plan`` is ``check_names`` (before any network call), ``read(keys_to_read(...))``,
then ``build_plan``; only reading differs between providers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sesdmarc_tui.core.names import (
    DomainError,
    has_doubled_zone,
    is_subdomain,
    normalize_domain,
    parent_names,
)
from sesdmarc_tui.core.records import RECORD_TYPES, DnsRecord, RecordError, make_record
from sesdmarc_tui.dns.providers.base import (
    ChangePlan,
    CurrentRecords,
    RecordChange,
    RecordKey,
    Refusal,
)
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.providers.merge import merge_record, remove_values


def zone_name(zone: str) -> str:
    """The canonical zone apex, or an INVALID_NAME error saying what is wrong with it."""
    try:
        return normalize_domain(zone)
    except DomainError as exc:
        raise DnsProviderError(
            ProviderErrorKind.INVALID_NAME, f"Zone: {exc.message}", exc.hint
        ) from None


def _doubled(name: str, zone: str) -> DnsProviderError:
    single = name[: -(len(zone) + 1)]
    return DnsProviderError(
        ProviderErrorKind.INVALID_NAME,
        f"{name} contains the zone {zone} twice.",
        f"Use {single}: the zone must appear exactly once (a DNS UI that appends the zone "
        "produces this name).",
    )


def check_names(names: Iterable[str], zone: str) -> None:
    """Refuse names outside ``zone`` or carrying it twice (Route 53 accepts the second)."""
    for name in names:
        if has_doubled_zone(name, zone):
            raise _doubled(name, zone)
        if not is_subdomain(name, zone):
            raise DnsProviderError(
                ProviderErrorKind.INVALID_NAME,
                f"{name} is not inside the zone {zone}.",
                "Publish it in the zone that holds that name.",
            )


def check_not_doubled(names: Iterable[str], domain: str) -> None:
    """Refuse doubled names against every parent of ``domain`` while the zone is not known yet,
    so the mistake is caught before any network call."""
    candidates = [p for p in parent_names(domain) if "." in p]
    for name in names:
        for zone in candidates:
            if has_doubled_zone(name, zone):
                raise _doubled(name, zone)


def keys_to_read(desired: Iterable[DnsRecord], remove: Iterable[DnsRecord] = ()) -> list[RecordKey]:
    """The record sets a plan needs: the desired type, plus what can clash with it.

    A CNAME clashes with any data at its name, so every supported type there is read; any other
    type clashes only with a CNAME.
    """
    keys: dict[RecordKey, None] = {}
    for record in desired:
        if record.rtype == "CNAME":
            keys.update(dict.fromkeys((record.name, t) for t in RECORD_TYPES))
        else:
            keys[(record.name, record.rtype)] = None
            keys[(record.name, "CNAME")] = None
    for record in remove:
        keys[(record.name, record.rtype)] = None
    return list(keys)


def group_desired(desired: Sequence[DnsRecord]) -> tuple[list[DnsRecord], list[Refusal]]:
    """One record per name and type: a provider writes whole sets, so values are pooled."""
    pooled: dict[RecordKey, list[DnsRecord]] = {}
    for record in desired:
        pooled.setdefault((record.name, record.rtype), []).append(record)
    grouped: list[DnsRecord] = []
    refused: list[Refusal] = []
    for (name, rtype), records in pooled.items():
        if len(records) == 1:
            grouped.append(records[0])
            continue
        values = [v for r in records for v in r.values]
        try:
            grouped.append(make_record(name, rtype, values, min(r.ttl for r in records)))
        except RecordError as exc:
            refused.append(Refusal(name, rtype, f"the desired records disagree: {exc.message}"))
    return grouped, refused


def build_plan(
    provider: str,
    zone: str,
    desired: Sequence[DnsRecord],
    current: CurrentRecords,
    remove: Sequence[DnsRecord] = (),
) -> ChangePlan:
    """Diff ``desired`` (and ``remove``) against ``current``, which ``keys_to_read`` covered."""
    grouped, refused = group_desired(desired)
    wanted = {(r.name, r.rtype) for r in grouped}
    changes: list[RecordChange] = []
    outcomes = [merge_record(r, current, zone) for r in grouped]
    for record in remove:
        if (record.name, record.rtype) in wanted:
            raise DnsProviderError(
                ProviderErrorKind.PLAN,
                f"{record.rtype} {record.name} is both to publish and to remove.",
                "Make two plans, or leave the record out of one list.",
            )
        outcomes.append(remove_values(record, current))
    for outcome in outcomes:
        if isinstance(outcome, Refusal):
            refused.append(outcome)
        else:
            changes.append(outcome)
    return ChangePlan(provider, zone, tuple(changes), tuple(refused))


def check_plan(plan: ChangePlan, provider: str, zone: str) -> None:
    """Refuse a plan made by another provider or for another zone."""
    if plan.provider != provider or plan.zone != zone:
        raise DnsProviderError(
            ProviderErrorKind.PLAN,
            f"The plan is for {plan.provider} zone {plan.zone}, not {provider} zone {zone}.",
            "Plan again with this provider.",
        )


def stale_changes(plan: ChangePlan, current: CurrentRecords) -> list[RecordChange]:
    """Writes whose "before" differs from what the DNS holds now (someone changed it)."""
    stale = []
    for change in plan.writes:
        now = current.get(change.key)
        before = set(change.old.values) if change.old else set()
        if before != (set(now.values) if now else set()):
            stale.append(change)
    return stale


def conflict_error(stale: Sequence[RecordChange]) -> DnsProviderError:
    names = ", ".join(f"{c.rtype} {c.name}" for c in stale)
    return DnsProviderError(
        ProviderErrorKind.CONFLICT,
        f"The records changed since the plan was made: {names}.",
        "Plan again, so that values added in the meantime are kept.",
    )


def served(changes: Sequence[RecordChange], current: CurrentRecords) -> bool:
    """True when ``current`` shows every change's outcome (new values, or the set gone)."""
    for change in changes:
        now = current.get(change.key)
        want = set(change.new.values) if change.new else set()
        if (set(now.values) if now else set()) != want:
            return False
    return True


def poll_until(
    check: Callable[[], bool],
    timeout: float,
    interval: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> bool:
    """Call ``check`` until it is True (True) or ``timeout`` seconds have passed (False)."""
    deadline = clock() + timeout
    while True:
        if check():
            return True
        remaining = deadline - clock()
        if remaining <= 0:
            return False
        sleep(min(interval, remaining))

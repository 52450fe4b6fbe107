"""Manual publishing: the plan is made from what DNS shows, and the operator does the writing.

``apply`` writes nothing; it returns the copy material (zone-file snippet, CSV, one line per
record for a DNS form). Whether the change is "applied" is decided by what DNS serves: the
wizard's propagation board watches every authoritative server; ``wait`` here is the simple
blocking form of that check through the one injected ``Lookup``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.records import DnsRecord, RecordError, make_record, normalize_value
from sesdmarc_tui.core.render import copy_text, to_csv, to_zone_lines, zone_value
from sesdmarc_tui.dns.providers.base import (
    Action,
    ApplyResult,
    ChangePlan,
    CopyEntry,
    ManualInstructions,
    ProgressFn,
    RecordChange,
    RecordKey,
    RRset,
)
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.providers.plan import (
    build_plan,
    check_names,
    check_plan,
    keys_to_read,
    poll_until,
    served,
    zone_name,
)

POLL_INTERVAL = 5.0


def _added_record(change: RecordChange) -> DnsRecord | None:
    """Only the values to add: DNS forms and CSV imports add entries one by one."""
    if change.new is None or not change.added:
        return None
    return make_record(change.name, change.rtype, change.added, change.new.ttl)


def _removal_lines(change: RecordChange) -> list[str]:
    if change.old is None or not change.removed:
        return []
    ttl = change.old.ttl if change.old.ttl is not None else ""
    lines = []
    for value in change.removed:
        try:
            shown = zone_value(make_record(change.name, change.rtype, [value]), value)
        except RecordError:
            shown = value  # odd data found in DNS: show it as it is
        lines.append(f"; remove: {change.name}. {ttl} IN {change.rtype} {shown}")
    return lines


def instructions_for(plan: ChangePlan) -> ManualInstructions:
    """Copy material for the writes of ``plan`` (the zone snippet shows complete sets)."""
    writes = plan.writes
    full = [c.new for c in writes if c.new is not None]
    lines = to_zone_lines(full, origin=plan.zone) if full else []
    for change in writes:
        lines.extend(_removal_lines(change))
    added = [r for r in (_added_record(c) for c in writes) if r is not None]
    steps = [c.description for c in writes]
    steps.extend(f"Not planned: {r.rtype} {r.name}: {r.reason}" for r in plan.refused)
    return ManualInstructions(
        zone_snippet="\n".join(lines) + ("\n" if lines else ""),
        csv=to_csv(added),
        copy=tuple(CopyEntry(r.name, r.rtype, copy_text(r, plan.zone)) for r in added),
        steps=tuple(steps),
    )


class ManualProvider:
    """Plans against ``lookup`` (a blocking ``core.lookup.Lookup``, e.g. ``dns.lookup``'s)."""

    name = "manual"

    def __init__(
        self,
        zone: str,
        lookup: Lookup,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self._zone = zone_name(zone)
        self._lookup = lookup
        self._sleep = sleep
        self._clock = clock
        self._interval = poll_interval

    @property
    def zone(self) -> str:
        return self._zone

    def read(self, keys: Iterable[RecordKey]) -> dict[RecordKey, RRset]:
        wanted = list(dict.fromkeys(keys))
        result: dict[RecordKey, RRset] = {}
        for name, rtype in wanted:
            answer = self._lookup(name, rtype)
            if answer.kind is AnswerKind.ERROR:
                raise DnsProviderError(
                    ProviderErrorKind.UNREACHABLE,
                    f"Cannot read {rtype} {name}: {answer.error}.",
                    "Check the network, or choose the name server to ask.",
                )
            if answer.cname_chain and rtype != "CNAME":
                # The resolver followed a CNAME: the name itself holds only that CNAME.
                target = normalize_value("CNAME", answer.cname_chain[0])
                result[(name, "CNAME")] = RRset(name, "CNAME", (target,), None, (target,))
                continue
            if answer.kind is AnswerKind.OK and answer.values:
                values = tuple(normalize_value(rtype, v, txt_form="joined") for v in answer.values)
                result[(name, rtype)] = RRset(name, rtype, values, answer.ttl, answer.values)
        return {k: v for k, v in result.items() if k in set(wanted)}

    def plan(self, desired: Sequence[DnsRecord], *, remove: Sequence[DnsRecord] = ()) -> ChangePlan:
        check_names((r.name for r in (*desired, *remove)), self.zone)
        current = self.read(keys_to_read(desired, remove))
        return build_plan(self.name, self.zone, desired, current, remove)

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        """Nothing is written: the result carries the instructions for the operator."""
        check_plan(plan, self.name, self.zone)
        instructions = instructions_for(plan)
        if on_progress is not None:
            on_progress(f"{len(plan.writes)} change(s) to make by hand in {self.zone}.")
        status = "NOTHING_TO_DO" if plan.empty else "MANUAL"
        return ApplyResult(
            self.name,
            self.zone,
            plan.writes,
            plan.refused,
            status=status,
            instructions=instructions,
            messages=instructions.steps,
        )

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        """True once the lookup shows every change (the board is the fuller view)."""
        changes = [c for c in applied.applied if c.action is not Action.UNCHANGED]

        def check() -> bool:
            return served(changes, self.read(c.key for c in changes))

        return poll_until(check, timeout, self._interval, self._sleep, self._clock)

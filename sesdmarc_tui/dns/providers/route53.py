"""Route 53 as a DNS provider: read record sets, write one all-or-nothing batch, poll INSYNC.

Every AWS call goes through ``AwsSession.call``, so failures arrive translated by
``aws.errors.translate`` and leave this module as ``DnsProviderError(kind=AWS)``.

Route 53 takes every record name as fully qualified and silently accepts a name with the zone
appended twice, so names are checked against the zone before anything is sent (and against
the parents of ``domain`` before the zone is even looked up). A TXT UPSERT replaces the whole
value list, so plans carry the merged list (``merge``), and ``apply`` re-reads the sets first:
a value added after the plan was made fails the apply instead of being wiped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sesdmarc_tui.aws.route53 import HostedZone
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.core.records import DnsRecord, RecordError, normalize_value
from sesdmarc_tui.core.render import parse_route53_txt_value, route53_values
from sesdmarc_tui.dns.providers.base import (
    Action,
    ApplyResult,
    ChangePlan,
    ProgressFn,
    RecordChange,
    RecordKey,
    Refusal,
    RRset,
)
from sesdmarc_tui.dns.providers.plan import (
    build_plan,
    check_names,
    check_not_doubled,
    check_plan,
    conflict_error,
    keys_to_read,
    stale_changes,
)
from sesdmarc_tui.dns.providers.route53_zone import PublicNs, aws_errors, resolve_zone

SERVICE = "route53"
PAGE_SIZE = "300"  # the API maximum; Route 53 takes MaxItems as a string
COMMENT = "sesdmarc-tui"
INSYNC = "INSYNC"
# GetChange back-off: real changes turn INSYNC in well under a minute, so start fast and cap
# the interval; botocore's waiter polls every 30 s, which makes the wizard look stuck.
POLL_DELAYS = (1.0, 2.0, 4.0, 8.0)
POLL_MAX_DELAY = 10.0


def _values(rtype: str, raw: Sequence[str]) -> tuple[str, ...]:
    if rtype != "TXT":
        return tuple(normalize_value(rtype, v) for v in raw)
    out = []
    for value in raw:
        try:
            out.append(parse_route53_txt_value(value))
        except RecordError:
            out.append(value)  # unquoted or malformed as stored: compare it as it is
    return tuple(out)


def _rrset(raw: Mapping[str, Any]) -> RRset:
    name = str(raw["Name"]).rstrip(".").lower()
    rtype = str(raw["Type"])
    native = tuple(str(r["Value"]) for r in raw.get("ResourceRecords") or ())
    unmanaged = None
    if "AliasTarget" in raw:
        unmanaged = f"a Route 53 alias to {raw['AliasTarget'].get('DNSName', '?')}"
    elif "SetIdentifier" in raw:
        unmanaged = f"a Route 53 routing-policy set ({raw['SetIdentifier']})"
    ttl = raw.get("TTL")
    return RRset(name, rtype, _values(rtype, native), ttl, native, unmanaged)


def _change(change: RecordChange) -> dict[str, Any]:
    # Names go without the trailing dot: Route 53 takes every name as fully qualified either
    # way, and moto matches a later DELETE only against a name sent in that form.
    if change.action is Action.DELETE and change.old is not None:
        old = change.old
        # DELETE must repeat the set exactly as stored, TTL included.
        rrset = {
            "Name": old.name,
            "Type": old.rtype,
            "TTL": old.ttl,
            "ResourceRecords": [{"Value": v} for v in old.native],
        }
        return {"Action": "DELETE", "ResourceRecordSet": rrset}
    new: DnsRecord | None = change.new
    assert new is not None  # a CREATE or REPLACE always carries the set to write
    rrset = {
        "Name": new.name,
        "Type": new.rtype,
        "TTL": new.ttl,
        "ResourceRecords": [{"Value": v} for v in route53_values(new)],
    }
    return {"Action": "UPSERT", "ResourceRecordSet": rrset}


def _renderable(plan: ChangePlan) -> ChangePlan:
    """Move sets Route 53 cannot hold (a TXT value over 4,000 characters) to ``refused``."""
    changes: list[RecordChange] = []
    refused = list(plan.refused)
    for change in plan.changes:
        try:
            if change.is_write and change.new is not None:
                route53_values(change.new)
        except RecordError as exc:
            refused.append(Refusal(change.name, change.rtype, exc.message, exc.hint))
            continue
        changes.append(change)
    return replace(plan, changes=tuple(changes), refused=tuple(refused))


class Route53Provider:
    """Writes to one public hosted zone, given by ``zone_id`` or found from ``domain``.

    ``public_ns`` (zone name -> NS names in public DNS) enables the delegation check; ``sleep``
    and ``clock`` are injectable so that waiting can be tested without waiting.
    """

    name = "route53"

    def __init__(
        self,
        session: AwsSession,
        *,
        zone_id: str | None = None,
        domain: str | None = None,
        public_ns: PublicNs | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if zone_id is None and domain is None:
            raise ValueError("Route53Provider needs zone_id or domain")
        self._session = session
        self._zone_id = zone_id
        self._domain = domain
        self._public_ns = public_ns
        self._sleep = sleep
        self._clock = clock
        self._hosted_zone: HostedZone | None = None

    @property
    def hosted_zone(self) -> HostedZone:
        if self._hosted_zone is None:
            self._hosted_zone = resolve_zone(
                self._session, zone_id=self._zone_id, domain=self._domain, public_ns=self._public_ns
            )
        return self._hosted_zone

    @property
    def zone(self) -> str:
        return self.hosted_zone.name

    def _call(self, operation: str, method: str, **params: Any) -> Any:
        with aws_errors():
            return self._session.call(SERVICE, operation, method, **params)

    def _read_name(self, name: str) -> list[RRset]:
        """Every set at ``name``: the listing is ordered by name, so it stops at the next one."""
        found: list[RRset] = []
        params: dict[str, Any] = {
            "HostedZoneId": self.hosted_zone.id,
            "StartRecordName": absolute(name),
            "MaxItems": PAGE_SIZE,
        }
        while True:
            page = self._call("ListResourceRecordSets", "list_resource_record_sets", **params)
            for raw in page.get("ResourceRecordSets") or ():
                rrset = _rrset(raw)
                if rrset.name != name:
                    return found
                found.append(rrset)
            if not page.get("IsTruncated"):
                return found
            params["StartRecordName"] = page["NextRecordName"]
            params["StartRecordType"] = page["NextRecordType"]
            if page.get("NextRecordIdentifier"):
                params["StartRecordIdentifier"] = page["NextRecordIdentifier"]

    def read(self, keys: Iterable[RecordKey]) -> dict[RecordKey, RRset]:
        wanted = set(keys)
        result: dict[RecordKey, RRset] = {}
        for name in dict.fromkeys(n for n, _ in wanted):
            for rrset in self._read_name(name):
                # Weighted/latency sets repeat a name and type; the first one marks it unmanaged.
                if rrset.key in wanted and rrset.key not in result:
                    result[rrset.key] = rrset
        return result

    def plan(self, desired: Sequence[DnsRecord], *, remove: Sequence[DnsRecord] = ()) -> ChangePlan:
        names = [r.name for r in (*desired, *remove)]
        if self._domain is not None:
            check_not_doubled(names, self._domain)
        zone = self.zone
        check_names(names, zone)
        current = self.read(keys_to_read(desired, remove))
        return _renderable(build_plan(self.name, zone, desired, current, remove))

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        progress = on_progress or (lambda _line: None)
        zone = self.hosted_zone
        check_plan(plan, self.name, zone.name)
        writes = plan.writes
        if not writes:
            progress("Nothing to change in Route 53.")
            return ApplyResult(self.name, zone.name, (), plan.refused, status="NOTHING_TO_DO")
        check_names((c.name for c in writes), zone.name)
        stale = stale_changes(plan, self.read(c.key for c in writes))
        if stale:
            raise conflict_error(stale)
        progress(f"Sending {len(writes)} change(s) to hosted zone {zone.name} ({zone.id}).")
        response = self._call(
            "ChangeResourceRecordSets",
            "change_resource_record_sets",
            HostedZoneId=zone.id,
            ChangeBatch={"Comment": COMMENT, "Changes": [_change(c) for c in writes]},
        )
        info = response.get("ChangeInfo") or {}
        change_id = str(info.get("Id", "")).rsplit("/", 1)[-1] or None
        status = str(info.get("Status", ""))
        progress(f"Route 53 accepted change {change_id} ({status}).")
        return ApplyResult(self.name, zone.name, writes, plan.refused, change_id, status)

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        """Poll GetChange until INSYNC (Route 53's servers have the change), with back-off."""
        if applied.change_id is None or applied.status == INSYNC:
            return True
        deadline = self._clock() + timeout
        attempt = 0
        while True:
            info = self._call("GetChange", "get_change", Id=applied.change_id).get("ChangeInfo")
            if (info or {}).get("Status") == INSYNC:
                return True
            remaining = deadline - self._clock()
            if remaining <= 0:
                return False
            delay = POLL_DELAYS[attempt] if attempt < len(POLL_DELAYS) else POLL_MAX_DELAY
            self._sleep(min(delay, remaining))
            attempt += 1

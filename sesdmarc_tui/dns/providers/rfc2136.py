"""RFC 2136 dynamic update as a DNS provider (BIND, Knot, PowerDNS, Windows DNS...).

Reads ask the given server directly (RD=0, UDP with TCP fallback, or TCP only), so the plan
sees what the primary holds, not a cache. A plan is applied as **one** UPDATE message over TCP,
signed with TSIG: the server applies it atomically (RFC 2136 s3.4). Each change carries a
prerequisite that the RRset is still exactly what the plan read (s2.4.2) or still absent
(s2.4.3), so a value someone added after the plan is never wiped: the server answers
NXRRSET/YXRRSET and the apply fails with a CONFLICT error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.update

from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.core.records import DnsRecord, normalize_value
from sesdmarc_tui.core.render import zone_value
from sesdmarc_tui.dns.providers.base import (
    Action,
    ApplyResult,
    ChangePlan,
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
from sesdmarc_tui.dns.providers.rfc2136_wire import (
    Exchange,
    TsigKey,
    default_exchange,
    exchange_error,
    update_rcode_error,
)
from sesdmarc_tui.dns.values import value_text

WAIT_INTERVAL = 0.2


def _rdata(rtype: str, text: str) -> dns.rdata.Rdata:
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), text)


def _new_rdatas(record: DnsRecord) -> list[dns.rdata.Rdata]:
    # zone_value gives absolute targets and TXT split into <=255-octet quoted strings.
    return [_rdata(record.rtype, zone_value(record, v)) for v in record.values]


class Rfc2136Provider:
    """Updates ``zone`` on ``server:port``, signed with ``key`` (None sends unsigned updates,
    for servers that authorise by address)."""

    name = "rfc2136"

    def __init__(
        self,
        server: str,
        zone: str,
        key: TsigKey | None = None,
        *,
        port: int = 53,
        timeout: float = 5.0,
        read_tcp: bool = False,
        exchange: Exchange = default_exchange,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.server = server
        self.port = port
        self._zone = zone_name(zone)
        self.key = key
        self.timeout = timeout
        self.read_tcp = read_tcp
        self._exchange = exchange
        self._sleep = sleep
        self._clock = clock

    @classmethod
    def from_settings(
        cls,
        server: str,
        port: int,
        zone: str,
        *,
        key_name: str | None = None,
        algorithm: str = "hmac-sha256",
        secret: str | None = None,
        timeout: float = 5.0,
    ) -> Rfc2136Provider:
        """The provider from the wizard's form fields; no key name means unsigned updates."""
        key = TsigKey(key_name, algorithm, secret or "") if key_name else None
        return cls(server, zone, key, port=port, timeout=timeout)

    @property
    def zone(self) -> str:
        return self._zone

    @property
    def where(self) -> str:
        return f"{self.server} port {self.port}"

    def _send(self, message: dns.message.Message, tcp: bool) -> dns.message.Message:
        try:
            return self._exchange(message, self.server, self.port, self.timeout, tcp)
        except Exception as exc:
            raise exchange_error(exc, self.where, self.timeout, self.zone) from exc

    def _query(self, name: str, rtype: str) -> dns.message.Message:
        query = dns.message.make_query(absolute(name), rtype)
        query.flags &= ~dns.flags.RD  # ask the server itself, never its recursion
        response = self._send(query, self.read_tcp)
        rcode = response.rcode()
        if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            raise DnsProviderError(
                ProviderErrorKind.NOT_AUTHORITATIVE
                if rcode in (dns.rcode.REFUSED, dns.rcode.NOTAUTH)
                else ProviderErrorKind.SERVER,
                f"{self.where} answered {dns.rcode.to_text(rcode)} for {rtype} {name}.",
                f"Check that it is the primary server of {self.zone}.",
            )
        if not response.flags & dns.flags.AA:
            raise DnsProviderError(
                ProviderErrorKind.NOT_AUTHORITATIVE,
                f"{self.where} is not authoritative for {name} (no AA flag).",
                f"Point the provider at the primary server of {self.zone}.",
            )
        return response

    def read(self, keys: Iterable[RecordKey]) -> dict[RecordKey, RRset]:
        wanted = list(dict.fromkeys(keys))
        result: dict[RecordKey, RRset] = {}
        for name, rtype in wanted:
            owner = dns.name.from_text(absolute(name))
            for rrset in self._query(name, rtype).answer:
                # A CNAME answers for every type; only sets owned by the name itself count.
                found = dns.rdatatype.to_text(rrset.rdtype)
                if rrset.name != owner or found not in (rtype, "CNAME"):
                    continue
                values = tuple(normalize_value(found, value_text(r, found)) for r in rrset)
                native = tuple(r.to_text() for r in rrset)
                result[(name, found)] = RRset(name, found, values, rrset.ttl, native)
        return {k: v for k, v in result.items() if k in set(wanted)}

    def plan(self, desired: Sequence[DnsRecord], *, remove: Sequence[DnsRecord] = ()) -> ChangePlan:
        check_names((r.name for r in (*desired, *remove)), self.zone)
        current = self.read(keys_to_read(desired, remove))
        return build_plan(self.name, self.zone, desired, current, remove)

    def _update(self, writes: Sequence[RecordChange]) -> dns.update.UpdateMessage:
        if self.key is None:
            update = dns.update.UpdateMessage(absolute(self.zone))
        else:
            key = self.key.dns_key()
            update = dns.update.UpdateMessage(
                absolute(self.zone), keyring=key, keyname=key.name, keyalgorithm=key.algorithm
            )
        for change in writes:
            owner = dns.name.from_text(absolute(change.name))
            if change.old is not None:
                update.present(owner, *(_rdata(change.rtype, t) for t in change.old.native))
            elif change.rtype == "CNAME":
                # A server silently ignores a CNAME added next to other data (RFC 2136
                # s3.4.2.2); "name not in use" turns that into a visible failure.
                update.absent(owner)
            else:
                update.absent(owner, change.rtype)
            if change.rtype != "CNAME" and change.action is not Action.DELETE:
                update.absent(owner, "CNAME")  # likewise for data added at a CNAME's name
            if change.action is Action.DELETE:
                update.delete(owner, change.rtype)
            elif change.new is not None:
                update.replace(owner, change.new.ttl, *_new_rdatas(change.new))
        return update

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        progress = on_progress or (lambda _line: None)
        check_plan(plan, self.name, self.zone)
        writes = plan.writes
        if not writes:
            progress("Nothing to change.")
            return ApplyResult(self.name, self.zone, (), plan.refused, status="NOTHING_TO_DO")
        check_names((c.name for c in writes), self.zone)
        signed = self.key is not None
        progress(
            f"Sending {len(writes)} change(s) to {self.where} as one "
            f"{'TSIG-signed ' if signed else 'unsigned '}update."
        )
        response = self._send(self._update(writes), tcp=True)
        if response.rcode() != dns.rcode.NOERROR:
            raise update_rcode_error(response.rcode(), self.where, self.zone, signed)
        progress(f"{self.where} applied the update.")
        return ApplyResult(self.name, self.zone, writes, plan.refused, status="NOERROR")

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        """The primary applies an update before answering; this re-reads it to be sure."""
        changes = applied.applied

        def check() -> bool:
            return served(changes, self.read(c.key for c in changes))

        return poll_until(check, timeout, WAIT_INTERVAL, self._sleep, self._clock)

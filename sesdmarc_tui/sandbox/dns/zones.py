"""An in-memory, thread-safe store of the sandbox's zones.

The AWS shim writes from werkzeug threads while the DNS server reads on its own event loop.
Writers serialise on one lock and replace a zone's data copy-on-write, so a reader takes the
current ``ZoneData`` without locking and answers from a consistent version even while a change
is being made. Every committed change bumps the zone's SOA serial once and then tells the
listeners, outside the lock, so a listener may read the store (or change it) again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype

from sesdmarc_tui.sandbox.dns.rdata import (
    ZoneError,
    name_text,
    to_name,
    to_rdataset,
    to_rdtype,
    values_of,
)

__all__ = [
    "RRsetView",
    "RecordConflict",
    "ZoneChange",
    "ZoneData",
    "ZoneError",
    "ZoneStore",
]

_log = logging.getLogger(__name__)
Key = tuple[dns.name.Name, dns.rdatatype.RdataType]
SOA = dns.rdatatype.SOA
NS = dns.rdatatype.NS
CNAME = dns.rdatatype.CNAME


class RecordConflict(ZoneError):
    """A CNAME next to other data at one name (RFC 1034 s3.6.2); Route 53 refuses it too."""


@dataclass(frozen=True)
class RRsetView:
    """One RRset as text: ``name`` without the trailing dot, values as lookups show them."""

    name: str
    rtype: str
    ttl: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class ZoneChange:
    """Told to listeners after a commit: which RRset changed and the zone's new serial."""

    zone: str
    name: str
    rtype: str
    serial: int


@dataclass(frozen=True)
class ZoneData:
    """One committed version of a zone; never changed in place, so readers need no lock."""

    origin: dns.name.Name
    rrsets: Mapping[Key, dns.rdataset.Rdataset]
    serial: int
    soa_ttl: int
    soa_minimum: int

    def get(self, name: dns.name.Name, rdtype: int) -> dns.rdataset.Rdataset | None:
        return self.rrsets.get((name, dns.rdatatype.RdataType.make(rdtype)))

    def at(self, name: dns.name.Name) -> list[dns.rdataset.Rdataset]:
        return [rds for (owner, _), rds in self.rrsets.items() if owner == name]

    def name_exists(self, name: dns.name.Name) -> bool:
        """True for a name with data and for an empty non-terminal (RFC 8020: not NXDOMAIN)."""
        return any(owner.is_subdomain(name) for owner, _ in self.rrsets)

    @property
    def negative_ttl(self) -> int:
        return min(self.soa_ttl, self.soa_minimum)


def _soa(origin: dns.name.Name, serial: int, ttl: int, minimum: int) -> dns.rdataset.Rdataset:
    apex = origin.to_text()
    text = f"ns1.{apex} hostmaster.{apex} {serial} 3600 600 86400 {minimum}"
    rdata = dns.rdata.from_text(dns.rdataclass.IN, SOA, text)
    rdataset = dns.rdataset.Rdataset(dns.rdataclass.IN, SOA)
    rdataset.add(rdata, ttl)
    return rdataset


class ZoneStore:
    """Zones by origin; names and types may be given as text in any case, with or without dot."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._zones: dict[dns.name.Name, ZoneData] = {}
        self._listeners: list[Callable[[ZoneChange], None]] = []
        # The open batch, if any: working copies of the zones it touched and what changed.
        self._owner: int | None = None
        self._pending: dict[dns.name.Name, dict[Key, dns.rdataset.Rdataset]] = {}
        self._changed: dict[tuple[dns.name.Name, dns.name.Name, dns.rdatatype.RdataType], None] = {}

    # --- zones ----------------------------------------------------------------------------------

    def add_zone(
        self,
        origin: str,
        soa_minimum: int = 300,
        soa_ttl: int = 900,
        *,
        ns_address: str = "127.0.0.1",
        ns_ttl: int = 3600,
    ) -> None:
        """Serve a new zone with its SOA, ``NS ns1.<origin>`` and that host's address."""
        apex = to_name(origin)
        if apex == dns.name.root:
            raise ZoneError("The sandbox does not serve the root zone.")
        for value in (soa_minimum, soa_ttl):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ZoneError(f"SOA timers must be whole seconds, not {value!r}.")
        ns_host = dns.name.Name(("ns1", *apex.labels))
        rrsets: dict[Key, dns.rdataset.Rdataset] = {
            (apex, SOA): _soa(apex, 1, soa_ttl, soa_minimum),
            (apex, NS): to_rdataset(NS, ns_ttl, [ns_host.to_text()]),
            (ns_host, dns.rdatatype.A): to_rdataset(dns.rdatatype.A, ns_ttl, [ns_address]),
        }
        with self._lock:
            if apex in self._zones:
                raise ZoneError(f"The zone {name_text(apex)} is already served.")
            self._zones = {**self._zones, apex: ZoneData(apex, rrsets, 1, soa_ttl, soa_minimum)}

    def zones(self) -> tuple[str, ...]:
        return tuple(sorted(name_text(z) for z in self._zones))

    def find_zone(self, name: dns.name.Name) -> ZoneData | None:
        """The deepest served zone holding ``name`` (committed data; for the server)."""
        zones = self._zones
        probe = name
        while True:
            data = zones.get(probe)
            if data is not None:
                return data
            if probe in (dns.name.root, dns.name.empty):
                return None
            probe = probe.parent()

    def zone_for(self, name: str) -> str | None:
        data = self.find_zone(to_name(name))
        return None if data is None else name_text(data.origin)

    def serial(self, zone: str) -> int:
        data = self._zones.get(to_name(zone))
        if data is None:
            raise ZoneError(f"The zone {zone} is not served.")
        return data.serial

    # --- reading ----------------------------------------------------------------------------------

    def _current(
        self, name: dns.name.Name
    ) -> tuple[dns.name.Name, Mapping[Key, dns.rdataset.Rdataset]]:
        data = self.find_zone(name)
        if data is None:
            raise ZoneError(f"{name_text(name)} is outside every zone the sandbox serves.")
        if self._owner == threading.get_ident() and data.origin in self._pending:
            return data.origin, self._pending[data.origin]
        return data.origin, data.rrsets

    def rdataset(self, name: dns.name.Name, rdtype: int) -> dns.rdataset.Rdataset | None:
        """What a batch in this thread sees; committed data in any other thread."""
        _, rrsets = self._current(name)
        return rrsets.get((name, dns.rdatatype.RdataType.make(rdtype)))

    def types_at(self, name: dns.name.Name) -> set[dns.rdatatype.RdataType]:
        _, rrsets = self._current(name)
        return {rdtype for owner, rdtype in rrsets if owner == name}

    def name_in_use(self, name: dns.name.Name) -> bool:
        _, rrsets = self._current(name)
        return any(owner == name for owner, _ in rrsets)

    def get_rrset(self, name: str, rtype: str) -> RRsetView | None:
        """The RRset, or None when there is none (also for names outside every zone)."""
        owner, rdtype = to_name(name), to_rdtype(rtype)
        if self.find_zone(owner) is None:
            return None
        found = self.rdataset(owner, rdtype)
        if found is None:
            return None
        return RRsetView(name_text(owner), rdtype.name, found.ttl, values_of(found))

    def snapshot(self) -> tuple[RRsetView, ...]:
        """Every RRset of every zone (committed), sorted by name then type."""
        views = [
            RRsetView(name_text(owner), rdtype.name, rds.ttl, values_of(rds))
            for data in self._zones.values()
            for (owner, rdtype), rds in data.rrsets.items()
        ]
        return tuple(sorted(views, key=lambda v: (v.name, v.rtype)))

    # --- writing ----------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Apply several changes at once: one serial bump per zone, all or nothing on error.

        Batches nest (the inner one joins the outer); other threads' writes wait for the end.
        """
        with self._lock:
            if self._owner is not None:
                yield
                return
            self._owner = threading.get_ident()
            try:
                yield
                events = self._commit()
            finally:
                self._owner = None
                self._pending = {}
                self._changed = {}
        self._notify(events)

    def _working(
        self, name: dns.name.Name
    ) -> tuple[dns.name.Name, dict[Key, dns.rdataset.Rdataset]]:
        data = self.find_zone(name)
        if data is None:
            raise ZoneError(f"{name_text(name)} is outside every zone the sandbox serves.")
        if data.origin not in self._pending:
            self._pending[data.origin] = dict(data.rrsets)
        return data.origin, self._pending[data.origin]

    def put_rdataset(self, name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> None:
        """Replace one RRset (no CNAME check: the RFC 2136 path decides that itself)."""
        with self.batch():
            origin, rrsets = self._working(name)
            if rdataset.rdtype == SOA:
                raise ZoneError("The store keeps the SOA itself.")
            rrsets[(name, rdataset.rdtype)] = rdataset
            self._changed[(origin, name, rdataset.rdtype)] = None

    def remove_rdataset(self, name: dns.name.Name, rdtype: int) -> bool:
        """Delete one RRset; the SOA and the apex NS set stay, as on a real server."""
        key = (name, dns.rdatatype.RdataType.make(rdtype))
        with self.batch():
            origin, rrsets = self._working(name)
            if key not in rrsets or key[1] == SOA or (name == origin and key[1] == NS):
                return False
            del rrsets[key]
            self._changed[(origin, name, key[1])] = None
            return True

    def set_rrset(self, name: str, rtype: str, ttl: int, values: Sequence[str]) -> None:
        """Create or replace the RRset ``name``/``rtype`` with exactly ``values``."""
        owner, rdtype = to_name(name), to_rdtype(rtype)
        rdataset = to_rdataset(rdtype, ttl, values)
        with self.batch():
            others = self.types_at(owner) - {rdtype}
            if (rdtype == CNAME and others) or (rdtype != CNAME and CNAME in others):
                raise RecordConflict(
                    f"{name_text(owner)} cannot hold a CNAME and other data "
                    f"({', '.join(sorted(t.name for t in others | {rdtype}))})."
                )
            self.put_rdataset(owner, rdataset)

    def delete_rrset(self, name: str, rtype: str) -> bool:
        """Delete the RRset; False when there was none."""
        return self.remove_rdataset(to_name(name), to_rdtype(rtype))

    def _commit(self) -> list[ZoneChange]:
        zones = dict(self._zones)
        serials: dict[dns.name.Name, int] = {}
        for origin in {origin for origin, _, _ in self._changed}:
            old = zones[origin]
            rrsets = self._pending[origin]
            serial = (old.serial + 1) % 2**32 or 1
            rrsets[(origin, SOA)] = _soa(origin, serial, old.soa_ttl, old.soa_minimum)
            zones[origin] = ZoneData(origin, rrsets, serial, old.soa_ttl, old.soa_minimum)
            serials[origin] = serial
        self._zones = zones
        return [
            ZoneChange(
                name_text(origin), name_text(name), dns.rdatatype.to_text(rdtype), serials[origin]
            )
            for origin, name, rdtype in self._changed
        ]

    # --- listeners --------------------------------------------------------------------------------

    def add_listener(self, listener: Callable[[ZoneChange], None]) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns a function that unsubscribes.

        Listeners run in the writer's thread, which for an RFC 2136 update is the DNS server's
        loop: they must return quickly and never wait on that loop.
        """
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def _notify(self, events: list[ZoneChange]) -> None:
        listeners = list(self._listeners)
        for event in events:
            for listener in listeners:
                try:
                    listener(event)
                except Exception:
                    # A broken listener must not undo a committed change or break the writer
                    # (the DNS server's UPDATE path, or the AWS shim's request thread).
                    _log.exception("zone change listener failed for %s", event)

"""A resolver's answer cache on the demo clock, with RFC 2308 negative caching.

Entries live for the TTL of the answer (the smallest TTL in a CNAME chain), negative ones for
min(SOA TTL, SOA MINIMUM) from the authority section. TTLs handed out count down from the
moment of caching, as real resolvers show them, so the board sees a record age.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

from sesdmarc_tui.sandbox.clock import DemoClock

# BIND's defaults for max-cache-ttl and max-ncache-ttl: no resolver keeps an answer forever.
MAX_POSITIVE_TTL = 7 * 86400
MAX_NEGATIVE_TTL = 3 * 3600
CacheKey = tuple[dns.name.Name, int]
NAME_GONE = 0  # rdtype 0 is reserved, so it can key "this name does not exist"


@dataclass(frozen=True)
class CachedAnswer:
    rcode: dns.rcode.Rcode
    answer: tuple[dns.rrset.RRset, ...]
    authority: tuple[dns.rrset.RRset, ...]


@dataclass(frozen=True)
class _Entry:
    stored_at: float
    expires_at: float
    answer: CachedAnswer


def lifetime(answer: CachedAnswer) -> int:
    """How long an answer may be cached, in seconds (0: do not cache)."""
    chain = [rrset.ttl for rrset in answer.answer]
    soa = next((r for r in answer.authority if r.rdtype == dns.rdatatype.SOA), None)
    if answer.rcode == dns.rcode.NXDOMAIN or soa is not None:
        if soa is None:
            return 0  # RFC 2308 s5: a negative answer without an SOA is not cached
        return int(min([soa.ttl, soa[0].minimum, MAX_NEGATIVE_TTL, *chain]))
    return int(min([*chain, MAX_POSITIVE_TTL])) if chain else 0


def _aged(rrset: dns.rrset.RRset, elapsed: int) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(rrset.name, max(0, rrset.ttl - elapsed), list(rrset))


class ResolverCache:
    """Thread-safe: tests and the demo UI flush it from outside the DNS thread."""

    def __init__(self, clock: DemoClock, *, extra_seconds: float = 0.0) -> None:
        self.clock = clock
        self.extra_seconds = extra_seconds
        self._entries: dict[CacheKey, _Entry] = {}
        self._lock = threading.Lock()

    def _live(self, key: CacheKey, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and now >= entry.expires_at:
            del self._entries[key]
            return None
        return entry

    def get(self, qname: dns.name.Name, rdtype: int) -> CachedAnswer | None:
        now = self.clock.now()
        with self._lock:
            entry = self._live((qname, rdtype), now) or self._live((qname, NAME_GONE), now)
            if entry is None:
                return None
        elapsed = math.floor(now - entry.stored_at)
        cached = entry.answer
        return CachedAnswer(
            cached.rcode,
            tuple(_aged(r, elapsed) for r in cached.answer),
            tuple(_aged(r, elapsed) for r in cached.authority),
        )

    def put(self, qname: dns.name.Name, rdtype: int, answer: CachedAnswer) -> None:
        ttl = lifetime(answer)
        if ttl <= 0 and self.extra_seconds <= 0:
            return
        now = self.clock.now()
        # extra_seconds keeps an answer past its TTL (a lagging or serve-stale resolver);
        # its TTLs then read 0, as a stale answer's would.
        entry = _Entry(now, now + ttl + self.extra_seconds, answer)
        with self._lock:
            self._entries[(qname, rdtype)] = entry
            if answer.rcode == dns.rcode.NXDOMAIN and not answer.answer:
                # NXDOMAIN says the name has no data of any type (RFC 2308 s5), so a resolver
                # answers the next type asked from the cache too, as BIND and Unbound do.
                self._entries[(qname, NAME_GONE)] = entry

    def flush(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

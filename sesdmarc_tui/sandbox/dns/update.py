"""RFC 2136 dynamic updates applied to the store: zone check, prerequisites, then the changes.

The product's RFC 2136 provider guards every write with prerequisites (``absent``/``present``),
so they are checked here, unlike in the one-zone fake of test-infra.md s1c. The whole message
runs in one store batch: a failed prerequisite or a bad record leaves the zone untouched.
"""

from __future__ import annotations

import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.update

from sesdmarc_tui.sandbox.dns.zones import ZoneStore

ANY = dns.rdataclass.ANY
NONE = dns.rdataclass.NONE
CNAME = dns.rdatatype.CNAME
SOA = dns.rdatatype.SOA
NS = dns.rdatatype.NS


class UpdateFailed(Exception):
    def __init__(self, rcode: dns.rcode.Rcode) -> None:
        super().__init__(dns.rcode.to_text(rcode))
        self.rcode = rcode


def _check_zone(store: ZoneStore, message: dns.update.UpdateMessage) -> dns.name.Name:
    if len(message.zone) != 1 or message.zone[0].rdtype != SOA:
        raise UpdateFailed(dns.rcode.FORMERR)
    origin = message.zone[0].name
    zone = store.find_zone(origin)
    if zone is None or zone.origin != origin:
        raise UpdateFailed(dns.rcode.NOTAUTH)
    return origin


def _check_prerequisite(store: ZoneStore, origin: dns.name.Name, rr: dns.rrset.RRset) -> None:
    """RFC 2136 s3.2.5 table; value-dependent sets are compared as whole RRsets (s3.2.3)."""
    if not rr.name.is_subdomain(origin):
        raise UpdateFailed(dns.rcode.NOTZONE)
    if rr.deleting == ANY:
        if rr.rdtype == dns.rdatatype.ANY:
            if not store.name_in_use(rr.name):
                raise UpdateFailed(dns.rcode.NXDOMAIN)
        elif store.rdataset(rr.name, rr.rdtype) is None:
            raise UpdateFailed(dns.rcode.NXRRSET)
    elif rr.deleting == NONE:
        if rr.rdtype == dns.rdatatype.ANY:
            if store.name_in_use(rr.name):
                raise UpdateFailed(dns.rcode.YXDOMAIN)
        elif store.rdataset(rr.name, rr.rdtype) is not None:
            raise UpdateFailed(dns.rcode.YXRRSET)
    else:
        found = store.rdataset(rr.name, rr.rdtype)
        if found is None or set(found) != set(rr):
            raise UpdateFailed(dns.rcode.NXRRSET)


def _check_change(origin: dns.name.Name, rr: dns.rrset.RRset) -> None:
    """RFC 2136 s3.4.1.3 prescan: nothing is applied unless every change is well formed."""
    if not rr.name.is_subdomain(origin):
        raise UpdateFailed(dns.rcode.NOTZONE)
    meta = dns.rdatatype.is_metatype(rr.rdtype)
    if rr.deleting is None and (meta or rr.rdclass != dns.rdataclass.IN):
        raise UpdateFailed(dns.rcode.FORMERR)
    if rr.deleting == NONE and meta:
        raise UpdateFailed(dns.rcode.FORMERR)


def _add(store: ZoneStore, rr: dns.rrset.RRset) -> None:
    types = store.types_at(rr.name)
    # s3.4.2.2: a CNAME next to other data, or data next to a CNAME, is ignored silently.
    if rr.rdtype == CNAME and types - {CNAME}:
        return
    if rr.rdtype != CNAME and CNAME in types:
        return
    if rr.rdtype == SOA:
        return  # the store numbers its own serials
    merged = dns.rdataset.Rdataset(dns.rdataclass.IN, rr.rdtype)
    existing = store.rdataset(rr.name, rr.rdtype)
    if existing is not None and rr.rdtype != CNAME:
        for rdata in existing:
            merged.add(rdata)
    for rdata in rr:
        merged.add(rdata)
    merged.ttl = rr.ttl  # an added record sets the TTL of the whole set (s3.4.2.2)
    store.put_rdataset(rr.name, merged)


def _delete_values(store: ZoneStore, origin: dns.name.Name, rr: dns.rrset.RRset) -> None:
    existing = store.rdataset(rr.name, rr.rdtype)
    if existing is None or rr.rdtype == SOA:
        return
    kept = dns.rdataset.Rdataset(dns.rdataclass.IN, rr.rdtype)
    for rdata in existing:
        if rdata not in rr:
            kept.add(rdata, existing.ttl)
    if len(kept) == len(existing):
        return
    if not kept:
        if rr.rdtype == NS and rr.name == origin:
            return  # s3.4.2.4: the last apex NS stays
        store.remove_rdataset(rr.name, rr.rdtype)
    else:
        store.put_rdataset(rr.name, kept)


def _apply_change(store: ZoneStore, origin: dns.name.Name, rr: dns.rrset.RRset) -> None:
    if rr.deleting is None:
        _add(store, rr)
    elif rr.deleting == ANY and rr.rdtype == dns.rdatatype.ANY:
        for rdtype in store.types_at(rr.name):
            store.remove_rdataset(rr.name, rdtype)  # keeps the SOA and apex NS itself
    elif rr.deleting == ANY:
        store.remove_rdataset(rr.name, rr.rdtype)
    else:
        _delete_values(store, origin, rr)


def apply_update(store: ZoneStore, message: dns.update.UpdateMessage) -> dns.rcode.Rcode:
    """Apply the update atomically; the rcode for the response (NOERROR when applied)."""
    try:
        origin = _check_zone(store, message)
        with store.batch():
            for rr in message.prerequisite:
                _check_prerequisite(store, origin, rr)
            for rr in message.update:
                _check_change(origin, rr)
            for rr in message.update:
                _apply_change(store, origin, rr)
    except UpdateFailed as failed:
        return failed.rcode
    return dns.rcode.NOERROR

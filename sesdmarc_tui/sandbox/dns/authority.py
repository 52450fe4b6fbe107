"""Authoritative answers from the store: the query half of the sandbox's name server.

Behaviour follows shared/reference/test-infra.md s1c, extended to several zones: AA for names
the store serves, REFUSED outside them, CNAME chains followed while they stay inside served
zones (at most 8 steps), and NXDOMAIN or NODATA with the SOA in the authority section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset

from sesdmarc_tui.sandbox.dns.zones import ZoneData, ZoneStore

MAX_CNAME_STEPS = 8


@dataclass
class Resolution:
    rcode: dns.rcode.Rcode
    authoritative: bool
    answer: list[dns.rrset.RRset] = field(default_factory=list)
    authority: list[dns.rrset.RRset] = field(default_factory=list)


def rrset(
    name: dns.name.Name, rdataset: dns.rdataset.Rdataset, ttl: int | None = None
) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(name, rdataset.ttl if ttl is None else ttl, list(rdataset))


def negative_soa(zone: ZoneData) -> dns.rrset.RRset:
    """The zone's SOA for a negative answer, its TTL lowered to the MINIMUM (RFC 2308 s3)."""
    soa = zone.get(zone.origin, dns.rdatatype.SOA)
    assert soa is not None  # every zone is created with one and the store never removes it
    return rrset(zone.origin, soa, zone.negative_ttl)


def resolve(store: ZoneStore, qname: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> Resolution:
    zone = store.find_zone(qname)
    if zone is None:
        return Resolution(dns.rcode.REFUSED, authoritative=False)
    result = Resolution(dns.rcode.NOERROR, authoritative=True)
    name = qname
    for _ in range(MAX_CNAME_STEPS + 1):
        if rdtype == dns.rdatatype.ANY:
            found = zone.at(name)
            result.answer.extend(rrset(name, rds) for rds in found)
            if found:
                return result
        else:
            exact = zone.get(name, rdtype)
            if exact is not None:
                result.answer.append(rrset(name, exact))
                return result
            cname = zone.get(name, dns.rdatatype.CNAME)
            if cname is not None:
                result.answer.append(rrset(name, cname))
                name = cname[0].target
                next_zone = store.find_zone(name)
                if next_zone is None:
                    return result  # the rest of the chain belongs to a server we are not
                zone = next_zone
                continue
        result.authority.append(negative_soa(zone))
        if not zone.name_exists(name):
            result.rcode = dns.rcode.NXDOMAIN
        return result
    # A loop or an over-long chain: stop where we are, as BIND does, with what was found.
    return result

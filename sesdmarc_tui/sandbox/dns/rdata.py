"""Conversions between the store's text API and dnspython rdatasets.

Callers hand the store presentation values (TXT as the joined text a receiver sees, MX as
``"10 host."``, CNAME as ``"host."``); the server needs wire-ready rdatasets. Doing the
conversion once, when a record is set, means a bad value fails at the caller, not at query time.
"""

from __future__ import annotations

from collections.abc import Sequence

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rdtypes.ANY.SPF
import dns.rdtypes.ANY.TXT

from sesdmarc_tui.core.txt import RecordError, split_txt
from sesdmarc_tui.dns.values import value_text


class ZoneError(ValueError):
    """A name, type or value the store cannot hold, or a name outside every zone."""


def to_name(name: str | dns.name.Name) -> dns.name.Name:
    """An absolute, lower-case name: the store's keys never depend on the caller's spelling."""
    if isinstance(name, dns.name.Name):
        return name.canonicalize() if name.is_absolute() else name.derelativize(dns.name.root)
    if not isinstance(name, str) or not name.strip():
        raise ZoneError(f"{name!r} is not a DNS name.")
    try:
        return dns.name.from_text(name.strip().lower())
    except dns.exception.DNSException as exc:
        raise ZoneError(f"{name!r} is not a DNS name: {exc}") from None


def name_text(name: dns.name.Name) -> str:
    """The project's canonical spelling: lower case, no trailing dot (``core.names``)."""
    return name.to_text(omit_final_dot=True).lower()


def to_rdtype(rtype: str | int) -> dns.rdatatype.RdataType:
    try:
        rdtype = (
            dns.rdatatype.RdataType.make(rtype)
            if isinstance(rtype, int)
            else dns.rdatatype.from_text(rtype.strip().upper())
        )
    except (dns.exception.DNSException, ValueError, AttributeError):
        raise ZoneError(f"{rtype!r} is not a record type.") from None
    if dns.rdatatype.is_metatype(rdtype) or rdtype == dns.rdatatype.OPT:
        raise ZoneError(f"{dns.rdatatype.to_text(rdtype)} is not a type a zone can hold.")
    return rdtype


def _txt(rdtype: dns.rdatatype.RdataType, value: str) -> dns.rdata.Rdata:
    if not isinstance(value, str):
        raise ZoneError(f"A {rdtype.name} value must be text, not {type(value).__name__}.")
    try:
        chunks = [c.encode("utf-8") for c in split_txt(value)]
    except RecordError as exc:
        raise ZoneError(str(exc)) from None
    cls = dns.rdtypes.ANY.SPF.SPF if rdtype == dns.rdatatype.SPF else dns.rdtypes.ANY.TXT.TXT
    return cls(dns.rdataclass.IN, rdtype, chunks)


def to_rdata(rdtype: dns.rdatatype.RdataType, value: str) -> dns.rdata.Rdata:
    if rdtype in (dns.rdatatype.TXT, dns.rdatatype.SPF):
        return _txt(rdtype, value)
    if not isinstance(value, str):
        raise ZoneError(f"A {rdtype.name} value must be text, not {type(value).__name__}.")
    try:
        # origin=root: a target written without its final dot ("10 mail.example.com") is
        # still absolute, as Route 53 and most DNS UIs read it.
        return dns.rdata.from_text(
            dns.rdataclass.IN, rdtype, value, origin=dns.name.root, relativize=False
        )
    except (dns.exception.DNSException, ValueError) as exc:
        raise ZoneError(f"{value!r} is not a valid {rdtype.name} value: {exc}") from None


def to_rdataset(
    rdtype: dns.rdatatype.RdataType, ttl: int, values: Sequence[str]
) -> dns.rdataset.Rdataset:
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= 2**31 - 1:
        raise ZoneError(f"The TTL {ttl!r} is not a whole number of seconds from 0 to 2147483647.")
    if isinstance(values, str):
        raise ZoneError("Pass the values as a list; a bare string would be read letter by letter.")
    if not values:
        raise ZoneError("An RRset needs at least one value; use delete_rrset to remove it.")
    rdatas = list(dict.fromkeys(to_rdata(rdtype, value) for value in values))
    # dnspython keeps only the last rdata of a singleton type, so check before adding.
    if rdtype == dns.rdatatype.CNAME and len(rdatas) != 1:
        raise ZoneError("A CNAME has exactly one target (RFC 1034 s3.6.2).")
    rdataset = dns.rdataset.Rdataset(dns.rdataclass.IN, rdtype)
    for rdata in rdatas:
        rdataset.add(rdata, ttl)
    return rdataset


def values_of(rdataset: dns.rdataset.Rdataset) -> tuple[str, ...]:
    """Presentation values as the product's own lookups report them (``dns.values``)."""
    rtype = dns.rdatatype.to_text(rdataset.rdtype)
    if rtype == "SPF":
        rtype = "TXT"  # the same character-strings, joined the same way
    return tuple(sorted(value_text(r, rtype) for r in rdataset))

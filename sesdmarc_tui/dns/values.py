"""Presentation text for answers, shared by the blocking lookup and the async query engine.

One place decides how a wire RR becomes the string that ``core.records`` compares, so the CLI's
``check`` and the propagation board never disagree about the same answer.
"""

from __future__ import annotations

from typing import Any


def value_text(rdata: object, rdtype: str) -> str:
    """TXT strings joined, CNAME/NS/PTR targets absolute and lower-case, MX as ``"10 host."``."""
    if rdtype == "TXT":
        strings = getattr(rdata, "strings", ())
        # Receivers concatenate the character-strings with nothing between them (RFC 7208 s3.3).
        return b"".join(strings).decode("utf-8", errors="replace")
    if rdtype in ("CNAME", "NS", "PTR"):
        return str(getattr(rdata, "target", rdata)).lower()
    if rdtype == "MX":
        return f"{getattr(rdata, 'preference', 0)} {str(getattr(rdata, 'exchange', '')).lower()}"
    return str(rdata)


def negative_ttl(response: Any) -> int | None:
    """RFC 2308 s5: a negative answer is cached for min(SOA TTL, SOA MINIMUM)."""
    import dns.rdatatype

    for rrset in getattr(response, "authority", []) or []:
        if rrset.rdtype == dns.rdatatype.SOA:
            return int(min(rrset.ttl, rrset[0].minimum))
    return None

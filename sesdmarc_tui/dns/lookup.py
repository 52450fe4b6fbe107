"""A blocking ``core.lookup.Lookup`` backed by dnspython, for the CLI's inspection commands.

Queries always use absolute names, no cache and no search list. With explicit nameservers
(``--nameserver``) every query goes to those servers only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sesdmarc_tui.core.lookup import Answer, AnswerKind, Lookup
from sesdmarc_tui.dns.values import negative_ttl as _negative_ttl
from sesdmarc_tui.dns.values import value_text as _value_text

DEFAULT_TIMEOUT = 3.0


def parse_nameserver(text: str) -> tuple[str, int]:
    """``HOST[:PORT]``; IPv6 literals as ``[::1]:5300`` or a bare ``::1``."""
    value = text.strip()
    if not value:
        raise ValueError("empty nameserver")
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif value.count(":") == 1:
        host, _, port_text = value.partition(":")
        port = int(port_text)
    else:
        host, port = value, 53
    if not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    import ipaddress

    ipaddress.ip_address(host)
    return host, port


def make_lookup(
    nameservers: Sequence[tuple[str, int]] = (), timeout: float = DEFAULT_TIMEOUT
) -> Lookup:
    """Build a lookup; without nameservers it uses the system's resolver configuration."""
    import dns.exception
    import dns.nameserver
    import dns.rdatatype
    import dns.resolver

    if nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in nameservers]
    else:
        resolver = dns.resolver.Resolver()
    resolver.cache = None
    resolver.search = []
    resolver.use_search_by_default = False
    resolver.lifetime = timeout
    resolver.timeout = timeout

    def lookup(name: str, rdtype: str) -> Answer:
        qname = name.rstrip(".") + "."
        rdtype = rdtype.upper()
        try:
            answer = resolver.resolve(qname, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN as exc:
            # dnspython leaves NXDOMAIN.responses() unannotated.
            responses = list(exc.responses().values())  # type: ignore[no-untyped-call]
            neg = _negative_ttl(responses[0]) if responses else None
            return Answer(qname, rdtype, AnswerKind.NXDOMAIN, negative_ttl=neg)
        except dns.resolver.NoNameservers as exc:
            return Answer(qname, rdtype, AnswerKind.ERROR, error=f"no server answered: {exc}")
        except dns.exception.Timeout:
            return Answer(qname, rdtype, AnswerKind.ERROR, error=f"timed out after {timeout:g} s")
        except dns.exception.DNSException as exc:
            return Answer(qname, rdtype, AnswerKind.ERROR, error=str(exc) or type(exc).__name__)
        chain = tuple(
            str(rrset[0].target).lower()
            for rrset in answer.response.answer
            if rrset.rdtype == dns.rdatatype.CNAME and rdtype != "CNAME"
        )
        if answer.rrset is None:
            neg = _negative_ttl(answer.response)
            return Answer(qname, rdtype, AnswerKind.NODATA, negative_ttl=neg, cname_chain=chain)
        values = tuple(_value_text(r, rdtype) for r in answer.rrset)
        return Answer(qname, rdtype, AnswerKind.OK, values, ttl=answer.rrset.ttl, cname_chain=chain)

    return lookup

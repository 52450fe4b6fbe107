"""Helpers for the sandbox DNS tests: the product's own lookup, pointed at the sandbox."""

from __future__ import annotations

import dns.message
import dns.query

from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.sandbox.dns.runner import SandboxDns

ZONE = "example.test"


def auth_lookup(sandbox: SandboxDns, timeout: float = 2.0) -> Lookup:
    return make_lookup([sandbox.auth_address], timeout=timeout)


def resolver_lookup(sandbox: SandboxDns, label: str = "resolver-a") -> Lookup:
    return make_lookup([sandbox.resolver(label).address], timeout=2.0)


def ask(
    address: tuple[str, int], name: str, rdtype: str, *, rd: bool = False, tcp: bool = False
) -> dns.message.Message:
    """One raw query, for flags and sections the product's lookup does not show."""
    query = dns.message.make_query(name, rdtype)
    if not rd:
        query.flags &= ~dns.flags.RD
    host, port = address
    if tcp:
        return dns.query.tcp(query, host, port=port, timeout=2.0)
    return dns.query.udp(query, host, port=port, timeout=2.0)

"""Which servers a check asks: the zone's authoritative servers and the resolvers.

With ``--nameserver`` the operator has said where DNS lives (a lab server, the sandbox), so the
internet is never asked. The zone's NS hosts found through those servers usually resolve to
addresses without the right port (knot on 127.0.0.1:5300 publishes ``ns1 A 127.0.0.1``), so an
NS address that is also a ``--nameserver`` address is tried on that server's port, and kept
only if it answers the zone's SOA authoritatively there (``dns.discover.on_given_ports``). Any
other name server is kept even when it does not answer, as long as one of them does: dropping
it would pass a zone on a partial view. When none answers (the given servers are resolvers that
cannot reach the zone's own servers, as in the sandbox, or DNS to the internet is blocked), the
check judges records by what the resolvers answer, and a note says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.names import org_domain_psl, parent_names
from sesdmarc_tui.dns.board import DEFAULT_RESOLVERS
from sesdmarc_tui.dns.discover import DiscoveryError, discover_zone, on_given_ports
from sesdmarc_tui.dns.query import DEFAULT_QUERY_TIMEOUT, Server, ServerKind, query

# As patient as the board: a loaded server dropped here would turn the whole check to resolvers.
PROBE_TIMEOUT = DEFAULT_QUERY_TIMEOUT


@dataclass(frozen=True)
class ServerPick:
    authoritative: tuple[Server, ...]
    resolvers: tuple[Server, ...]
    notes: tuple[str, ...] = ()


def find_zone(domain: str, lookup: Lookup) -> str:
    """The apex of the zone holding ``domain``: the closest name that answers SOA itself."""
    for name in parent_names(domain):
        if name.count(".") == 0:
            break
        answer = lookup(name, "SOA")
        if answer.kind is AnswerKind.OK and not answer.cname_chain:
            return name
    return org_domain_psl(domain)


def resolver_servers(nameservers: Sequence[tuple[str, int]]) -> tuple[Server, ...]:
    if not nameservers:
        return DEFAULT_RESOLVERS
    return tuple(Server(h, p, ServerKind.RECURSIVE, "--nameserver") for h, p in nameservers)


_RESOLVERS_ONLY = "Records were judged by what the resolvers answer."


async def pick_servers(
    zone: str,
    nameservers: Sequence[tuple[str, int]],
    *,
    resolvers: Sequence[Server] | None = None,
    authoritative: Sequence[Server] | None = None,
) -> ServerPick:
    chosen_resolvers = tuple(resolvers) if resolvers is not None else resolver_servers(nameservers)
    if authoritative is not None:
        return ServerPick(tuple(authoritative), chosen_resolvers)
    try:
        found = await discover_zone(zone, chosen_resolvers)
    except DiscoveryError as exc:
        return ServerPick((), chosen_resolvers, (f"{exc} {_RESOLVERS_ONLY}",))
    notes = tuple(f"{host} has no address: not asked." for host in found.unresolved)
    if not nameservers:
        return ServerPick(found.servers, chosen_resolvers, notes)
    kept = await on_given_ports(zone, found.servers, chosen_resolvers, timeout=PROBE_TIMEOUT)
    if await _any_answers(zone, kept):
        return ServerPick(kept, chosen_resolvers, notes)
    note = (
        f"The name servers of {zone} ({', '.join(found.ns_names)}) did not answer through the "
        f"given addresses. {_RESOLVERS_ONLY}"
    )
    return ServerPick((), chosen_resolvers, (*notes, note))


async def _any_answers(zone: str, servers: Sequence[Server]) -> bool:
    """Whether any of ``servers`` answers for the zone: none at all means this machine cannot
    reach them (DNS to the internet blocked), not that the zone is broken."""
    asking = [asyncio.ensure_future(query(s, zone, "SOA", PROBE_TIMEOUT)) for s in servers]
    try:
        for answered in asyncio.as_completed(asking):
            answer = await answered
            if answer.ok and answer.aa:
                return True  # the first will do: a dead server's timeout is not waited out
        return False
    finally:
        for task in asking:
            task.cancel()

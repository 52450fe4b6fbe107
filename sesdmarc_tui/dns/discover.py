"""Finding a zone's authoritative servers: its NS set, then the addresses of those hosts.

Both steps ask every given resolver at once and take the union, so one resolver with a stale
delegation or a timeout neither hides a name server nor stalls the board.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.dns.query import (
    DEFAULT_QUERY_TIMEOUT,
    QueryFn,
    QueryResult,
    Server,
    ServerKind,
    query,
)


class DiscoveryError(Exception):
    """The zone's name servers could not be found; the message says why, for the operator."""


@dataclass(frozen=True)
class Discovery:
    zone: str
    ns_names: tuple[str, ...]
    servers: tuple[Server, ...]
    # NS hosts without any address: part of the delegation the board cannot ask, which the
    # caller should show, since a record it holds (or lacks) stays unseen.
    unresolved: tuple[str, ...] = ()


async def discover_zone(
    zone: str,
    resolvers: Sequence[Server],
    *,
    port: int = 53,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    include_ipv6: bool = False,
    query_fn: QueryFn = query,
) -> Discovery:
    """NS of ``zone``, then A (and AAAA) of each NS host, all through ``resolvers``.

    ``port`` is where the found servers listen (53 on the internet; tests point it at knot).
    IPv6 addresses are used only for hosts without IPv4 unless ``include_ipv6``: on a host with
    no IPv6 route every such query fails, and the board would never call the round complete.
    """
    if not resolvers:
        raise DiscoveryError("No resolver to ask for the zone's name servers.")
    apex = absolute(zone).lower()
    ns_answers = await asyncio.gather(*(query_fn(r, apex, "NS", timeout) for r in resolvers))
    ns_names = sorted({v for a in ns_answers if a.ok for v in a.values})
    if not ns_names:
        raise DiscoveryError(_why_no_ns(apex, ns_answers))
    asked = [r for r, a in zip(resolvers, ns_answers, strict=True) if a.ok]
    jobs = [(host, t, r) for host in ns_names for t in ("A", "AAAA") for r in asked]
    answers = await asyncio.gather(*(query_fn(r, host, t, timeout) for host, t, r in jobs))
    found: dict[tuple[str, str], set[str]] = {}
    for (host, rdtype, _), answer in zip(jobs, answers, strict=True):
        if answer.ok:
            found.setdefault((host, rdtype), set()).update(answer.values)
    servers: list[Server] = []
    unresolved: list[str] = []
    for host in ns_names:
        v4 = sorted(found.get((host, "A"), ()))
        v6 = sorted(found.get((host, "AAAA"), ()))
        addresses = v4 + v6 if include_ipv6 or not v4 else v4
        if not addresses:
            unresolved.append(host)
        label = host.rstrip(".")
        servers.extend(Server(a, port, ServerKind.AUTHORITATIVE, label) for a in addresses)
    if not servers:
        raise DiscoveryError(
            f"None of the name servers of {apex} ({', '.join(ns_names)}) has an address."
        )
    return Discovery(apex, tuple(ns_names), tuple(servers), tuple(unresolved))


async def discover_authoritative(
    zone: str,
    resolvers: Sequence[Server],
    *,
    port: int = 53,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    include_ipv6: bool = False,
    query_fn: QueryFn = query,
) -> list[Server]:
    """The authoritative servers of ``zone``; ``DiscoveryError`` when there are none."""
    found = await discover_zone(
        zone,
        resolvers,
        port=port,
        timeout=timeout,
        include_ipv6=include_ipv6,
        query_fn=query_fn,
    )
    return list(found.servers)


async def on_given_ports(
    zone: str,
    found: Sequence[Server],
    resolvers: Sequence[Server],
    *,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
) -> tuple[Server, ...]:
    """``found`` with the name servers that share a given resolver's address moved to its port.

    With ``--nameserver 127.0.0.1:5300`` the operator says where DNS lives, and the zone's NS
    hosts usually resolve to that address without the port (``ns1 A 127.0.0.1``): asked on
    port 53 they never answer, and every round would wait out its timeout. Such a server is
    asked on the resolver's port and kept only if it answers the zone's SOA authoritatively
    there. Every other name server is kept whatever its state: dropping one that does not
    answer would turn a partial view into a full one.
    """
    ports: dict[str, list[int]] = {}
    for resolver in resolvers:
        ports.setdefault(resolver.address, []).append(resolver.port)
    candidates: list[tuple[Server, bool]] = []  # in the order found; True: port guessed
    for server in found:
        given = ports.get(server.address, [])
        if not given or server.port in given:
            candidates.append((server, False))
            continue
        kind = ServerKind.AUTHORITATIVE
        candidates.extend((Server(server.address, p, kind, server.label), True) for p in given)
    guessed = [s for s, port_guessed in candidates if port_guessed]
    answers = await asyncio.gather(*(query(s, zone, "SOA", timeout) for s in guessed))
    there = {s for s, a in zip(guessed, answers, strict=True) if a.ok and a.aa}
    return tuple(dict.fromkeys(s for s, guess in candidates if not guess or s in there))


def _why_no_ns(apex: str, answers: Sequence[QueryResult]) -> str:
    kinds = {a.kind for a in answers}
    if AnswerKind.NXDOMAIN in kinds:
        return f"{apex} does not exist in DNS (NXDOMAIN): check the spelling and the registration."
    if AnswerKind.NODATA in kinds:
        return (
            f"{apex} has no NS records, so it is not a zone of its own. Give the zone the "
            "records live in (usually the registered domain)."
        )
    errors = "; ".join(f"{a.server.name}: {a.error}" for a in answers if a.error)
    return f"No resolver answered the NS query for {apex} ({errors})."

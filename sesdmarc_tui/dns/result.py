"""The query engine's data: which server was asked, and what it said.

Kept apart from the transports (``query`` sends one question, ``burst`` a whole round) so both
produce exactly the same ``QueryResult`` for the same answer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from sesdmarc_tui.core.lookup import AnswerKind

DEFAULT_QUERY_TIMEOUT = 2.0

ErrorKind = Literal[
    "timeout", "servfail", "refused", "rcode", "not_authoritative", "network", "bad"
]
Transport = Literal["udp", "tcp"]


class ServerKind(StrEnum):
    AUTHORITATIVE = "authoritative"
    RECURSIVE = "recursive"


@dataclass(frozen=True)
class Server:
    """One DNS server to ask; ``address`` is an IP literal (dnspython sends to addresses only)."""

    address: str
    port: int = 53
    kind: ServerKind = ServerKind.RECURSIVE
    label: str = ""

    def __post_init__(self) -> None:
        # Canonical text, so an answer's source address compares equal to the one asked.
        object.__setattr__(self, "address", str(ipaddress.ip_address(self.address)))
        if not 0 < self.port < 65536:
            raise ValueError(f"port {self.port} out of range")

    @property
    def authoritative(self) -> bool:
        return self.kind is ServerKind.AUTHORITATIVE

    @property
    def endpoint(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return host if self.port == 53 else f"{host}:{self.port}"

    @property
    def name(self) -> str:
        """What a screen shows: the label (a name server's host name) or the endpoint."""
        return f"{self.label} ({self.endpoint})" if self.label else self.endpoint

    def to_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "port": self.port,
            "kind": self.kind.value,
            "label": self.label,
        }


@dataclass(frozen=True)
class QueryResult:
    """What one server said about ``name``/``rdtype``; values are normalised as in dns.lookup."""

    server: Server
    name: str
    rdtype: str
    kind: AnswerKind
    values: tuple[str, ...] = ()
    ttl: int | None = None
    negative_ttl: int | None = None
    cname_chain: tuple[str, ...] = ()
    rcode: str | None = None
    aa: bool | None = None
    error: str | None = None
    error_kind: ErrorKind | None = None
    transport: Transport | None = None
    elapsed: float = 0.0
    queried_at: float = 0.0  # wall clock, so a screen can say when a negative answer expires
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.kind is AnswerKind.OK

    @property
    def is_missing(self) -> bool:
        return self.kind in (AnswerKind.NXDOMAIN, AnswerKind.NODATA)

    @property
    def name_exists(self) -> bool:
        return self.kind in (AnswerKind.OK, AnswerKind.NODATA)

    def to_json(self) -> dict[str, Any]:
        return {
            "server": self.server.to_json(),
            "name": self.name,
            "type": self.rdtype,
            "kind": self.kind.value,
            "values": list(self.values),
            "ttl": self.ttl,
            "negative_ttl": self.negative_ttl,
            "cname_chain": list(self.cname_chain),
            "rcode": self.rcode,
            "aa": self.aa,
            "error": self.error,
            "error_kind": self.error_kind,
            "transport": self.transport,
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "queried_at": self.queried_at,
            "from_cache": self.from_cache,
        }


QueryFn = Callable[[Server, str, str, float], Awaitable[QueryResult]]
"""``query_fn(server, name, rdtype, timeout)``: the board takes one, so tests can inject."""

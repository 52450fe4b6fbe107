"""``SandboxDns``: the authoritative server and the simulated resolvers on one background thread.

The servers get their own event loop so they answer while the Textual loop, a blocking CLI or a
pytest test waits on them; the store is shared, so other threads change records directly.
The TSIG secret is generated at start and lives only in memory: the demo hands it to the wizard
as the operator would type it, and nothing is written to disk.
"""

from __future__ import annotations

import asyncio
import base64
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType

import dns.name
import dns.tsig

from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.auth_server import AuthServer
from sesdmarc_tui.sandbox.dns.resolver import SimulatedResolver
from sesdmarc_tui.sandbox.dns.seed import DEMO_DOMAIN, seed_store
from sesdmarc_tui.sandbox.dns.zones import ZoneStore

DEFAULT_TSIG_KEY_NAME = "sesdmarc-demo."
TSIG_ALGORITHM = "hmac-sha256"
START_TIMEOUT = 5.0
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class SandboxTsig:
    """The update key, in the form the wizard's RFC 2136 form asks for; ``secret`` is base64."""

    name: str
    algorithm: str = TSIG_ALGORITHM
    secret: str = field(default="", repr=False)

    @classmethod
    def generate(cls, name: str = DEFAULT_TSIG_KEY_NAME) -> SandboxTsig:
        return cls(name, TSIG_ALGORITHM, base64.b64encode(os.urandom(32)).decode("ascii"))

    @property
    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        key = dns.tsig.Key(self.name, base64.b64decode(self.secret), self.algorithm)
        return {key.name: key}


@dataclass(frozen=True)
class ResolverSpec:
    label: str
    lag_seconds: float = 0.0  # demo seconds an answer outlives its TTL
    latency: float = 0.0  # real seconds before each reply


DEFAULT_RESOLVERS = tuple(ResolverSpec(f"resolver-{c}") for c in "abcd")


class SandboxDns:
    """Start with ``SandboxDns.start(clock)``; always ``stop()`` it (or use ``with``)."""

    def __init__(self, store: ZoneStore, tsig: SandboxTsig, host: str) -> None:
        self.store = store
        self.tsig = tsig
        self.auth = AuthServer(store, tsig.keyring, host=host)
        self.resolvers: list[SimulatedResolver] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="sandbox-dns", daemon=True)
        self._stopped = False

    @classmethod
    def start(
        cls,
        clock: DemoClock,
        *,
        store: ZoneStore | None = None,
        domain: str = DEMO_DOMAIN,
        regions: Iterable[str] | None = None,
        zones: Sequence[str] = (),
        resolvers: Sequence[ResolverSpec] = DEFAULT_RESOLVERS,
        tsig: SandboxTsig | None = None,
        host: str = "127.0.0.1",
    ) -> SandboxDns:
        """Serve ``store`` as given, or a fresh demo world for ``domain`` and ``regions``
        (default: every SES region).

        ``zones`` are extra empty zones to serve (a second domain for a test, say).
        """
        if store is None:
            store = seed_store(domain=domain, regions=regions)
        for zone in zones:
            store.add_zone(zone)
        sandbox = cls(store, tsig or SandboxTsig.generate(), host)
        sandbox._thread.start()
        try:
            future = asyncio.run_coroutine_threadsafe(
                sandbox._start_servers(clock, resolvers, host), sandbox._loop
            )
            future.result(START_TIMEOUT)
        except BaseException:
            sandbox.stop()
            raise
        return sandbox

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    async def _start_servers(
        self, clock: DemoClock, specs: Sequence[ResolverSpec], host: str
    ) -> None:
        await self.auth.start()
        for spec in specs:
            resolver = SimulatedResolver(
                spec.label,
                self.auth.address,
                clock,
                lag_seconds=spec.lag_seconds,
                latency=spec.latency,
                host=host,
            )
            self.resolvers.append(resolver)
            await resolver.start()

    async def _stop_servers(self) -> None:
        for resolver in self.resolvers:
            await resolver.stop()
        await self.auth.stop()

    def stop(self) -> None:
        """Close every socket and join the thread; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread.is_alive():
            try:
                future = asyncio.run_coroutine_threadsafe(self._stop_servers(), self._loop)
                future.result(STOP_TIMEOUT)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(STOP_TIMEOUT)

    def __enter__(self) -> SandboxDns:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def auth_address(self) -> tuple[str, int]:
        return self.auth.address

    @property
    def resolver_addresses(self) -> list[tuple[str, str, int]]:
        """``(label, host, port)`` for each resolver: the demo's resolver list."""
        return [(r.name, *r.address) for r in self.resolvers]

    def resolver(self, label: str) -> SimulatedResolver:
        for resolver in self.resolvers:
            if resolver.name == label:
                return resolver
        raise KeyError(label)

    def flush_resolvers(self) -> None:
        for resolver in self.resolvers:
            resolver.flush()

    def set_rrset(self, name: str, rtype: str, ttl: int, values: Sequence[str]) -> None:
        self.store.set_rrset(name, rtype, ttl, values)

    def delete_rrset(self, name: str, rtype: str) -> bool:
        return self.store.delete_rrset(name, rtype)

"""An opt-in TTL cache for query results.

The board never caches by default: it exists to show what servers say *now*. A caller that polls
the same question often (a status line) may pass one explicitly.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.dns.result import QueryResult, Server


class QueryCache:
    """A small TTL cache, only for callers that ask for one (the board never does by default).

    Errors are not cached: a timeout says nothing about the next attempt.
    """

    def __init__(
        self, *, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: dict[tuple[Server, str, str], tuple[float, QueryResult]] = {}
        self._max = max_entries
        self._clock = clock

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, server: Server, name: str, rdtype: str) -> QueryResult | None:
        key = (server, absolute(name).lower(), rdtype.upper())
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, result = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return replace(result, from_cache=True)

    def put(self, result: QueryResult) -> None:
        lifetime = result.ttl if result.ok else result.negative_ttl
        if result.kind is AnswerKind.ERROR or not lifetime:
            return
        if len(self._entries) >= self._max:
            # Oldest insertion first: dicts keep order, and a board cache never grows big.
            self._entries.pop(next(iter(self._entries)))
        key = (result.server, result.name, result.rdtype)
        self._entries[key] = (self._clock() + lifetime, result)

    def clear(self) -> None:
        self._entries.clear()


async def cached(
    cache: QueryCache | None,
    ask: Callable[[], Awaitable[QueryResult]],
    server: Server,
    qname: str,
    rdtype: str,
) -> QueryResult:
    """``ask()`` unless ``cache`` holds a live answer; store what ``ask()`` returns."""
    if cache is None:
        return await ask()
    hit = cache.get(server, qname, rdtype)
    if hit is not None:
        return hit
    result = await ask()
    cache.put(result)
    return result

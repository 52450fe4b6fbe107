"""A round's worth of UDP queries through one socket per address family.

Opening, registering and closing a socket per question costs about as much CPU as parsing the
answer; in a burst of dozens of questions that CPU time, not the network, set the round's length.
``Burst`` sends every question from one socket and hands each datagram to the query waiting for
that (server, port, message ID), checking the question section as dnspython does. Truncated
answers are retried over TCP by dnspython, exactly as ``query.query`` does.

The shared socket means one source port per round instead of one per question; each round opens
a fresh socket, and answers are only accepted from the server asked, with the right ID and
question, so spoofing one still requires guessing a 16-bit ID and the round's port.
"""

from __future__ import annotations

import asyncio
import copy
import socket
import time
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.dns.cache import QueryCache, cached
from sesdmarc_tui.dns.query import tcp_exchange
from sesdmarc_tui.dns.response import from_exception, interpret, make_request, started
from sesdmarc_tui.dns.result import DEFAULT_QUERY_TIMEOUT, QueryResult, Server, Transport

if TYPE_CHECKING:
    import dns.message

_Key = tuple[str, int, int]  # server address, port, message ID
_KEPT = 512  # distinct answers remembered per burst (a round asks about a hundred)


def _memo_key(answer: bytes, base: QueryResult) -> tuple[bytes, bool, str, str]:
    """What ``interpret`` depends on: the answer but its ID, and whether AA is required."""
    return (answer[2:], base.server.authoritative, base.name, base.rdtype)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, waiting: dict[_Key, asyncio.Future[bytes]]) -> None:
        self.waiting = waiting

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        if len(data) < 12:
            return
        future = self.waiting.get((str(addr[0]), int(addr[1]), int.from_bytes(data[:2], "big")))
        if future is not None and not future.done():
            future.set_result(data)

    def error_received(self, exc: Exception) -> None:
        # An ICMP error on an unconnected socket names no question; the query times out.
        pass


def _expire(future: asyncio.Future[bytes]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class Burst:
    """``async with Burst() as burst: await asyncio.gather(*(burst.query(...) ...))``."""

    def __init__(self, *, cache: QueryCache | None = None) -> None:
        self._cache = cache
        self._waiting: dict[_Key, asyncio.Future[bytes]] = {}
        self._sockets: dict[int, _Socket] = {}
        self._opening: dict[int, asyncio.Lock] = {}
        self._templates: dict[tuple[str, str, bool], tuple[dns.message.QueryMessage, bytes]] = {}
        self._results: dict[tuple[bytes, bool, str, str], QueryResult] = {}

    async def __aenter__(self) -> Burst:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        for udp in self._sockets.values():
            udp.transport.close()
        self._sockets.clear()
        for future in self._waiting.values():
            future.cancel()
        self._waiting.clear()

    async def query(
        self, server: Server, name: str, rdtype: str, timeout: float = DEFAULT_QUERY_TIMEOUT
    ) -> QueryResult:
        """Same contract and results as ``query.query``; never raises on DNS trouble."""
        qname = absolute(name).lower()
        rdtype = rdtype.upper()

        async def ask() -> QueryResult:
            return await self._ask(server, qname, rdtype, timeout)

        return await cached(self._cache, ask, server, qname, rdtype)

    async def _ask(self, server: Server, qname: str, rdtype: str, timeout: float) -> QueryResult:
        import dns.flags

        base, start = started(server, qname, rdtype)
        request, wire = self._request(server, qname, rdtype)
        transport: Transport = "udp"
        try:
            answer, response = await self._udp(request, wire, server, timeout, start, base=base)
            if response is None:  # this very answer to this question was interpreted before
                known = self._results[_memo_key(answer, base)]
                elapsed = time.monotonic() - start
                return replace(known, server=server, elapsed=elapsed, queried_at=base.queried_at)
            if response.flags & dns.flags.TC:
                transport = "tcp"
                response = await tcp_exchange(request, server, timeout, start)
                return interpret(base, response, start, transport)
        except Exception as exc:
            return from_exception(base, start, transport, exc, timeout)
        result = interpret(base, response, start, transport)
        if len(self._results) < _KEPT:
            self._results[_memo_key(answer, base)] = result
        return result

    def _request(
        self, server: Server, qname: str, rdtype: str
    ) -> tuple[dns.message.QueryMessage, bytes]:
        """A fresh message ID on a request built once per question and RD flag in this round.

        Rendering a request costs forty times what a shallow copy and a new ID cost.
        """
        import dns.entropy

        key = (qname, rdtype, server.authoritative)
        template = self._templates.get(key)
        if template is None:
            message = make_request(server, qname, rdtype)
            template = self._templates[key] = (message, message.to_wire())
        request = copy.copy(template[0])
        request.id = dns.entropy.random_16()
        while (server.address, server.port, request.id) in self._waiting:
            request.id = dns.entropy.random_16()
        return request, request.id.to_bytes(2, "big") + template[1][2:]

    async def _udp(
        self,
        request: dns.message.QueryMessage,
        wire: bytes,
        server: Server,
        timeout: float,
        start: float,
        *,
        base: QueryResult,
    ) -> tuple[bytes, dns.message.Message | None]:
        """The answer's bytes, and its parsed message unless an identical answer to the same
        question was interpreted before in this burst (then it needs neither parse nor check).

        Parsing is most of a round's CPU, and every authoritative server of a zone sends the
        same bytes (but for the ID) for the same question: those are parsed and interpreted
        once per burst. The ID, the one byte-level difference, is matched by ``_waiting``.
        """
        import dns.message

        family = socket.AF_INET6 if ":" in server.address else socket.AF_INET
        udp = await self._socket(family)
        key = (server.address, server.port, request.id)
        deadline = start + timeout
        try:
            udp.send(wire, (server.address, server.port))
            loop = asyncio.get_running_loop()
            while True:
                future: asyncio.Future[bytes] = loop.create_future()
                self._waiting[key] = future
                # A timer on the future itself: wait_for wraps every wait in more objects.
                timer = loop.call_at(loop.time() + deadline - time.monotonic(), _expire, future)
                try:
                    answer = await future
                finally:
                    timer.cancel()
                if _memo_key(answer, base) in self._results:
                    return answer, None
                response = dns.message.from_wire(answer)
                if request.is_response(response):
                    return answer, response
                # A datagram with our ID but another question: not ours; keep listening.
        finally:
            self._waiting.pop(key, None)

    async def _socket(self, family: int) -> _Socket:
        ready = self._sockets.get(family)
        if ready is not None:
            return ready
        lock = self._opening.setdefault(family, asyncio.Lock())
        async with lock:  # the first queries of a round race to open the socket
            ready = self._sockets.get(family)
            if ready is None:
                sock = socket.socket(family, socket.SOCK_DGRAM)
                sock.setblocking(False)
                loop = asyncio.get_running_loop()
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: _Protocol(self._waiting), sock=sock
                )
                ready = self._sockets[family] = _Socket(sock, transport)
            return ready


@dataclass(frozen=True)
class _Socket:
    """The raw socket sends, so a send error (no IPv6 route) fails its own query at once;
    the transport reads, and queues a send only when the socket buffer is full."""

    sock: socket.socket
    transport: asyncio.DatagramTransport

    def send(self, wire: bytes, address: tuple[str, int]) -> None:
        try:
            self.sock.sendto(wire, address)
        except (BlockingIOError, InterruptedError):
            self.transport.sendto(wire, address)

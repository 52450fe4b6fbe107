"""One DNS listener on loopback: UDP and TCP on the same ephemeral port, on the running loop.

Shared by the authoritative server and the simulated resolvers; each supplies an async handler
that turns request bytes into a response message (or None: no reply, as for garbage). The
listener applies the UDP size limit and the TC fallback of test-infra.md s1c, so a long DKIM
TXT set makes clients retry over TCP exactly as on the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from collections.abc import Awaitable, Callable
from typing import cast

import dns.exception
import dns.flags
import dns.message

UDP_MIN = 512
TCP_MAX = 65535
PORT_ATTEMPTS = 20

Handler = Callable[[bytes], Awaitable[dns.message.Message | None]]
_log = logging.getLogger(__name__)


def encode(response: dns.message.Message, udp: bool) -> bytes:
    """Wire form; over UDP at most 512 octets or the client's EDNS size, else empty with TC."""
    if not udp:
        return response.to_wire(max_size=TCP_MAX)
    limit = max(UDP_MIN, response.request_payload)
    try:
        return response.to_wire(max_size=limit)
    except dns.exception.TooBig:
        response.answer.clear()
        response.authority.clear()
        response.additional.clear()
        response.flags |= dns.flags.TC
        return response.to_wire(max_size=limit)


class DnsEndpoint:
    """``port = await DnsEndpoint(handler).start()``; ``await stop()`` closes every socket."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1") -> None:
        self.handler = handler
        self.host = host
        self.port = 0
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        for _ in range(PORT_ATTEMPTS):
            # TCP first on port 0, then UDP on the same number; the UDP twin is occasionally
            # taken by another socket, so retry with a fresh port (test-infra.md s1c).
            tcp = await asyncio.start_server(self._serve_tcp, self.host, 0)
            port = int(tcp.sockets[0].getsockname()[1])
            try:
                udp, _ = await loop.create_datagram_endpoint(
                    lambda: _Udp(self), local_addr=(self.host, port)
                )
            except OSError:
                tcp.close()
                await tcp.wait_closed()
                continue
            self._tcp, self._udp, self.port = tcp, udp, port
            return port
        raise OSError(f"no loopback port free for both UDP and TCP after {PORT_ATTEMPTS} tries")

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        if self._tcp is not None:
            self._tcp.close()
        # Server.close() leaves accepted connections open (Python 3.11): close them ourselves.
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._tcp is not None:
            await self._tcp.wait_closed()
            self._tcp = None

    def spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reply(self, wire: bytes, udp: bool) -> bytes | None:
        try:
            response = await self.handler(wire)
            return None if response is None else encode(response, udp)
        except asyncio.CancelledError:
            raise
        except Exception:
            # A bug in a handler must not kill the listener; the client just sees a timeout.
            _log.exception("DNS handler failed on port %d", self.port)
            return None

    async def answer_udp(self, wire: bytes, addr: tuple[str, int]) -> None:
        reply = await self.reply(wire, udp=True)
        if reply is not None and self._udp is not None and not self._udp.is_closing():
            self._udp.sendto(reply, addr)

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(cast("asyncio.Task[None]", task))
        try:
            while True:  # RFC 7766: several length-prefixed messages per connection
                try:
                    size = struct.unpack("!H", await reader.readexactly(2))[0]
                    wire = await reader.readexactly(size)
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                reply = await self.reply(wire, udp=False)
                if reply is None:
                    break  # garbage: drop the connection rather than guess at framing
                writer.write(struct.pack("!H", len(reply)) + reply)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._tasks.discard(cast("asyncio.Task[None]", task))
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, endpoint: DnsEndpoint) -> None:
        self.endpoint = endpoint

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        # One task per datagram: a resolver waiting on its upstream must not hold up the next.
        self.endpoint.spawn(self.endpoint.answer_udp(data, cast("tuple[str, int]", addr)))

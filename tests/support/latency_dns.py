"""An asyncio DNS server on loopback that answers every query after a fixed delay.

It stands in for distant servers in the burst test and the propagation benchmark: the delay is
scheduled with ``call_later`` (UDP) or a per-message task (TCP), so a slow answer never holds up
the next query, as with a real server across the internet. It serves one zone from zone-file
lines, the way ``tests.support.knot`` does, with the FakeAuthDNS behaviour of
shared/reference/test-infra.md s1c: AA, REFUSED outside the zone, in-zone CNAME chasing,
NXDOMAIN/NODATA with the SOA, and TC over UDP when the answer does not fit.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from typing import cast

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone

UDP_MIN = 512


def zone_text(origin: str, lines: list[str]) -> str:
    head = [
        f"$ORIGIN {origin}",
        "$TTL 300",
        f"@ 3600 IN SOA ns1.{origin} hostmaster.{origin} 1 3600 600 86400 300",
        f"@ 3600 IN NS ns1.{origin}",
        "ns1 3600 IN A 127.0.0.1",
    ]
    return "\n".join([*head, *lines]) + "\n"


class LatencyDNS:
    """``await LatencyDNS(origin, lines, latency=0.05).start()`` returns the port (UDP and TCP)."""

    def __init__(
        self, origin: str, lines: list[str], *, latency: float = 0.05, authoritative: bool = True
    ) -> None:
        origin = origin if origin.endswith(".") else origin + "."
        self.origin = dns.name.from_text(origin)
        self.zone = dns.zone.from_text(zone_text(origin, lines), origin, relativize=False)
        self.latency = latency
        self.authoritative = authoritative
        self.host = "127.0.0.1"
        self.port = 0
        self.queries = 0
        self._replies: dict[tuple[bytes, int | None], bytes] = {}
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        for _ in range(20):  # the UDP twin of a fresh TCP port is taken now and then: retry
            tcp = await asyncio.start_server(self._serve_tcp, self.host, 0)
            port = int(tcp.sockets[0].getsockname()[1])
            try:
                udp, _ = await loop.create_datagram_endpoint(
                    lambda: _Udp(self), local_addr=(self.host, port)
                )
            except OSError:
                tcp.close()
                continue
            self._tcp, self._udp, self.port = tcp, udp, port
            return port
        raise RuntimeError("no port free for both UDP and TCP")

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
            await self._tcp.wait_closed()

    def answer(self, wire: bytes, limit: int | None) -> bytes | None:
        # The zone never changes, so a repeated question gets the stored reply with its ID
        # patched: the server's own CPU time then stays far below the latency it simulates.
        key = (wire[2:], limit)
        stored = self._replies.get(key)
        if stored is not None:
            self.queries += 1
            return wire[:2] + stored
        reply = self._answer(wire, limit)
        if reply is not None:
            self._replies[key] = reply[2:]
        return reply

    def _answer(self, wire: bytes, limit: int | None) -> bytes | None:
        try:
            request = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        self.queries += 1
        response = dns.message.make_response(request)
        if self.authoritative:
            response.flags |= dns.flags.AA
        else:
            response.flags |= dns.flags.RA
        question = request.question[0]
        if not question.name.is_subdomain(self.origin):
            response.flags &= ~dns.flags.AA
            response.set_rcode(dns.rcode.REFUSED)
        else:
            self._fill(response, question.name, question.rdtype)
        if limit is None:
            return response.to_wire()
        size = max(UDP_MIN, request.payload if request.edns >= 0 else UDP_MIN)
        try:
            return response.to_wire(max_size=size)
        except dns.exception.TooBig:
            response.answer.clear()
            response.authority.clear()
            response.additional.clear()
            response.flags |= dns.flags.TC
            return response.to_wire()

    def _fill(self, response: dns.message.Message, qname: dns.name.Name, rdtype: int) -> None:
        name = qname
        for _ in range(8):
            node = self.zone.get_node(name)
            if node is None:
                break
            found = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RdataType.make(rdtype))
            if found is not None:
                response.answer.append(_rrset(name, found))
                return
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if cname is None or rdtype == dns.rdatatype.CNAME:
                break
            response.answer.append(_rrset(name, cname))
            name = cname[0].target
            if not name.is_subdomain(self.origin):
                return  # the rest of the chain is another zone's business
        soa = self.zone.get_rdataset(self.origin, dns.rdatatype.SOA)
        assert soa is not None
        response.authority.append(_rrset(self.origin, soa))
        exists = any(n == name or n.is_subdomain(name) for n in self.zone.nodes)
        if not exists:
            response.set_rcode(dns.rcode.NXDOMAIN)

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tasks: set[asyncio.Task[None]] = set()
        try:
            while True:
                try:
                    size = struct.unpack("!H", await reader.readexactly(2))[0]
                    wire = await reader.readexactly(size)
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                task = asyncio.create_task(self._reply_tcp(wire, writer))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _reply_tcp(self, wire: bytes, writer: asyncio.StreamWriter) -> None:
        reply = self.answer(wire, None)
        await asyncio.sleep(self.latency)
        if reply is not None and not writer.is_closing():
            writer.write(struct.pack("!H", len(reply)) + reply)


def _rrset(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: LatencyDNS) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        reply = self.server.answer(data, UDP_MIN)
        if reply is None or self.transport is None:
            return
        loop = asyncio.get_running_loop()
        # call_later, not sleep: the next datagram is read at once, as on a real distant server.
        loop.call_later(self.server.latency, self._send, reply, addr)

    def _send(self, reply: bytes, addr: tuple[str | object, int]) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(reply, addr)


async def serve_forever(origin: str, lines: list[str], count: int, latency: float) -> None:
    """Run ``count`` servers, print their ports as one JSON line, serve until stdin closes."""
    import json
    import sys

    servers = [LatencyDNS(origin, lines, latency=latency) for _ in range(count)]
    ports = [await s.start() for s in servers]
    print(json.dumps(ports), flush=True)
    loop = asyncio.get_running_loop()
    # The parent closing our stdin is the stop signal, so no server outlives its benchmark.
    await loop.run_in_executor(None, sys.stdin.read)
    for server in servers:
        await server.stop()


if __name__ == "__main__":
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--origin", default="example.test.")
    args = parser.parse_args()
    zone_lines = json.loads(sys.stdin.readline())
    asyncio.run(serve_forever(args.origin, zone_lines, args.count, args.latency))

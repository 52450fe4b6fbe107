"""DNS servers on loopback that misbehave in one chosen way, for the fault suite.

Built on ``LatencyDNS`` (the same zone handling: AA, in-zone CNAMEs, NXDOMAIN/NODATA with the
SOA), with one ``Fault`` that decides what a question gets instead of a proper answer:

- ``drop``: nothing, over UDP or TCP (a dead or firewalled name server: the client times out);
- ``servfail`` / ``refused``: that rcode and nothing else (a broken or lame name server);
- ``truncate``: every UDP answer has the TC bit set and no records, TCP gives the full answer
  (what a server does when the answer exceeds the UDP payload; here it does so always, so the
  retry is proven on a small answer too);
- ``truncate_no_tcp``: TC over UDP, and no TCP listener at all (a firewall that drops TCP/53).

``udp_queries`` and ``tcp_queries`` count what arrived on each transport, so a test can prove
the TCP retry really happened rather than trusting the result's ``transport`` field.
A recursive resolver that lies is a plain ``LatencyDNS(..., authoritative=False)`` serving the
old zone lines: it answers with RA and no AA, exactly like a resolver's cache.

``ServerThread`` runs these servers on a loop of their own, so blocking code can ask them;
``dns_steps_done`` is the wizard whose DNS steps the fault cases then judge.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Literal

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import pytest

from sesdmarc_tui.flow.engine import Wizard
from tests.support.latency_dns import LatencyDNS

Fault = Literal["none", "drop", "servfail", "refused", "truncate", "truncate_no_tcp"]


class FaultDNS(LatencyDNS):
    """``await FaultDNS(origin, lines, fault="servfail").start()`` returns the port."""

    def __init__(
        self,
        origin: str,
        lines: list[str],
        *,
        fault: Fault,
        latency: float = 0.0,
        authoritative: bool = True,
    ) -> None:
        super().__init__(origin, lines, latency=latency, authoritative=authoritative)
        self.fault: Fault = fault
        self.udp_queries = 0
        self.tcp_queries = 0

    async def start(self) -> int:
        port = await super().start()
        if self.fault == "truncate_no_tcp" and self._tcp is not None:
            # The UDP socket keeps the port; TCP connections to it are now refused by the kernel.
            self._tcp.close()
            await self._tcp.wait_closed()
            self._tcp = None
        return port

    def answer(self, wire: bytes, limit: int | None) -> bytes | None:
        if limit is None:
            self.tcp_queries += 1
        else:
            self.udp_queries += 1
        if self.fault == "none":
            return super().answer(wire, limit)
        try:
            request = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        self.queries += 1
        if self.fault == "drop":
            return None
        response = dns.message.make_response(request)
        if self.fault == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
            return response.to_wire()
        if self.fault == "refused":
            response.set_rcode(dns.rcode.REFUSED)
            return response.to_wire()
        if limit is None:  # truncate over TCP: the full, proper answer
            return self._answer(wire, None)
        response.flags |= dns.flags.AA | dns.flags.TC
        return response.to_wire()


class ServerThread:
    """Runs servers on an event loop of their own thread, so blocking code (the wizard, the
    check, ``asyncio.run`` in a test) can query them: ``with ServerThread() as loop:
    port = loop.start(FaultDNS(...))``; every server and the thread stop on exit."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._servers: list[LatencyDNS] = []

    def __enter__(self) -> ServerThread:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            asyncio.run_coroutine_threadsafe(server.stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def start(self, server: LatencyDNS) -> LatencyDNS:
        asyncio.run_coroutine_threadsafe(server.start(), self._loop).result(5)
        self._servers.append(server)
        return server


def dns_steps_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timeout: float) -> Wizard:
    """The flow tests' fake-world wizard with DKIM, MAIL FROM and DMARC applied: by their own
    lights (SES SUCCESS, the provider reads the record back) the DNS steps are done. The
    context names no DNS server yet; ``timeout`` is what confirming "done" waits per query."""
    from sesdmarc_tui.flow import propagation
    from tests.flow.fakes import DOMAIN, FakeZone, World, fake_context, ready_wizard

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(propagation, "CONFIRM_TIMEOUT", timeout)
    ctx, _dns = fake_context(tmp_path, World(FakeZone(DOMAIN)))
    ctx.poll_delays = (0.5,)
    wizard = ready_wizard(ctx, through="dmarc")
    assert isinstance(wizard, Wizard)
    assert wizard.status("dkim").done and wizard.status("dmarc").done
    return wizard

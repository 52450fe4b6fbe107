"""Slow DNS servers for several zones in a child process, logging every question they get.

The ``check`` and ``verify-message`` benchmarks point a command at these servers, then read the
log to replay the very same questions one by one (the sequential baseline). The servers are
``tests.support.latency_dns.LatencyDNS`` (one per zone, answers after a fixed delay), in a
child process so their CPU time does not queue behind the measured command's.

Protocol on the child's stdin/stdout, one JSON line each: the parent sends
``{"latency": s, "zones": {origin: [zone-file lines]}}`` and reads ``{origin: port}``; each
``log`` line it sends is answered with the questions asked since the previous one
(``[[port, qname, qtype, "udp"|"tcp"], ...]``); closing stdin stops the servers.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.latency_dns import LatencyDNS

Question = tuple[int, str, str, str]  # port, qname, qtype, transport


class LoggingDNS(LatencyDNS):
    def __init__(self, origin: str, lines: list[str], latency: float, log: list[Question]) -> None:
        super().__init__(origin, lines, latency=latency)
        self.log = log

    def answer(self, wire: bytes, limit: int | None) -> bytes | None:
        import dns.exception
        import dns.message
        import dns.rdatatype

        try:
            request = dns.message.from_wire(wire, question_only=True)
            question = request.question[0]
            self.log.append(
                (
                    self.port,
                    question.name.to_text().lower(),
                    dns.rdatatype.to_text(question.rdtype),
                    "udp" if limit is not None else "tcp",
                )
            )
        except (dns.exception.DNSException, IndexError):
            pass  # unparseable: LatencyDNS drops it too
        return super().answer(wire, limit)


async def _serve(latency: float, zones: dict[str, list[str]]) -> None:
    log: list[Question] = []
    servers = {origin: LoggingDNS(origin, lines, latency, log) for origin, lines in zones.items()}
    ports = {origin: await server.start() for origin, server in servers.items()}
    print(json.dumps(ports), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        print(json.dumps(log), flush=True)
        log.clear()
    for server in servers.values():
        await server.stop()


@dataclass
class ZoneServers:
    ports: dict[str, int]
    process: subprocess.Popen[str]

    def nameservers(self) -> list[str]:
        """``--nameserver`` values, in the order the zones were given."""
        return [f"127.0.0.1:{port}" for port in self.ports.values()]

    def questions(self) -> list[Question]:
        """The questions asked since the last call (and clears the log)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        # Answers still in flight are logged on arrival, not on reply: nothing to wait for.
        self.process.stdin.write("log\n")
        self.process.stdin.flush()
        return [
            (int(p), str(n), str(t), str(x))
            for p, n, t, x in json.loads(self.process.stdout.readline())
        ]


@contextmanager
def zone_servers(zones: dict[str, list[str]], latency: float) -> Iterator[ZoneServers]:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.zone_servers"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(json.dumps({"latency": latency, "zones": zones}) + "\n")
        proc.stdin.flush()
        ports = {k: int(v) for k, v in json.loads(proc.stdout.readline()).items()}
        yield ZoneServers(ports, proc)
    finally:
        proc.stdin.close()  # the stop signal
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def replay(questions: list[Question], timeout: float = 2.0) -> float:
    """Ask the same questions one after another (UDP, TCP on truncation); seconds taken."""
    import dns.message
    import dns.query

    began = time.perf_counter()
    for port, qname, qtype, transport in questions:
        if transport == "tcp":
            continue  # the UDP question before it falls back to TCP the same way
        request = dns.message.make_query(qname, qtype, use_edns=0)
        dns.query.udp_with_fallback(request, "127.0.0.1", timeout, port=port)
    return time.perf_counter() - began


if __name__ == "__main__":
    config = json.loads(sys.stdin.readline())
    asyncio.run(_serve(float(config["latency"]), dict(config["zones"])))

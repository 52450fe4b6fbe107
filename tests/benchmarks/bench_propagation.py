"""Benchmark: one propagation round (6 records x 8 servers = 48 queries) against slow servers.

Every server answers 50 ms after the question arrives. A round that is one concurrent burst lasts
about one latency; the same 48 queries made one after another last 48 latencies. Printed:
latency, round wall time, round/latency (goal <= 1.5), sequential wall time, speed-up (goal >= 20).

Run it on demand (normal test runs skip it):
    .venv/bin/python -m pytest tests/benchmarks/bench_propagation.py -s
    .venv/bin/python tests/benchmarks/bench_propagation.py [--inline] [--rounds N]

The servers run in a child process by default, as distant servers would: their CPU time then
does not queue behind the client's. ``--inline`` runs them on the client's event loop instead:
no process wake-ups, but their CPU time counts in the round (and in the CPU line).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sesdmarc_tui.core.records import DnsRecord, make_record
from sesdmarc_tui.dns.board import PropagationBoard
from sesdmarc_tui.dns.burst import Burst
from sesdmarc_tui.dns.query import Server, ServerKind
from tests.benchmarks.rows import Goal, Outcome, Row
from tests.support.latency_dns import LatencyDNS

ORIGIN = "example.test."
LATENCY = 0.05
SERVERS = 8  # 4 authoritative + 4 recursive, as with the default public resolvers
TOKENS = ("tok1", "tok2", "tok3")
MX_HOST = "feedback-smtp.us-east-1.amazonses.com"
SPF = "v=spf1 include:amazonses.com ~all"
DMARC = "v=DMARC1; p=none; rua=mailto:dmarc@example.test"

ZONE = [
    *[f"{t}._domainkey 1800 IN CNAME {t}.dkim.amazonses.com." for t in TOKENS],
    f"mail 300 IN MX 10 {MX_HOST}.",
    f'mail 300 IN TXT "{SPF}"',
    f'_dmarc 300 IN TXT "{DMARC}"',
]


def expected_records() -> list[DnsRecord]:
    return [
        *[
            make_record(f"{t}._domainkey.example.test", "CNAME", [f"{t}.dkim.amazonses.com"])
            for t in TOKENS
        ],
        make_record("mail.example.test", "MX", [f"10 {MX_HOST}"]),
        make_record("mail.example.test", "TXT", [SPF]),
        make_record("_dmarc.example.test", "TXT", [DMARC]),
    ]


@dataclass(frozen=True)
class Numbers:
    latency: float
    queries: int
    rounds: list[float]
    client_cpu: float  # CPU seconds this process spent per round
    sequential: float
    probed_round: float
    probed_queries: int

    @property
    def round(self) -> float:
        return statistics.median(self.rounds)

    @property
    def ratio(self) -> float:
        return self.round / self.latency

    @property
    def speedup(self) -> float:
        return self.sequential / self.round

    def report(self) -> str:
        return "\n".join(
            [
                f"latency per answer        {self.latency * 1000:8.1f} ms",
                f"queries per round         {self.queries:8d}",
                f"round wall time (median)  {self.round * 1000:8.1f} ms"
                f"   (best {min(self.rounds) * 1000:.1f}, worst {max(self.rounds) * 1000:.1f},"
                f" {len(self.rounds)} rounds)",
                f"round / latency           {self.ratio:8.2f}      goal <= 1.5",
                f"CPU of this process/round {self.client_cpu * 1000:8.1f} ms"
                f"   ({self.client_cpu / self.queries * 1e6:.0f} us per query; the round lasts"
                " about latency + this)",
                f"sequential wall time      {self.sequential * 1000:8.1f} ms"
                f"   (the same {self.queries} queries one after another)",
                f"speed-up over sequential  {self.speedup:8.1f} x    goal >= 20",
                f"round with mistake probes {self.probed_round * 1000:8.1f} ms"
                f"   ({self.probed_queries} queries)",
            ]
        )


@asynccontextmanager
async def inline_servers() -> AsyncIterator[list[int]]:
    servers = [LatencyDNS(ORIGIN, ZONE, latency=LATENCY) for _ in range(SERVERS)]
    ports = [await s.start() for s in servers]
    try:
        yield ports
    finally:
        for server in servers:
            await server.stop()


@asynccontextmanager
async def process_servers() -> AsyncIterator[list[int]]:
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "tests.support.latency_dns", "--count", str(SERVERS)]
    cmd += ["--latency", str(LATENCY), "--origin", ORIGIN]
    proc = subprocess.Popen(cmd, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(json.dumps(ZONE) + "\n")
        proc.stdin.flush()
        ports = json.loads(await asyncio.to_thread(proc.stdout.readline))
        yield [int(p) for p in ports]
    finally:
        proc.stdin.close()  # the server's stop signal
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


async def measure(ports: list[int], rounds: int) -> Numbers:
    half = len(ports) // 2
    authoritative = [Server("127.0.0.1", p, ServerKind.AUTHORITATIVE) for p in ports[:half]]
    resolvers = [Server("127.0.0.1", p, ServerKind.RECURSIVE) for p in ports[half:]]
    records = expected_records()
    board = PropagationBoard(ORIGIN, probes=False, timeout=2.0)
    warm = await board.run_round(records, authoritative, resolvers)  # imports, first sockets
    assert warm.all_visible, [(r.record.name, r.state.value) for r in warm.rows]
    times: list[float] = []
    cpu = time.process_time()
    for _ in range(rounds):
        result = await board.run_round(records, authoritative, resolvers)
        assert result.all_visible
        times.append(result.elapsed)
    cpu = (time.process_time() - cpu) / rounds
    start = time.monotonic()
    # The same transport as the round, so the comparison isolates concurrency alone.
    async with Burst() as burst:
        for record in records:
            for server in [*authoritative, *resolvers]:
                answer = await burst.query(server, record.name, record.rtype, 2.0)
                assert answer.ok
    sequential = time.monotonic() - start
    probed = await PropagationBoard(ORIGIN, timeout=2.0).run_round(
        records, authoritative, resolvers
    )
    return Numbers(LATENCY, warm.queries, times, cpu, sequential, probed.elapsed, probed.queries)


async def run(*, inline: bool = False, rounds: int = 9) -> Numbers:
    servers = inline_servers() if inline else process_servers()
    async with servers as ports:
        return await measure(ports, rounds)


def outcome(quick: bool) -> Outcome:
    numbers = asyncio.run(run(rounds=3 if quick else 9))
    round_ms, latency_ms = numbers.round * 1000, numbers.latency * 1000
    return Outcome(
        [
            Row(
                "propagation: 48-query round vs latency",
                round_ms,
                "ms",
                latency_ms,
                "latency",
                numbers.ratio,
                "round/latency",
                Goal("ratio", "<=", 1.5, "issue 3"),
            ),
            Row(
                "propagation: speed-up over sequential",
                round_ms,
                "ms",
                numbers.sequential * 1000,
                "sequential",
                numbers.speedup,
                "sequential/round",
                Goal("ratio", ">=", 20, "issue 3"),
            ),
        ],
        "servers in a child process\n" + numbers.report(),
    )


def test_bench_propagation() -> None:
    for inline in (False, True):
        numbers = asyncio.run(run(inline=inline))
        where = "servers on the client's event loop" if inline else "servers in a child process"
        print(f"\n--- propagation round, {where} ---\n{numbers.report()}")
        assert numbers.queries == 48


def main() -> None:
    parser = argparse.ArgumentParser(description="Propagation round benchmark")
    parser.add_argument("--inline", action="store_true", help="servers on the client's loop")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    numbers = asyncio.run(run(inline=args.inline, rounds=args.rounds))
    print(numbers.report())


if __name__ == "__main__":
    main()

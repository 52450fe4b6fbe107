"""A round is one concurrent burst: its length is about one latency, not one per query.

Behavioural and deliberately loose (the numbers are in tests/benchmarks/bench_propagation.py):
48 queries against servers that each answer 50 ms late must take well under 48 x 50 ms.
"""

from __future__ import annotations

from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.board import PropagationBoard
from sesdmarc_tui.dns.round import RecordState
from tests.adapters.dns._support import ORIGIN, LatencyFactory, auth, recursive

LATENCY = 0.05
LINES = [
    *[f"t{i}._domainkey 300 IN CNAME t{i}.dkim.amazonses.com." for i in range(3)],
    "mail 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
    'mail 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    '_dmarc 300 IN TXT "v=DMARC1; p=none"',
]
RECORDS = [
    *[
        make_record(f"t{i}._domainkey.example.test", "CNAME", [f"t{i}.dkim.amazonses.com"])
        for i in range(3)
    ],
    make_record("mail.example.test", "MX", ["10 feedback-smtp.us-east-1.amazonses.com"]),
    make_record("mail.example.test", "TXT", ["v=spf1 include:amazonses.com ~all"]),
    make_record("_dmarc.example.test", "TXT", ["v=DMARC1; p=none"]),
]


async def test_a_round_of_48_queries_lasts_about_one_latency(latency_dns: LatencyFactory) -> None:
    servers = [await latency_dns(LINES, latency=LATENCY) for _ in range(8)]
    authoritative = [auth(s, f"ns{i}") for i, s in enumerate(servers[:4])]
    resolvers = [recursive(s, f"r{i}") for i, s in enumerate(servers[4:])]
    board = PropagationBoard(ORIGIN, probes=False)
    await board.run_round(RECORDS, authoritative, resolvers)  # warm-up: imports, first socket
    result = await board.run_round(RECORDS, authoritative, resolvers)
    assert result.queries == 48
    assert sum(s.queries for s in servers) == 2 * 48
    assert all(row.state is RecordState.VISIBLE for row in result.rows)
    assert result.elapsed < 3 * LATENCY, f"{result.elapsed * 1000:.0f} ms for 48 queries"


async def test_mistake_probes_ride_in_the_same_burst(latency_dns: LatencyFactory) -> None:
    servers = [await latency_dns(LINES, latency=LATENCY) for _ in range(2)]
    board = PropagationBoard(ORIGIN)
    await board.run_round(RECORDS, [auth(servers[0])], [recursive(servers[1])])
    result = await board.run_round(RECORDS, [auth(servers[0])], [recursive(servers[1])])
    # 12 record queries, 6 doubled names and 3 x (A, TXT) probes, all on the authoritative.
    assert result.queries == 12 + 6 + 6
    assert result.elapsed < 3 * LATENCY

"""Benchmark: ``sesdmarc check`` on a healthy domain against the same queries made one by one.

DNS only, as an operator without AWS credentials runs it: ``--nameserver`` points at two slow
servers on loopback (``example.test``, the healthy zone of the ``check`` tests, and
``amazonses.com`` for the SPF include), each answering 50 ms after the question arrives, in a
child process. The servers log every question; the baseline replays exactly those questions,
in the same order, one after another. Their ratio is the concurrency gain. The same check
against servers that answer at once gives its CPU floor; (check - floor) / latency is the
number of round trips on its critical path.

The check runs in-process through click (imports warmed by a first run, as the figure of
interest is the DNS work); one cold run of the console script is printed as well.

    .venv/bin/python tests/benchmarks/bench_check.py [--runs N]
    .venv/bin/python -m pytest tests/benchmarks/bench_check.py -s
    .venv/bin/python -m tests.benchmarks --only check
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from click.testing import CliRunner

from sesdmarc_tui.cli import cli
from tests.benchmarks.rows import Outcome, Row
from tests.benchmarks.zone_servers import Question, ZoneServers, replay, zone_servers
from tests.support import check_world as w

LATENCY = 0.05
ZONES = {"example.test.": w.HEALTHY, "amazonses.com.": w.AMAZONSES_ZONE}


def no_aws(home: Path) -> dict[str, str | None]:
    """No credentials anywhere and no instance-metadata probe: the DNS half alone runs."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("AWS_")}
    return {
        **unset,
        "SESDMARC_NAMESERVER": None,
        "AWS_CONFIG_FILE": str(home / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def arguments(servers: ZoneServers) -> list[str]:
    options = [x for ns in servers.nameservers() for x in ("--nameserver", ns)]
    return [*options, "check", "example.test", "--json"]


def one_check(servers: ZoneServers, home: Path) -> tuple[float, dict[str, Any]]:
    began = time.perf_counter()
    result = CliRunner().invoke(cli, arguments(servers), env=no_aws(home), catch_exceptions=False)
    took = time.perf_counter() - began
    assert result.exit_code == 0, result.output
    return took, dict(json.loads(result.stdout))


def cold_check(servers: ZoneServers, home: Path) -> float:
    env = {k: v for k, v in {**os.environ, **no_aws(home)}.items() if v is not None}
    began = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("sesdmarc")), *arguments(servers)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    took = time.perf_counter() - began
    assert done.returncode == 0, done.stdout + done.stderr
    return took


def measure(runs: int, replays: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, zone_servers(ZONES, LATENCY) as servers:
        home = Path(tmp)
        _, payload = one_check(servers, home)  # imports, first sockets
        servers.questions()
        checks: list[float] = []
        asked: list[Question] = []
        for _ in range(runs):
            took, payload = one_check(servers, home)
            checks.append(took)
            asked = servers.questions()
        sequential = [replay(asked) for _ in range(replays)]
        servers.questions()
        cold = cold_check(servers, home)
    with tempfile.TemporaryDirectory() as tmp, zone_servers(ZONES, 0.0) as instant:
        # The same check against servers that answer at once: its CPU and local I/O alone.
        floor = [one_check(instant, Path(tmp))[0] for _ in range(max(2, runs // 2))][1:]
    summary = payload["summary"]
    return {
        "checks": checks,
        "sequential": sequential,
        "cold": cold,
        "floor": floor,
        "questions": asked,
        "errors": summary["errors"],
        "warnings": summary["warnings"],
        "items": len(payload["findings"]),
    }


def report(numbers: dict[str, Any]) -> str:
    check = statistics.median(numbers["checks"])
    sequential = statistics.median(numbers["sequential"])
    floor = statistics.median(numbers["floor"])
    asked: list[Question] = numbers["questions"]
    kinds = Counter(f"{qtype} {qname}" for _port, qname, qtype, _t in asked)
    per_port = Counter(port for port, *_ in asked)
    return "\n".join(
        [
            f"latency per answer            {LATENCY * 1000:8.1f} ms",
            f"questions per check           {len(asked):8d}   "
            f"(per server: {', '.join(str(n) for n in per_port.values())}; "
            f"{numbers['items']} findings, {numbers['errors']} errors, "
            f"{numbers['warnings']} warnings)",
            f"check, in-process (median)    {check * 1000:8.1f} ms   "
            f"(runs: {' '.join(f'{t * 1000:.0f}' for t in numbers['checks'])})",
            f"check, servers answering at once {floor * 1000:5.1f} ms   (CPU and local work alone)",
            f"round trips on critical path  {(check - floor) / LATENCY:8.1f}      "
            "((check - that) / latency)",
            f"same questions one by one     {sequential * 1000:8.1f} ms   "
            f"(runs: {' '.join(f'{t * 1000:.0f}' for t in numbers['sequential'])})",
            f"concurrency gain              {sequential / check:8.2f} x  (sequential / check)",
            f"cold console script run       {numbers['cold'] * 1000:8.1f} ms   "
            "(interpreter start and imports included)",
            "questions: " + "; ".join(f"{n}x {k}" for k, n in sorted(kinds.items())),
        ]
    )


def outcome(quick: bool) -> Outcome:
    numbers = measure(2 if quick else 7, 1 if quick else 3)
    check = statistics.median(numbers["checks"]) * 1000
    sequential = statistics.median(numbers["sequential"]) * 1000
    row = Row(
        f"check (DNS only, {len(numbers['questions'])} queries, 50 ms each)",
        check,
        "ms",
        sequential,
        "one by one",
        sequential / check,
        "sequential/check",
    )
    return Outcome([row], report(numbers))


def test_bench_check() -> None:
    found = outcome(quick=False)
    print("\n--- check vs the same queries one by one ---\n" + found.text)


def main() -> None:
    parser = argparse.ArgumentParser(description="check vs sequential queries")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(report(measure(args.runs, 3)))


if __name__ == "__main__":
    main()

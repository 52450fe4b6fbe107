"""Benchmark: peak memory at the first interactive screen, against a bare Textual app.

Each target runs in a real terminal (a private tmux server, as in ``bench_startup``). Once its
first interactive screen shows (``Hello, world`` for the baseline, the Accounts step for the
wizard) and a further second has passed (workers that build the context finish their imports),
the peak resident set (``VmHWM``) of every process below tmux's shell is read from /proc and
summed. Targets, alternated run by run, medians printed:

- ``hello``: ``tests/benchmarks/hello_app.py``, the smallest Textual app with a screen;
- ``demo``: ``sesdmarc demo`` (moto, the SES shim, the DNS servers and the wizard, one process);
- ``wizard``: ``sesdmarc`` in real mode with fake credentials, AWS pointed at a closed loopback
  port and instance metadata off, so no request leaves the machine.

    .venv/bin/python tests/benchmarks/bench_memory.py [--runs N]
    .venv/bin/python -m pytest tests/benchmarks/bench_memory.py -s
    .venv/bin/python -m tests.benchmarks --only memory
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_startup import ROOT, STEP, env
from tests.benchmarks.proctree import Process, tree
from tests.benchmarks.rows import Outcome, Row
from tests.tui.tmux import Tmux, command_line

SETTLE = 1.0
# Documentation-example keys (AWS's own), and endpoints on a closed loopback port: botocore
# gets "connection refused" at once instead of reaching AWS.
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "SESDMARC_NAMESERVER": "127.0.0.1:9",
}


def targets() -> dict[str, tuple[str, str, dict[str, str]]]:
    """name -> (command, text of the first interactive screen, extra environment)."""
    py = sys.executable
    sesdmarc = str(Path(py).with_name("sesdmarc"))
    return {
        "hello": (
            command_line(py, str(ROOT / "tests/benchmarks/hello_app.py")),
            "Hello, world",
            {},
        ),
        "demo": (command_line(sesdmarc, "demo"), STEP, {}),
        "wizard": (command_line(sesdmarc), STEP, FAKE_AWS),
    }


def one_peak(command: str, marker: str, extra: dict[str, str], workdir: Path) -> list[Process]:
    tmux = Tmux(workdir)
    try:
        tmux.start(command, ROOT, {**env(workdir), **extra}, (100, 32))
        deadline = time.monotonic() + 60
        while marker not in tmux.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{command} showed no {marker!r}:\n{tmux.screen()}")
            time.sleep(0.02)
        time.sleep(SETTLE)
        shell = tmux.run("display", "-p", "-t", tmux.session, "#{pane_pid}").strip()
        found = tree(int(shell))
        assert found, f"no process below the pane's shell {shell}"
        return found
    finally:
        tmux.kill()


def run(runs: int) -> dict[str, list[list[Process]]]:
    found = targets()
    seen: dict[str, list[list[Process]]] = {}
    for _ in range(runs):
        for name, (command, marker, extra) in found.items():
            with tempfile.TemporaryDirectory() as tmp:
                seen.setdefault(name, []).append(one_peak(command, marker, extra, Path(tmp)))
    return seen


def peak_mib(processes: list[Process]) -> float:
    return sum(p.peak_kib for p in processes) / 1024


def medians(seen: dict[str, list[list[Process]]]) -> dict[str, float]:
    return {name: statistics.median(peak_mib(run) for run in runs) for name, runs in seen.items()}


def report(seen: dict[str, list[list[Process]]]) -> str:
    mid = medians(seen)
    lines = [
        f"{'target':8} {'peak (median)':>14} {'ratio':>7}   processes (peak MiB each, last run)"
    ]
    for name, runs in seen.items():
        procs = ", ".join(f"{p.name} {p.peak_kib / 1024:.0f}" for p in runs[-1])
        all_runs = " ".join(f"{peak_mib(r):.0f}" for r in runs)
        lines.append(
            f"{name:8} {mid[name]:10.1f} MiB {mid[name] / mid['hello']:6.2f}x   {procs}"
            f"   (runs: {all_runs})"
        )
    return "\n".join(lines)


def outcome(quick: bool) -> Outcome:
    if shutil.which("tmux") is None:
        return Outcome(skipped="tmux is not installed: the memory benchmark needs a terminal")
    seen = run(1 if quick else 3)
    mid = medians(seen)
    base = mid["hello"]
    labels = {
        "demo": "peak memory: sesdmarc demo at Accounts",
        "wizard": "peak memory: wizard (real mode) at Accounts",
    }
    rows = [
        Row(label, mid[name], "MiB", base, "hello", mid[name] / base, "/hello")
        for name, label in labels.items()
    ]
    return Outcome(rows, report(seen))


def test_bench_memory() -> None:
    found = outcome(quick=False)
    if found.skipped:
        import pytest

        pytest.skip(found.skipped)
    print("\n--- peak memory at the first interactive screen ---\n" + found.text)


def main() -> None:
    parser = argparse.ArgumentParser(description="Peak memory benchmark")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(report(run(args.runs)))


if __name__ == "__main__":
    main()

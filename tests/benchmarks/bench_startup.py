"""Benchmark: cold start to the first interactive screen, against a bare Textual app.

Each target runs in a real terminal (a private tmux server), and the time is taken from the
spawn until its first screen's text shows in the pane (polled every 5 ms), so the baseline and
the wizard pay the same terminal costs. Targets, alternated run by run, medians printed:

- ``hello``: ``tests/benchmarks/hello_app.py``, the smallest Textual app with a screen;
- ``wizard``: ``python -m screens.run`` over an empty AWS configuration (the real context
  builder, the real engine, the Accounts screen);
- ``demo``: ``sesdmarc demo`` (sandbox start included), once it runs the Textual wizard.

Two times per wizard target: its first screen (the starting screen, up while the engine loads
and the context is built) and its first step (Accounts, ready for input). Goal: the first
screen at most 1.3x hello. Also printed: which heavy modules (boto3, moto,
questionary, dnspython's resolver...) are already imported when the first screen is up.

    .venv/bin/python -m pytest tests/benchmarks/bench_startup.py -s
    .venv/bin/python tests/benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.rows import Goal, Outcome, Row
from tests.tui.tmux import Tmux, command_line

ROOT = Path(__file__).resolve().parents[2]
GOAL = 1.3
DEMO_BUDGET_MS = 1000.0  # issue 4: the demo's first screen within a second


FIRST = "sesdmarc  ·  "  # the title bar: the starting screen, or a step already
STEP = "1. Accounts"


def targets() -> dict[str, tuple[str, tuple[str, ...]]]:
    """name -> (command, texts whose appearance is timed: the first screen, the first step)."""
    py = sys.executable
    found = {
        "hello": (
            command_line(py, str(ROOT / "tests/benchmarks/hello_app.py")),
            ("Hello, world",),
        ),
        "wizard": (command_line(py, "-m", "screens.run"), (FIRST, STEP)),
        "demo": (command_line(str(Path(py).with_name("sesdmarc")), "demo"), (FIRST, STEP)),
    }
    return found


def env(home: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def one_start(command: str, markers: tuple[str, ...], workdir: Path) -> list[float]:
    """Seconds from the spawn until each marker first shows, in order."""
    tmux = Tmux(workdir)
    seen: list[float] = []
    try:
        began = time.perf_counter()
        tmux.start(command, ROOT, env(workdir), (100, 32))
        deadline = began + 60
        for marker in markers:
            while marker not in tmux.screen():
                if time.perf_counter() > deadline:
                    raise AssertionError(f"{command} showed no {marker!r}:\n{tmux.screen()}")
                time.sleep(0.005)
            seen.append(time.perf_counter() - began)
        return seen
    finally:
        tmux.kill()


def loaded_at_first_screen(workdir: Path) -> dict[str, object]:
    script = ROOT / "tests/benchmarks/first_screen.py"
    done = subprocess.run(
        [sys.executable, str(script), str(workdir / "state")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env(workdir), "TERM": "dumb"},
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(runs: int) -> dict[str, list[float]]:
    """name (and "name, first step") -> seconds of each run."""
    found = targets()
    times: dict[str, list[float]] = {}
    for command, markers in found.values():  # warm the page cache once
        with tempfile.TemporaryDirectory() as tmp:
            one_start(command, markers, Path(tmp))
    for _ in range(runs):
        for name, (command, markers) in found.items():
            with tempfile.TemporaryDirectory() as tmp:
                seen = one_start(command, markers, Path(tmp))
            times.setdefault(name, []).append(seen[0])
            if len(seen) > 1:
                times.setdefault(f"{name}, first step", []).append(seen[1])
    return times


def report(times: dict[str, list[float]], loaded: dict[str, object]) -> str:
    base = statistics.median(times["hello"])
    lines = [f"{'target':20} {'median':>9} {'best':>9} {'ratio':>7}   goal <= {GOAL}x"]
    for name, values in times.items():
        median = statistics.median(values)
        lines.append(
            f"{name:20} {median * 1000:7.0f}ms {min(values) * 1000:7.0f}ms {median / base:6.2f}x"
        )
    if "demo" not in times:
        lines.append("demo: not measured, `sesdmarc demo` does not run the wizard yet")
    for when in ("screen", "step"):
        seconds, modules = cast(tuple[float, list[str]], loaded[when])
        lines.append(
            f"first {when} (headless, in-process) after {seconds * 1000:.0f} ms; heavy modules "
            f"already imported: {', '.join(modules) or 'none'}"
        )
    return "\n".join(lines)


def rows(times: dict[str, list[float]]) -> list[Row]:
    base = statistics.median(times["hello"]) * 1000
    goal = Goal("ratio", "<=", GOAL, "issue 5")
    labels = {
        "demo": ("cold start: sesdmarc demo, first screen", goal),
        "wizard": ("cold start: wizard (real mode), first screen", goal),
        "demo, first step": ("cold start: sesdmarc demo, Accounts ready", None),
        "wizard, first step": ("cold start: wizard, Accounts ready", None),
    }
    found: list[Row] = []
    for key, (label, row_goal) in labels.items():
        if key not in times:
            continue
        median = statistics.median(times[key]) * 1000
        found.append(Row(label, median, "ms", base, "hello", median / base, "/hello", row_goal))
        if key == "demo":
            budget = Goal("figure", "<", DEMO_BUDGET_MS, "issue 4")
            found.append(
                Row("cold start: demo first screen, 1 s budget", median, "ms", goal=budget)
            )
    return found


def outcome(quick: bool) -> Outcome:
    if shutil.which("tmux") is None:
        return Outcome(skipped="tmux is not installed: the start-up benchmark needs a terminal")
    times = run(2 if quick else 7)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = loaded_at_first_screen(Path(tmp))
    return Outcome(rows(times), report(times, loaded))


def test_bench_startup() -> None:
    if shutil.which("tmux") is None:
        import pytest

        pytest.skip("tmux is not installed: the start-up benchmark needs a real terminal")
    times = run(5)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = loaded_at_first_screen(Path(tmp))
    print("\n--- cold start to the first screen ---\n" + report(times, loaded))


def main() -> None:
    parser = argparse.ArgumentParser(description="Start-up benchmark")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times = run(args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = loaded_at_first_screen(Path(tmp))
    print(report(times, loaded))


if __name__ == "__main__":
    main()

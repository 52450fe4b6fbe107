"""Run every benchmark and print one table: figure, same-run baseline, ratio, goal, met.

    .venv/bin/python -m tests.benchmarks [--quick] [--json] [--only NAME ...] [--strict]

Each ``bench_*`` module has ``outcome(quick) -> Outcome``; modules are imported one at a time
so that a benchmark's heavy imports (Textual, the sandbox) never weigh on another's numbers
more than the process they share already does. Missed goals are printed, not fatal: machines
are noisy, and the figures are meant to be read (``--strict`` exits 1 on a missed goal).
Exit 1 when a benchmark fails to run at all.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from tests.benchmarks.rows import Outcome, Row, show

BENCHMARKS: dict[str, str] = {
    "startup": "tests.benchmarks.bench_startup",
    "memory": "tests.benchmarks.bench_memory",
    "propagation": "tests.benchmarks.bench_propagation",
    "keypress": "tests.benchmarks.bench_keypress",
    "check": "tests.benchmarks.bench_check",
    "verify-message": "tests.benchmarks.bench_verify_message",
    "reports": "tests.benchmarks.bench_reports",
}


def run_one(name: str, quick: bool, log: TextIO) -> tuple[Outcome, str, float]:
    """(outcome, error text or "", seconds taken)."""
    began = time.monotonic()
    try:
        module = importlib.import_module(BENCHMARKS[name])
        outcome: Outcome = module.outcome(quick)
    except Exception:  # one broken benchmark must not hide the others' figures
        return Outcome(), traceback.format_exc(limit=6), time.monotonic() - began
    took = time.monotonic() - began
    if outcome.text:
        print(f"\n== {name} ({took:.0f} s) ==\n{outcome.text}", file=log, flush=True)
    return outcome, "", took


def _met(row: Row) -> str:
    return {True: "yes", False: "NO", None: "-"}[row.met]


def table(results: dict[str, tuple[Outcome, str, float]]) -> str:
    header = ("benchmark", "figure", "baseline (same run)", "ratio", "goal", "met")
    lines: list[tuple[str, ...]] = [header]
    for name, (outcome, error, _took) in results.items():
        if error:
            lines.append((name, "ERROR: " + error.strip().splitlines()[-1][:70], "", "", "", "-"))
            continue
        if outcome.skipped:
            lines.append((name, "skipped: " + outcome.skipped[:70], "", "", "", "-"))
            continue
        for row in outcome.rows:
            figure = show(row.figure, row.unit) + (f" ({row.note})" if row.note else "")
            base = "" if row.baseline is None else show(row.baseline, row.unit)
            if row.baseline_name:
                base = f"{base} {row.baseline_name}".strip()
            ratio = "" if row.ratio is None else f"{row.ratio:.2f}x {row.ratio_means}"
            goal = row.goal.text(row.unit) if row.goal else "none set"
            lines.append((row.name, figure, base, ratio, goal, _met(row)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "load_1m": round(os.getloadavg()[0], 2)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON on stdout")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME")
    parser.add_argument("--save", metavar="FILE", help="also write the JSON document to FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"{name:15} {module}" for name, module in BENCHMARKS.items()))
        return 0
    # With --json the detailed reports go to stderr, so stdout stays one JSON document.
    log = sys.stderr if args.json else sys.stdout
    before = machine()
    results = {name: run_one(name, args.quick, log) for name in args.only or BENCHMARKS}
    after = machine()
    payload = {
        "quick": args.quick,
        "machine": {"cpus": before["cpus"], "load_1m": [before["load_1m"], after["load_1m"]]},
        "benchmarks": {
            name: {
                "seconds": round(took, 1),
                "skipped": outcome.skipped or None,
                "error": error or None,
                "rows": [row.to_json() for row in outcome.rows],
                "report": outcome.text,
            }
            for name, (outcome, error, took) in results.items()
        },
    }
    if args.save:
        Path(args.save).write_text(json.dumps(payload, indent=2) + "\n")
    if args.json:
        print(json.dumps(payload, indent=2))
    else:
        print(
            f"\n{before['cpus']} CPUs; 1-minute load {before['load_1m']} at the start, "
            f"{after['load_1m']} at the end{' (--quick)' if args.quick else ''}\n"
        )
        print(table(results))
        for name, (_outcome, error, _took) in results.items():
            if error:
                print(f"\n{name} failed:\n{error}")
    rows = [row for outcome, _e, _t in results.values() for row in outcome.rows]
    if any(error for _o, error, _t in results.values()):
        return 1
    return 1 if args.strict and any(row.met is False for row in rows) else 0

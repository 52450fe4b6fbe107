"""The README's reliability table, from a run of the fault suites: every case with pass or fail.

    .venv/bin/python -m tests.faults.table            # runs tests/faults, prints Markdown
    .venv/bin/python -m tests.faults.table --check    # also exits 1 if a case failed or did not run

A case passes when every test that exercises it passed. AWS and DNS cases are the parameters of
their tests (the bracketed id); process cases name themselves by calling ``case(id)`` inside
the test, which this run records.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUITES = (
    ("AWS", "tests.faults.test_aws_faults"),
    ("DNS", "tests.faults.test_dns_faults"),
    ("Process", "tests.faults.test_process_faults"),
)


@dataclass(frozen=True)
class Row:
    suite: str
    id: str
    fault: str
    expected: str


def rows_of(suite: str, module: Any) -> list[Row]:
    rows = []
    for item in module.CASES:
        if isinstance(item, tuple) and not hasattr(item, "fault"):
            case_id, fault, expected = item[:3]
        else:
            case_id, fault, expected = item.id, item.fault, item.expected
            where = getattr(item, "where", "")
            fault = f"{fault} ({where})" if where else fault
        rows.append(Row(suite, case_id, fault, expected))
    return rows


class Recorder:
    """Outcomes per test, and which cases each test exercised."""

    def __init__(self, ids: set[str]) -> None:
        self.ids = ids
        self.outcomes: dict[str, bool] = {}
        self.cases: dict[str, set[str]] = defaultdict(set)
        self.current = ""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        self.current = item.nodeid
        match = re.search(r"\[(.+)\]$", item.nodeid)
        if match and match.group(1) in self.ids:
            self.cases[item.nodeid].add(match.group(1))
        yield

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        failed = report.failed or (report.when == "call" and report.skipped)
        previous = self.outcomes.get(report.nodeid, True)
        self.outcomes[report.nodeid] = previous and not failed

    def named(self, case_id: str) -> str:
        self.cases[self.current].add(case_id)
        return case_id


def run(rows: list[Row], extra: list[str]) -> dict[str, str]:
    recorder = Recorder({row.id for row in rows})
    import tests.faults.test_process_faults as process

    real_case = process.case

    def case(case_id: str) -> str:
        return recorder.named(real_case(case_id))

    process.case = case  # type: ignore[assignment]
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the table
            pytest.main(
                ["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "faults"), *extra],
                plugins=[recorder],
            )
    finally:
        process.case = real_case  # type: ignore[assignment]
    by_case: dict[str, list[bool]] = defaultdict(list)
    for nodeid, cases in recorder.cases.items():
        for case_id in cases:
            by_case[case_id].append(recorder.outcomes.get(nodeid, False))
    return {
        row.id: ("pass" if all(by_case[row.id]) else "FAIL") if by_case[row.id] else "not run"
        for row in rows
    }


def markdown(rows: list[Row], results: dict[str, str]) -> str:
    lines = []
    for suite in dict.fromkeys(row.suite for row in rows):
        lines += [
            "",
            f"**{suite}**",
            "",
            "| case | fault | what the tool does | result |",
            "|---|---|---|---|",
        ]
        for row in (r for r in rows if r.suite == suite):
            cells = (row.id, row.fault, row.expected, results[row.id])
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines).lstrip("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 unless every case passed")
    args, extra = parser.parse_known_args()
    import importlib

    rows = [r for s, m in SUITES for r in rows_of(s, importlib.import_module(m))]
    results = run(rows, extra)
    print(markdown(rows, results))
    return 1 if args.check and any(v != "pass" for v in results.values()) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

"""Benchmark: parse 10,000 aggregate reports (about 100 MB of XML) and analyse them.

The reports are made here (both schemas, 15-25 rows each: SES, a forwarder, mailing lists,
spoofers across many addresses) and kept in memory, so only parsing is measured. Printed: the
volume, the product's parser rate in MB/s (defusedxml, the schema read, the normalising), the
rate of ``defusedxml.ElementTree.fromstring`` alone, the baseline rate of a plain ``xml.etree.ElementTree.fromstring`` of the same bytes measured in the
same run, their ratio, and the time to count, group and judge what was parsed.

Run it on demand (normal test runs skip it):
    .venv/bin/python tests/benchmarks/bench_reports.py [--reports N]
    .venv/bin/python -m pytest tests/benchmarks/bench_reports.py -s
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sesdmarc_tui.core.reports import Identity, Options, Report, analyze, parse_documents
from sesdmarc_tui.core.reports.xmlout import render_report
from tests.benchmarks.rows import Outcome, Row
from tests.support.dmarc_reports import forwarder_row, report, ses_row, spoofer_row

ORGS = ("google.com", "Outlook.com", "Yahoo", "comcast.net", "mail.ru", "web.de")


def make_documents(count: int, seed: int = 1) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    documents = []
    for n in range(count):
        rows = [ses_row(rng.randint(20, 400)), forwarder_row(rng.randint(1, 9))]
        for _ in range(rng.randint(15, 26)):
            ip = f"203.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            rows.append(spoofer_row(rng.randint(1, 5), ip=ip))
        schema = "rfc9990" if n % 3 == 0 else "rfc7489"
        made = report(n % 60, tuple(rows), schema=schema, org=ORGS[n % len(ORGS)])  # type: ignore[arg-type]
        made = replace(made, report_id=f"{made.org_name}-{n}")
        documents.append((f"r{n}.xml", render_report(made)))
    return documents


def rate(size: int, seconds: float) -> float:
    return size / 1e6 / seconds


def measure(count: int) -> tuple[dict[str, float], str]:
    """The rates and the printed report, for ``count`` generated reports."""
    documents = make_documents(count)
    size = sum(len(d) for _, d in documents)

    started = time.perf_counter()
    for _, data in documents:
        ET.fromstring(data)
    baseline = time.perf_counter() - started

    from defusedxml.ElementTree import fromstring as defused  # type: ignore[import-untyped]

    started = time.perf_counter()
    for _, data in documents:
        defused(data)
    defused_only = time.perf_counter() - started

    started = time.perf_counter()
    parsed = parse_documents(documents)
    ours = time.perf_counter() - started
    assert len(parsed.reports) == len(documents) and not parsed.problems

    started = time.perf_counter()
    analysis = analyze(parsed.reports, [], Options(Identity("example.com", "mail.example.com")))
    analysed = time.perf_counter() - started
    assert isinstance(analysis.reports[0], Report)

    result = {
        "mb": size / 1e6,
        "parse_mb_s": rate(size, ours),
        "baseline_mb_s": rate(size, baseline),
        "defused_mb_s": rate(size, defused_only),
        "ratio": baseline / ours,
        "analyse_s": analysed,
    }
    text = "\n".join(
        [
            f"{len(documents):,} reports, {size / 1e6:.1f} MB of XML",
            f"parse (defusedxml + schema): {ours:.2f} s, {result['parse_mb_s']:.1f} MB/s",
            f"baseline (xml.etree.fromstring): {baseline:.2f} s, "
            f"{result['baseline_mb_s']:.1f} MB/s",
            f"of which defusedxml.fromstring alone: {result['defused_mb_s']:.1f} MB/s",
            f"ratio parse/baseline speed: {result['ratio']:.2f}x "
            f"(the baseline is {1 / result['ratio']:.1f}x faster)",
            f"analyse (dedupe, count, group, verdict): {analysed:.2f} s",
        ]
    )
    return result, text


def outcome(quick: bool) -> Outcome:
    result, text = measure(1000 if quick else 10_000)
    row = Row(
        f"reports: parse {result['mb']:.0f} MB of aggregate XML",
        result["parse_mb_s"],
        "MB/s",
        result["baseline_mb_s"],
        "xml.etree",
        result["parse_mb_s"] / result["baseline_mb_s"],
        "speed/xml.etree",
    )
    return Outcome([row], text)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args(argv)
    result, text = measure(args.reports)
    print(text)
    return result


def test_bench_reports() -> None:
    result = main(["--reports", "2000"])
    assert result["parse_mb_s"] > 1.0


if __name__ == "__main__":
    main()

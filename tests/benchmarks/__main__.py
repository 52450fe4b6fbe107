"""``python -m tests.benchmarks``: every benchmark, one table of ratios and goals."""

from __future__ import annotations

import sys

from tests.benchmarks.runner import main

if __name__ == "__main__":
    sys.exit(main())

"""What a benchmark hands the runner: rows of (figure, same-run baseline, ratio, goal).

Kept free of heavy imports so every ``bench_*`` module and the runner can share it. A goal
applies either to the ratio (machines are noisy, so most goals compare with a baseline measured
in the same run) or to the figure itself (an absolute budget such as "p95 under 50 ms").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Op = Literal["<=", "<", ">="]


@dataclass(frozen=True)
class Goal:
    on: Literal["ratio", "figure"]
    op: Op
    value: float
    source: str  # where the goal was set, e.g. "issue 5"

    def met(self, figure: float, ratio: float | None) -> bool | None:
        value = ratio if self.on == "ratio" else figure
        if value is None:
            return None
        if self.op == "<=":
            return value <= self.value
        if self.op == "<":
            return value < self.value
        return value >= self.value

    def text(self, unit: str) -> str:
        target = f"{self.value:g}x" if self.on == "ratio" else show(self.value, unit)
        return f"{self.on} {self.op} {target} ({self.source})"


@dataclass(frozen=True)
class Row:
    name: str
    figure: float
    unit: str  # ms, s, MB, MiB, MB/s
    baseline: float | None = None  # same unit as the figure, measured in the same run
    baseline_name: str = ""
    ratio: float | None = None
    ratio_means: str = ""  # e.g. "demo/hello" or "sequential/check"
    goal: Goal | None = None
    note: str = ""  # a second view of the figure, e.g. the MB/s of a wall time

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self.figure, self.ratio)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["met"] = self.met
        data["goal_text"] = self.goal.text(self.unit) if self.goal else None
        return data


@dataclass
class Outcome:
    """One benchmark's rows plus its own detailed report (the raw figures)."""

    rows: list[Row] = field(default_factory=list)
    text: str = ""
    skipped: str = ""  # why nothing was measured (tmux or knotd missing)


def show(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit in ("MB", "MiB", "MB/s"):
        return f"{value:.1f} {unit}"
    return f"{value:g} {unit}"

"""Is it safe to move up the DMARC ladder? The verdict, and the evidence it rests on.

Three checks, each with a threshold the operator can change (``Thresholds``):

- enough days of reports at the current stage (the ladder's "at least two weeks");
- the share of aligned mail among the mail that is yours (SES for this identity and the other
  known senders) is high enough, and SES's own mail is among it: moving up punishes the rest;
- no unexplained source above a volume: every large unknown sender must be identified first
  (declared as known if it is yours, or accepted as spoofing by raising the threshold).

The current stage is the one the operator says, or else the one the latest reports show
(``p`` with ``testing=y`` or ``pct=0`` for the test stages, which the ladder publishes together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sesdmarc_tui.core.dmarc.ladder import LADDER, Stage, next_stage
from sesdmarc_tui.core.reports.aggregate import Aggregate, report_day
from sesdmarc_tui.core.reports.model import PolicyPublished, Report

VerdictKind = Literal["ready", "not_ready", "no_data", "final"]
THRESHOLD_KEYS = ("days", "aligned", "unexplained")


@dataclass(frozen=True)
class Thresholds:
    min_days: int = 14
    min_aligned_share: float = 0.98
    max_unexplained: int = 100  # messages from one unexplained source over the period

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.min_days,
            "aligned": round(self.min_aligned_share * 100, 2),
            "unexplained": self.max_unexplained,
        }


def parse_thresholds(items: Sequence[str], base: Thresholds | None = None) -> Thresholds:
    """``["days=21", "aligned=99.5", "unexplained=50"]``; ``ValueError`` says what is wrong."""
    values = (base or Thresholds()).to_json()
    for item in items:
        key, _, raw = item.partition("=")
        key = key.strip().lower()
        if key not in THRESHOLD_KEYS:
            raise ValueError(f"Unknown threshold {key!r}: use {', '.join(THRESHOLD_KEYS)}.")
        try:
            number = float(raw.strip().rstrip("%"))
        except ValueError:
            raise ValueError(f"Threshold {key} needs a number, not {raw!r}.") from None
        if number < 0 or (key == "aligned" and number > 100):
            raise ValueError(f"Threshold {key}={raw} is out of range.")
        values[key] = number
    return Thresholds(
        int(values["days"]), float(values["aligned"]) / 100, int(values["unexplained"])
    )


@dataclass(frozen=True)
class Evidence:
    key: str
    passed: bool
    label: str
    detail: str
    remedy: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.key,
            "passed": self.passed,
            "label": self.label,
            "detail": self.detail,
            "remedy": self.remedy,
        }


@dataclass(frozen=True)
class Readiness:
    verdict: VerdictKind
    summary: str
    stage: Stage | None
    next: Stage | None
    evidence: tuple[Evidence, ...]
    thresholds: Thresholds

    @property
    def ready(self) -> bool:
        return self.verdict == "ready"

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "ready": self.ready,
            "summary": self.summary,
            "stage": {"number": self.stage.number, "key": self.stage.key} if self.stage else None,
            "next_stage": {"number": self.next.number, "key": self.next.key} if self.next else None,
            "evidence": [e.to_json() for e in self.evidence],
            "thresholds": self.thresholds.to_json(),
        }


def stage_of(policy: PolicyPublished) -> Stage | None:
    """The ladder stage a receiver saw, from ``policy_published``."""
    if policy.p == "none":
        return LADDER[0]
    if policy.p == "quarantine":
        return LADDER[1] if policy.test_mode else LADDER[2]
    if policy.p == "reject":
        return LADDER[3] if policy.test_mode else LADDER[4]
    return None


def _days(reports: Sequence[Report], stage: Stage | None) -> int:
    at_stage = [r for r in reports if stage is None or stage_of(r.policy) == stage]
    return len({report_day(r) for r in at_stage})


def _percent(share: float | None) -> str:
    return "no mail" if share is None else f"{share * 100:.1f} %"


def _checks(
    reports: Sequence[Report], agg: Aggregate, stage: Stage | None, limits: Thresholds
) -> list[Evidence]:
    days = _days(reports, stage)
    at = f" at stage {stage.number} ({stage.title})" if stage else ""
    evidence = [
        Evidence(
            "days",
            days >= limits.min_days,
            "Days of reports",
            f"{days} day(s) of reports{at}; {limits.min_days} needed.",
            "Keep collecting reports at this stage." if days < limits.min_days else "",
        )
    ]
    ses = agg.groups["ses"]
    evidence.append(
        Evidence(
            "ses_aligned",
            ses.messages > 0 and (ses.aligned_share or 0) >= limits.min_aligned_share,
            "SES mail aligned",
            f"{_percent(ses.aligned_share)} of {ses.messages:,} SES message(s) passed DMARC.",
            ""
            if ses.messages and (ses.aligned_share or 0) >= limits.min_aligned_share
            else "No SES mail in the reports: check the rua address and send some mail."
            if not ses.messages
            else "Finish DKIM and the custom MAIL FROM (the wizard's steps 3 and 4).",
        )
    )
    exempt = agg.exempt.messages  # failing, but the receivers said forwarder or list
    yours = ses.messages + agg.groups["known"].messages - exempt
    aligned = ses.aligned + agg.groups["known"].aligned
    share = aligned / yours if yours else None
    note = f" ({exempt:,} from forwarders and lists the receivers exempt not counted)"
    evidence.append(
        Evidence(
            "aligned",
            share is not None and share >= limits.min_aligned_share,
            "Your mail aligned",
            f"{_percent(share)} of {yours:,} message(s) from SES and known senders passed "
            f"DMARC; {limits.min_aligned_share * 100:g} % needed" + (note if exempt else "") + ".",
            ""
            if share is not None and share >= limits.min_aligned_share
            else "Fix the senders that fail (see the known senders), or they will be punished.",
        )
    )
    loud = sorted(
        (s for s in agg.sources.values() if s.unexplained > limits.max_unexplained),
        key=lambda s: -s.unexplained,
    )
    shown = ", ".join(f"{s.ip} ({s.unexplained:,})" for s in loud[:3])
    evidence.append(
        Evidence(
            "unexplained",
            not loud,
            "Unexplained sources",
            f"{len(loud)} unknown source(s) sent more than {limits.max_unexplained:,} message(s)"
            + (f": {shown}." if loud else "."),
            "Identify them: declare yours as known senders; if they are spoofers, raise the "
            "unexplained threshold."
            if loud
            else "",
        )
    )
    return evidence


def assess(
    reports: Sequence[Report],
    agg: Aggregate,
    thresholds: Thresholds | None = None,
    *,
    stage: Stage | None = None,
) -> Readiness:
    limits = thresholds or Thresholds()
    if not reports:
        return Readiness(
            "no_data", "No reports yet: nothing supports a change.", stage, None, (), limits
        )
    if stage is None:
        latest = max(reports, key=lambda r: (r.end, r.begin))
        stage = stage_of(latest.policy)
    following = next_stage(stage) if stage else None
    evidence = tuple(_checks(reports, agg, stage, limits))
    if stage is not None and following is None:
        return Readiness(
            "final",
            "At the last stage (reject): keep reading the reports.",
            stage,
            None,
            evidence,
            limits,
        )
    failed = [e for e in evidence if not e.passed]
    target = f"stage {following.number} ({following.title})" if following else "the next stage"
    if failed:
        summary = f"Not ready for {target}: " + "; ".join(e.label.lower() for e in failed) + "."
        return Readiness("not_ready", summary, stage, following, evidence, limits)
    return Readiness(
        "ready", f"Ready for {target}: the reports support it.", stage, following, evidence, limits
    )

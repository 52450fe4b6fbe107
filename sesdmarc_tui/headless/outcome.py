"""What headless ``apply`` did (or, with ``--dry-run``, would do), as data for both outputs.

One :class:`StepOutcome` per wizard step: the plans it showed, the results of the actions it
carried out, its live status, and where it stands:

- ``done``: nothing left to do; ``pending``: waiting for SES or DNS to see what was published;
- ``to_check``: waiting for the operator (records to publish by hand, the test email to check);
- ``planned`` (dry run): these actions would run; ``after_earlier`` (dry run): this step can
  only be planned once the earlier steps' actions have run;
- ``not_started``: left for a later run (``--no-wait``); ``skipped``: not in the config;
- ``failed``: the error in :attr:`ApplyOutcome.error` happened here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sesdmarc_tui.flow.model import ActionResult, FlowError, Plan, StepStatus

StepState = Literal[
    "done", "pending", "to_check", "planned", "after_earlier", "not_started", "skipped", "failed"
]


@dataclass
class StepOutcome:
    step_id: str
    title: str
    state: StepState = "done"
    plans: list[Plan] = field(default_factory=list)
    results: list[ActionResult] = field(default_factory=list)
    status: StepStatus | None = None
    messages: list[str] = field(default_factory=list)
    instructions: list[dict[str, Any]] = field(default_factory=list)  # manual DNS copy kits

    @property
    def writes(self) -> int:
        """Changes carried out: AWS writes and DNS changes, not the records left to publish by
        hand (the audit log marks those ``manual``)."""
        return sum(
            1
            for r in self.results
            if r.ok and r.action.kind != "none" and r.action.params.get("provider") != "manual"
        )

    @property
    def planned_writes(self) -> int:
        return sum(len(p.writes) for p in self.plans)

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step_id,
            "title": self.title,
            "state": self.state,
            "plans": [p.to_json() for p in self.plans if not p.empty or p.blocked or p.notes],
            "results": [
                {"action": r.action.id, "ok": r.ok, "message": r.message, "kind": r.action.kind}
                for r in self.results
            ],
            "status": self.status.to_json() if self.status is not None else None,
            "messages": list(self.messages),
            "instructions": list(self.instructions),
        }


def error_json(error: FlowError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {
        "step": error.step,
        "action": error.action,
        "kind": error.kind,
        "message": error.message,
        "remedy": error.remedy,
    }


@dataclass
class ApplyOutcome:
    config: str
    dry_run: bool = False
    steps: list[StepOutcome] = field(default_factory=list)
    session: str | None = None
    audit: str | None = None
    error: FlowError | None = None
    finished: bool = False

    @property
    def writes(self) -> int:
        return sum(s.writes for s in self.steps)

    @property
    def planned_writes(self) -> int:
        return sum(s.planned_writes for s in self.steps if s.state in ("planned", "failed"))

    @property
    def nothing_to_do(self) -> bool:
        if self.error is not None:
            return False
        if self.dry_run:
            return self.planned_writes == 0 and not any(
                s.state == "after_earlier" for s in self.steps
            )
        return self.writes == 0

    def in_state(self, *states: StepState) -> list[StepOutcome]:
        return [s for s in self.steps if s.state in states]

    @property
    def complete(self) -> bool:
        """Every configured step is done (the test email's check by hand aside)."""
        return self.error is None and not self.in_state(
            "pending", "planned", "after_earlier", "not_started", "failed"
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.error is not None else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "dry_run": self.dry_run,
            "session": self.session,
            "audit_log": self.audit,
            "steps": [s.to_json() for s in self.steps],
            "writes": self.planned_writes if self.dry_run else self.writes,
            "nothing_to_do": self.nothing_to_do,
            "complete": self.complete,
            "finished": self.finished,
            "pending": [s.step_id for s in self.in_state("pending", "not_started")],
            "to_check": [s.step_id for s in self.in_state("to_check")],
            "error": error_json(self.error),
            "exit_code": self.exit_code,
        }

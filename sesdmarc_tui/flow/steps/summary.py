"""Step 8, Summary: every step's live status, the DMARC stage and when to move on, the files.

Nothing is written to AWS or DNS. Applying it marks the session finished when every other
step is done, so ``sesdmarc`` stops offering to resume it.

The cleanup entry (``cleanup_plan``, ``run_cleanup``) is ``sesdmarc cleanup`` for this
session: the same engine, working on the wizard's own state object, so the statuses shown
next reflect what was deleted and no stale copy of the session overwrites it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sesdmarc_tui.core.dmarc import get_stage
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Fact,
    Field,
    FlowError,
    Inspection,
    Level,
    Plan,
    Progress,
    StepStatus,
    no_progress,
)
from sesdmarc_tui.flow.propagation import confirmed_status
from sesdmarc_tui.flow.runner import apply_plan, flow_error
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    DMARC,
    SUMMARY,
    Step,
    complete,
    domain_of,
    expect,
    missing,
    planned,
    profile_of,
    region_of,
)
from sesdmarc_tui.flow.steps.dmarc import next_review

if TYPE_CHECKING:
    from sesdmarc_tui.flow.cleanup import CleanupPlan, CleanupReport

LEVELS: dict[str, Level] = {"done": "ok", "current": "info", "todo": "warn", "attention": "error"}


@dataclass(frozen=True)
class ChecklistItem:
    step_id: str
    title: str
    status: StepStatus


@dataclass(frozen=True, kw_only=True)
class SummaryInspection(Inspection):
    checklist: tuple[ChecklistItem, ...]
    dmarc_stage: int | None
    next_review: str | None
    state_path: Path | None
    audit_path: Path

    @property
    def all_done(self) -> bool:
        return all(item.status.done for item in self.checklist)


def live_status(step: Step, ctx: FlowContext, state: SessionState) -> StepStatus:
    """A step's status, or the failure to read it as an ``attention`` status (never raises).

    A step that cannot be judged because an earlier step is not done yet is ``todo``, not a
    problem: the sidebar must not flag steps the operator has not reached."""
    try:
        return confirmed_status(step, ctx, state)
    except Exception as exc:
        error = flow_error(exc, step=step.id)
        if error.kind == "missing":
            return StepStatus("todo", error.message, error.remedy)
        return StepStatus("attention", f"Status unavailable: {error.message}", error.remedy)


class SummaryStep:
    id = SUMMARY
    title = "Summary"
    help_id = "summary"

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = tuple(steps)

    def fields(self, state: SessionState) -> list[Field]:
        return []

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        checklist = tuple(
            ChecklistItem(s.id, s.title, live_status(s, ctx, state)) for s in self.steps
        )
        facts = [
            Fact(item.title, item.status.message, LEVELS[item.status.kind], item.status.remedy)
            for item in checklist
        ]
        stage = state.resource(DMARC, "stage")
        review = next_review(state)
        if isinstance(stage, int):
            current = get_stage(stage)
            when = f" Consider the next stage from {review[1]}." if review else ""
            facts.append(
                Fact(
                    "DMARC stage",
                    f"{current.number} {current.title}.{when}",
                    "ok",
                    current.advance_when,
                )
            )
        state_path = ctx.store.path_of(state)
        facts.append(Fact("Session file", str(state_path) if state_path else "not saved yet"))
        facts.append(Fact("Audit log", str(ctx.audit.path)))
        return SummaryInspection(
            step_id=self.id,
            facts=tuple(facts),
            checklist=checklist,
            dmarc_stage=stage if isinstance(stage, int) else None,
            next_review=review[1] if review else None,
            state_path=state_path,
            audit_path=ctx.audit.path,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        return Plan(step_id=self.id, inspection=expect(inspection, SummaryInspection))

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, SummaryInspection)
        if found.all_done:
            state.finished = True
            complete(ctx, state, self.id)
        return apply_plan(ctx, state, plan, progress, execute=_nothing)

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        if state.finished:
            return StepStatus("done", "Setup finished.")
        return StepStatus("todo", "Review the checklist.")


def _nothing(_action: object) -> str:
    raise FlowError("The summary has no actions.")


def cleanup_plan(
    ctx: FlowContext, state: SessionState, *, delete_identity: bool = False
) -> CleanupPlan:
    """What ``sesdmarc cleanup`` deletes for this session; reads only (``FlowError``)."""
    # Imported here: flow.cleanup imports flow.steps.base, which loads this package.
    from sesdmarc_tui.flow.cleanup import CleanupRequest, Session, plan_cleanup

    domain, region = domain_of(state), region_of(state)
    if not state.account:
        raise missing("The identity-owner account", "Accounts")
    path = ctx.store.path_of(state)
    request = CleanupRequest(
        domain, region, profile_of(state), delete_identity=delete_identity, state_path=path
    )
    return plan_cleanup(ctx, request, Session(state.account, path, state))


def run_cleanup(
    ctx: FlowContext, plan: CleanupPlan, progress: Progress = no_progress
) -> CleanupReport:
    """Delete what ``plan`` lists (audited, the session updated after each deletion)."""
    from sesdmarc_tui.flow.cleanup import apply_cleanup

    return apply_cleanup(ctx, plan, progress)

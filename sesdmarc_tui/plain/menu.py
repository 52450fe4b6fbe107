"""The question after each step is shown: what can be done now, the likely next move first.

Only layout lives here: which entries make sense given the plan and the status the engine
returned (the same conditions that enable the Textual screen's buttons).
"""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.flow.model import Inspection, Plan, StepStatus

APPLY_LABELS = {"test_email": "Send", "summary": "Finish"}
VERIFY_STEP = "test_email"


@dataclass(frozen=True)
class View:
    """What the page shows now: the last check's results, and the step's neighbours."""

    step_id: str
    inspection: Inspection | None
    plan: Plan | None
    status: StepStatus | None
    has_fields: bool
    previous: str | None
    next: str | None
    sent: bool = False  # the test email went out: its check is offered


def apply_label(view: View) -> str:
    label = APPLY_LABELS.get(view.step_id, "Apply")
    writes = len(view.plan.writes) if view.plan is not None else 0
    if writes and label == "Apply":
        return f"Apply {writes} {'change' if writes == 1 else 'changes'}"
    return "Confirm" if label == "Apply" else label


def should_wait(view: View) -> bool:
    """Worth waiting for: in progress, nothing left to apply, a step with DNS records."""
    plan, status, found = view.plan, view.status, view.inspection
    return (
        plan is not None
        and status is not None
        and found is not None
        and status.kind == "current"
        and plan.empty
        and not plan.blocked
        and bool(found.records)
    )


def entries(view: View, titles: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(value, title, description)`` for each menu entry, in order."""
    found: list[tuple[str, str, str]] = []
    plan = view.plan
    if plan is not None and not plan.blocked:
        found.append(("apply", apply_label(view), "Asks first when anything will be written."))
    if should_wait(view):
        found.append(("wait", "Wait until it is done", "Ctrl-C stops waiting."))
    if view.sent:
        found.append(("verify", "Check the received message", "DKIM, SPF and DMARC."))
    if view.inspection is not None and view.inspection.records:
        found.append(("board", "Show the DNS propagation board", "Asks every server now."))
    if plan is not None and plan.previews:
        found.append(("details", "Show the details", "Policies, diffs, zone snippets."))
    if view.has_fields:
        found.append(("edit", "Change the values", ""))
    found.append(("check", "Check again", "Reads the current state; changes nothing."))
    if view.next is not None:
        found.append(("next", f"Next: {titles[view.next]}", ""))
    if view.previous is not None:
        found.append(("back", f"Back: {titles[view.previous]}", ""))
    found += [
        ("goto", "Go to another step", ""),
        ("help", "Help for this step", ""),
        ("quit", "Quit (the session is saved)", ""),
    ]
    return found


def default_entry(view: View) -> str:
    plan, status = view.plan, view.status
    done = status is not None and status.done
    if plan is not None and not plan.blocked and (plan.writes or not done):
        if view.sent and not plan.writes:
            return "verify"
        if should_wait(view):
            return "wait"
        return "apply"
    return "next" if view.next is not None else "quit"

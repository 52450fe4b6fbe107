"""Carrying a cleanup out: one deletion at a time, each audited, the session updated after it.

The same rules as the wizard's ``runner.apply_plan``: cancellation is honoured between actions,
every action is recorded in the audit log (``ok``, ``error`` or ``manual``) with step
``cleanup``, and the session file is saved right after each one, so an interruption loses at
most the deletion in flight. The session forgets what was deleted (the published record, the
policy, the identity), so the wizard's statuses then tell the truth. With the manual provider
nothing is deleted: the report carries what to delete by hand.
"""

from __future__ import annotations

from pathlib import Path

from sesdmarc_tui.dns.providers.base import ManualInstructions
from sesdmarc_tui.flow.cleanup import actions
from sesdmarc_tui.flow.cleanup.model import STEP, CleanupPlan, CleanupReport
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import Action, ActionResult, FlowError, Progress, no_progress
from sesdmarc_tui.flow.runner import audit_at, flow_error
from sesdmarc_tui.flow.state import SessionState, iso_time
from sesdmarc_tui.flow.steps.base import AUTHORIZATION, DKIM, DMARC, MAIL_FROM
from sesdmarc_tui.flow.store import SessionStore

RECORD_STEPS = (DKIM, MAIL_FROM, DMARC)


def _audit(ctx: FlowContext, plan: CleanupPlan, action: Action, result: str, message: str) -> None:
    # The plan, not a session, says where: cleanup also runs with no session saved.
    where = (plan.account, plan.region, plan.domain)
    audit_at(ctx, where, STEP, action, result=result, message=message)


def _drop_done(state: SessionState, prefix: str) -> None:
    for record in state.steps.values():
        record.done = [key for key in record.done if not key.startswith(prefix)]


def _forget_record(state: SessionState, action: Action) -> None:
    params = action.params
    label = f"{params.get('type')} {params.get('name')}"
    for step_id in RECORD_STEPS:
        published = state.step(step_id).resources.get("published")
        if isinstance(published, dict):
            published.pop(label, None)
    _drop_done(state, f"dns:{params.get('zone')}:{params.get('name')}:{params.get('type')}:")
    if params.get("type") == "TXT" and str(params.get("name", "")).startswith("_dmarc."):
        for key in ("record", "stage", "published_at"):
            state.step(DMARC).resources.pop(key, None)
        state.step(DMARC).completed_at = None


def forget(state: SessionState, action: Action) -> None:
    """Make the session stop claiming what ``action`` just deleted."""
    if action.kind == "dns_change":
        _forget_record(state, action)
    elif action.id.startswith(actions.DELETE_POLICY):
        resources = state.step(AUTHORIZATION).resources
        if resources.get("policy_name") == action.params.get("policy_name"):
            resources.pop("policy_name", None)
            resources.pop("policy", None)
            state.step(AUTHORIZATION).completed_at = None
        _drop_done(state, "ses:policy:")
    elif action.id == actions.RESET_MAIL_FROM:
        for key in ("mail_from_domain", "behavior_on_mx_failure"):
            state.step(MAIL_FROM).resources.pop(key, None)
        state.step(MAIL_FROM).completed_at = None
        _drop_done(state, "ses:mail_from:")
    elif action.id == actions.DELETE_IDENTITY:
        for key in ("identity", "identity_outcome", "selectors", "signing_hosted_zone"):
            state.step(DKIM).resources.pop(key, None)
        state.step(DKIM).completed_at = None
        _drop_done(state, "ses:identity:")
        _drop_done(state, "ses:mail_from:")
    state.finished = False


def _store_for(path: Path, state: SessionState) -> SessionStore | None:
    """The store that saves ``state`` back to ``path`` (a file outside a store is not saved)."""
    store = SessionStore(path.parent.parent)
    return store if path.parent.name == "sessions" and store.path_of(state) == path else None


Outcome = tuple[str, str, ManualInstructions | None]


def _execute(ctx: FlowContext, plan: CleanupPlan, action: Action) -> Outcome:
    """(result, message, manual instructions) of one deletion; raises on failure."""
    if action.kind == "dns_change":
        deletion = plan.dns[action.id]
        result = deletion.provider.apply(deletion.change)
        if deletion.provider.name == "manual":
            return "manual", "to be deleted by hand", result.instructions
        return "ok", f"{deletion.provider.name}: {result.status or 'applied'}", None
    return (*_execute_ses(ctx, plan, action), None)


def _execute_ses(ctx: FlowContext, plan: CleanupPlan, action: Action) -> tuple[str, str]:
    ses = ctx.ses(ctx.session(plan.profile, plan.region))
    if action.id.startswith(actions.DELETE_POLICY):
        name = str(action.params["policy_name"])
        gone = ses.delete_policy(plan.domain, name)
        return "ok", f"Policy {name} deleted." if gone else f"Policy {name} was already gone."
    if action.id == actions.RESET_MAIL_FROM:
        ses.put_mail_from(plan.domain, None)
        return "ok", "SES no longer uses a custom MAIL FROM domain."
    if action.id == actions.DELETE_IDENTITY:
        gone = ses.delete_identity(plan.domain)
        return "ok", "Identity deleted." if gone else "The identity was already gone."
    raise FlowError(f"Unknown cleanup action {action.id!r}.", "Plan the cleanup again.")


def apply_cleanup(
    ctx: FlowContext, plan: CleanupPlan, progress: Progress = no_progress
) -> CleanupReport:
    """Delete what ``plan`` lists, in order; ``FlowError`` (already audited) on a failure."""
    state = plan.session.state
    path = plan.session.path
    store = _store_for(path, state) if state is not None and path is not None else None
    results: list[ActionResult] = []
    manual: list[ManualInstructions] = []
    ctx.cancel_event.clear()
    total = len(plan.actions) or 1
    for index, action in enumerate(plan.actions):
        if ctx.cancelled():
            raise FlowError(
                "Cancelled before: " + action.description,
                "Nothing else was deleted; run the cleanup again to continue.",
                step=STEP,
                action=action.id,
                kind="cancelled",
            )
        progress(action.description, index / total)
        try:
            result, message, instructions = _execute(ctx, plan, action)
        except Exception as exc:
            error = flow_error(exc, step=STEP, action=action.id)
            _audit(ctx, plan, action, "error", error.message)
            raise error from exc
        _audit(ctx, plan, action, result, message)
        if instructions is not None:
            manual.append(instructions)
        if state is not None and result == "ok":
            forget(state, action)
            record = state.step(STEP)
            record.mark_done(action.key)
            state.touch(ctx.now(), STEP)
            record.completed_at = iso_time(ctx.now())
            if store is not None:
                store.save(state, secrets=ctx.known_secrets())
        results.append(ActionResult(action, True, message))
    progress("Done." if results else "Nothing to delete.", 1.0)
    return CleanupReport(
        tuple(results), tuple(manual), store.path_of(state) if store and state else None
    )

"""``apply --dry-run``: every step's plan, from live inspections, with nothing changed.

The run works on a copy of the saved session in a scratch directory, so not even the session
file is touched. Steps whose plan is empty are "applied" on that copy (they only record what
they read: the account, the domain), because the later steps need those facts to plan; a step
with actions is shown and not applied. A later step that depends on them (MAIL FROM needs the
identity that DKIM would create) is reported as ``after_earlier`` with what it waits for,
not as an error: the real run plans it once the earlier actions have run.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import FlowError
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps import Step
from sesdmarc_tui.flow.steps.base import ACCOUNTS, DOMAIN, SUMMARY
from sesdmarc_tui.headless.outcome import ApplyOutcome, StepOutcome
from sesdmarc_tui.headless.session import Listener, Silent, give_inputs, open_session
from sesdmarc_tui.setup_config.load import SetupConfig


def _plan_step(
    wizard: Wizard, cfg: SetupConfig, step: Step, listener: Listener, after: bool
) -> StepOutcome:
    outcome = StepOutcome(step.id, step.title)
    values = cfg.step_values(step.id)
    listener.step(step.id, step.title)
    if values is None:
        listener.note("Not in the config: skipped.")
        outcome.state = "skipped"
        return outcome
    give_inputs(wizard, step.id, values)
    try:
        plan = wizard.plan(step.id)
    except FlowError as exc:
        if not after:
            raise
        outcome.state = "after_earlier"
        outcome.messages.append(f"Planned once the earlier steps have run: {exc.message}")
        listener.note(outcome.messages[-1])
        return outcome
    outcome.plans.append(plan)
    listener.plan(plan)
    if plan.blocked:
        if not after:
            first = plan.blockers[0]
            raise FlowError(first.value, first.remedy, step=step.id, kind="blocked")
        outcome.state = "after_earlier"
        outcome.messages += [
            f"Planned once the earlier steps have run: {b.value}" for b in plan.blockers
        ]
        return outcome
    if not plan.empty:
        outcome.state = "planned"
        return outcome
    # Nothing to write: let the step record what it read, in the scratch session only.
    wizard.apply(step.id, plan)
    status = wizard.status(step.id)
    outcome.status = status
    listener.status(step.id, status)
    outcome.state = "done" if status.done else "pending"
    return outcome


def dry_run(
    ctx: FlowContext,
    cfg: SetupConfig,
    validated: SessionState,
    listener: Listener | None = None,
) -> ApplyOutcome:
    """Plan ``cfg`` against the live world; no AWS or DNS write, no file written."""
    shown = listener if listener is not None else Silent()
    outcome = ApplyOutcome(config=cfg.file, dry_run=True)
    with tempfile.TemporaryDirectory(prefix="sesdmarc-dry-run-") as scratch_dir:
        scratch = dataclasses.replace(ctx, state_dir=Path(scratch_dir))
        try:
            domain = validated.domain or validated.value(DOMAIN, "domain")
            wizard = open_session(scratch, cfg.step_values(ACCOUNTS) or {}, domain, saved=ctx.store)
            saved = ctx.store.path_for(
                wizard.state.account or "", wizard.state.region or "", domain
            )
            outcome.session = str(saved) if saved.exists() else None
            after = False
            for step in wizard.steps:
                if step.id == SUMMARY:
                    continue
                item = _plan_step(wizard, cfg, step, shown, after)
                outcome.steps.append(item)
                after = after or item.state == "planned"
        except FlowError as error:
            outcome.error = error
            if error.step is not None:
                outcome.steps.append(StepOutcome(error.step, error.step, state="failed"))
    return outcome

"""Headless apply: the wizard's steps, in order, with the config's values, without a screen.

Three phases, because only one step needs what the others set up to be verified:

1. Publish: every step up to Authorization runs ``Wizard.run_step`` (inspect, plan, apply,
   again while applying uncovers more, as DKIM does once SES returns its tokens). A step whose
   live status then says "waiting" (DKIM PENDING, MAIL FROM PENDING, records left to publish by
   hand) is noted; a status that needs attention (FAILED) stops the run.
2. Wait (``wait=True``): ``Wizard.wait_until_done`` on each waiting step, with progress lines
   and one deadline for all (``timeout`` seconds from the start of the waiting).
   ``wait=False`` stops here and reports what is pending.
3. Send: the test email (sent as the delegate, which needs the verified identity), checked
   when the environment can fetch it (the sandbox's mailbox), then the Summary, which marks
   the session finished when every step is done.

Every write goes through the steps' own plans, so a second run writes nothing ("nothing to
do"), and a run interrupted anywhere continues from the saved session and live inspections.
Ctrl-C stops between two actions (``headless.interrupt``): the run checks for it before each
step, each apply round and each wait, and leaves with ``KeyboardInterrupt``. The setup's lock
(``flow.lock``) is taken when the session opens and given back when the run ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import FlowError, Plan, StepStatus
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps import Step
from sesdmarc_tui.flow.steps.base import ACCOUNTS, DOMAIN, SUMMARY, TEST_EMAIL
from sesdmarc_tui.headless.interrupt import run_stoppable
from sesdmarc_tui.headless.outcome import ApplyOutcome, StepOutcome
from sesdmarc_tui.headless.session import Listener, Silent, give_inputs, open_session
from sesdmarc_tui.setup_config.load import SetupConfig

# Steps that run only once every earlier step is done (phase 3).
AFTER_WAIT = (TEST_EMAIL, SUMMARY)
DEFAULT_TIMEOUT = 3600.0
MESSAGE_POLL = 2.0
FRONT_END = "sesdmarc apply"
# While stopping, a wait's sleep is cut into slices this long (in the context's clock units).
SLEEP_SLICE = 0.25
Halt = Callable[[], None]


def _no_halt() -> None:
    pass


def _state_of(status: StepStatus, step: Step) -> StepOutcome:
    outcome = StepOutcome(step.id, step.title, status=status)
    if status.kind == "attention":
        raise FlowError(status.message, status.remedy, step=step.id, kind="attention")
    outcome.state = "done" if status.done else "pending"
    return outcome


def _run(
    wizard: Wizard, cfg: SetupConfig, step: Step, listener: Listener, halt: Halt = _no_halt
) -> StepOutcome:
    halt()
    values = cfg.step_values(step.id)
    listener.step(step.id, step.title)
    if values is None:
        listener.note("Not in the config: skipped.")
        return StepOutcome(step.id, step.title, state="skipped")
    give_inputs(wizard, step.id, values)

    def confirm(plan: Plan) -> bool:
        halt()  # DKIM's second round must not start after a Ctrl-C during its first
        listener.plan(plan)
        return True

    run = wizard.run_step(step.id, progress=listener.progress, confirm=confirm)
    outcome = _state_of(run.status, step)
    outcome.plans = list(run.plans)
    for report in run.reports:
        outcome.results += report.results
        outcome.messages += report.messages
        for result in report.results:
            listener.result(result)
        if report.instructions is not None:
            outcome.instructions.append(report.instructions.to_json())
            listener.note("Publish these records at your DNS host (zone-file form):")
            for line in report.instructions.zone_snippet.splitlines():
                listener.note(f"  {line}")
        if report.waiting:
            outcome.state = "to_check"
    if not any(r.results for r in run.reports):
        listener.note("Nothing to do.")
    listener.status(step.id, run.status)
    return outcome


def _wait(wizard: Wizard, outcome: StepOutcome, deadline: float, listener: Listener) -> StepOutcome:
    listener.waiting(outcome.step_id, outcome.title)
    remaining = max(deadline - time.monotonic(), 0.0)
    status = wizard.wait_until_done(outcome.step_id, remaining, listener.progress)
    listener.status(outcome.step_id, status)
    outcome.status = status
    if status.kind == "attention":
        raise FlowError(status.message, status.remedy, step=outcome.step_id, kind="attention")
    if not status.done:
        raise FlowError(
            f"Still waiting after the time allowed: {status.message}",
            "Run the same command again later (with a longer --timeout): nothing done so far "
            "is repeated.",
            step=outcome.step_id,
            kind="timeout",
        )
    outcome.state = "done"
    return outcome


def _check_message(
    wizard: Wizard, outcome: StepOutcome, deadline: float, listener: Listener, halt: Halt
) -> None:
    """Fetch and check the test message where the environment can (the sandbox's mailbox)."""
    if wizard.ctx.mailbox is None or wizard.status(TEST_EMAIL).done:
        if outcome.state != "done":
            outcome.state = "to_check"
            outcome.messages.append(
                "Check the received test message: paste it in the wizard's Test email step, "
                "or run `sesdmarc verify-message FILE` on the saved message."
            )
        return
    listener.waiting(TEST_EMAIL, outcome.title)
    while True:
        halt()
        try:
            wizard.verify_message()
            break
        except FlowError as exc:
            if time.monotonic() >= deadline:
                raise
            listener.progress(f"{exc.message} Checking again in {MESSAGE_POLL:g} s.", None)
            wizard.ctx.sleep(MESSAGE_POLL)
    status = wizard.status(TEST_EMAIL)
    listener.status(TEST_EMAIL, status)
    updated = _state_of(status, wizard.step(TEST_EMAIL))
    outcome.status, outcome.state = updated.status, updated.state


def apply_config(
    ctx: FlowContext,
    cfg: SetupConfig,
    validated: SessionState,
    listener: Listener | None = None,
    *,
    wait: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    on_session: Callable[[Wizard], None] | None = None,
) -> ApplyOutcome:
    """Apply ``cfg`` (``validated``: its inputs as ``validate_config`` returned them).

    Raises ``KeyboardInterrupt`` after Ctrl-C, once the action in flight is recorded.
    """
    stopping = threading.Event()
    ctx.front_end = ctx.front_end or FRONT_END

    def stop() -> None:
        stopping.set()
        ctx.cancel_event.set()

    def halt() -> None:
        if stopping.is_set():
            raise KeyboardInterrupt

    original_sleep = ctx.sleep

    def sleep(delay: float) -> None:
        # Waits are long (SES checks DNS every few minutes); Ctrl-C must not wait them out.
        remaining = delay
        while remaining > 0 and not stopping.is_set():
            original_sleep(min(remaining, SLEEP_SLICE))
            remaining -= SLEEP_SLICE

    def run() -> ApplyOutcome:
        try:
            return _apply(
                ctx,
                cfg,
                validated,
                listener,
                wait=wait,
                timeout=timeout,
                on_session=on_session,
                halt=halt,
            )
        finally:
            ctx.locks.release_all()  # the run is over, in the worker: nothing writes any more

    ctx.sleep = sleep
    try:
        return run_stoppable(run, stop)
    finally:
        ctx.sleep = original_sleep


def _apply(
    ctx: FlowContext,
    cfg: SetupConfig,
    validated: SessionState,
    listener: Listener | None,
    *,
    wait: bool,
    timeout: float,
    on_session: Callable[[Wizard], None] | None,
    halt: Halt,
) -> ApplyOutcome:
    shown = listener if listener is not None else Silent()
    outcome = ApplyOutcome(config=cfg.file, audit=str(ctx.audit.path))
    deadline = time.monotonic() + timeout  # set again when the waiting starts
    wizard: Wizard | None = None
    try:
        domain = validated.domain or validated.value(DOMAIN, "domain")
        wizard = open_session(ctx, cfg.step_values(ACCOUNTS) or {}, domain)
        if on_session is not None:
            on_session(wizard)
        for step in wizard.steps:
            if step.id not in AFTER_WAIT:
                outcome.steps.append(_run(wizard, cfg, step, shown, halt))
        waiting = outcome.in_state("pending", "to_check")
        if waiting and not wait:
            for step_id in AFTER_WAIT[:-1]:
                if cfg.step_values(step_id) is not None:
                    later = wizard.step(step_id)
                    outcome.steps.append(StepOutcome(step_id, later.title, state="not_started"))
            return _finish(outcome, wizard)
        deadline = time.monotonic() + timeout
        for item in waiting:
            halt()
            _wait(wizard, item, deadline, shown)
        test = _run(wizard, cfg, wizard.step(TEST_EMAIL), shown, halt)
        outcome.steps.append(test)
        if test.state != "skipped":
            _check_message(wizard, test, deadline, shown, halt)
        halt()
        wizard.run_step(SUMMARY)
    except FlowError as error:
        halt()  # stopped by Ctrl-C (a cancelled apply, a wait cut short): not a failure
        outcome.error = error
        failed = next((s for s in outcome.steps if s.step_id == error.step), None)
        if failed is not None:
            if error.kind != "timeout":  # still waiting, not failed: it keeps its state
                failed.state = "failed"
        elif error.step is not None:
            outcome.steps.append(StepOutcome(error.step, _title(wizard, error.step), "failed"))
    return _finish(outcome, wizard)


def _title(wizard: Wizard | None, step_id: str) -> str:
    by_id = {s.id: s.title for s in wizard.steps} if wizard is not None else {}
    return by_id.get(step_id, step_id.replace("_", " ").capitalize())


def _finish(outcome: ApplyOutcome, wizard: Wizard | None) -> ApplyOutcome:
    if wizard is not None:
        path = wizard.state_path
        outcome.session = str(path) if path is not None else None
        outcome.finished = wizard.state.finished
    return outcome

"""The wizard: the steps in order, the session they share, and the inspect-plan-apply loop.

Front ends drive one :class:`Wizard`. Every method blocks (AWS, DNS, disk), so a Textual front
end calls them from ``@work(thread=True)`` and posts messages from the ``progress`` callback;
the line mode and headless ``apply`` call them directly. Every failure leaves as
:class:`FlowError` (message + remedy), never as a botocore or dnspython exception.

Idempotence: plans come from live inspections, so a step whose work is done plans nothing and
re-running it writes nothing; what cannot be inspected (a sent test email) is remembered in
the session by its idempotency key.

One wizard per setup: before the first write for an (account, region, domain) (a save, an
apply, loading a saved session to continue it) the wizard takes the setup's lock
(``flow.lock``), so a second wizard on the same setup is refused with who holds it, rather
than saving its copy of the session over the first one's. ``close`` gives the lock back; a
process that ends in any other way loses it to the kernel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Field,
    FlowError,
    InputError,
    Inspection,
    Plan,
    Progress,
    StepStatus,
    no_progress,
)
from sesdmarc_tui.flow.propagation import confirmed_status
from sesdmarc_tui.flow.runner import flow_error, save
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps import Step, default_steps
from sesdmarc_tui.flow.steps.base import DOMAIN, TEST_EMAIL
from sesdmarc_tui.flow.steps.summary import live_status
from sesdmarc_tui.flow.steps.test_email import TestEmailStep
from sesdmarc_tui.flow.store import Resumable

if TYPE_CHECKING:
    from sesdmarc_tui.core.message import MessageReport

Confirm = Callable[[Plan], bool]
# A step whose plan is still not empty after this many rounds is waiting for someone else
# (SES, DNS propagation, the operator); the loop stops and the status says what for.
MAX_ROUNDS = 3


@dataclass(frozen=True)
class StepRun:
    """What ``run_step`` did: every plan shown, every report, and the status at the end."""

    step_id: str
    inspection: Inspection
    plans: tuple[Plan, ...]
    reports: tuple[ApplyReport, ...]
    status: StepStatus
    declined: bool = False


class Wizard:
    def __init__(
        self,
        ctx: FlowContext,
        state: SessionState | None = None,
        *,
        steps: Sequence[Step] | None = None,
    ) -> None:
        self.ctx = ctx
        self.state = state if state is not None else SessionState.new(ctx.now())
        self.steps: tuple[Step, ...] = tuple(steps) if steps is not None else default_steps()
        self._by_id = {s.id: s for s in self.steps}
        self._claimed: Path | None = None
        if self.state.current_step not in self._by_id:
            self.state.current_step = self.steps[0].id

    @classmethod
    def from_saved(cls, ctx: FlowContext, path: Path) -> Wizard:
        """A wizard continuing the session saved at ``path`` (``FlowError`` if unusable)."""
        with _translated(None):
            wizard = cls(ctx, ctx.store.load(path))
            wizard.claim()
            return wizard

    # -- navigation ---------------------------------------------------------------------------

    def step(self, step_id: str) -> Step:
        try:
            return self._by_id[step_id]
        except KeyError:
            raise FlowError(f"There is no step {step_id!r}.") from None

    @property
    def current(self) -> Step:
        return self.step(self.state.current_step or self.steps[0].id)

    def go_to(self, step_id: str) -> Step:
        step = self.step(step_id)
        self.state.current_step = step.id
        self._save()
        return step

    def next_after(self, step_id: str) -> Step | None:
        ids = [s.id for s in self.steps]
        index = ids.index(self.step(step_id).id)
        return self.steps[index + 1] if index + 1 < len(ids) else None

    def resume(self) -> Step:
        """Go to the first step whose live status is not done (the summary when all are)."""
        for step in self.steps:
            if not live_status(step, self.ctx, self.state).done:
                return self.go_to(step.id)
        return self.go_to(self.steps[-1].id)

    @property
    def state_path(self) -> Path | None:
        return self.ctx.store.path_of(self.state)

    @property
    def audit_path(self) -> Path:
        return self.ctx.audit.path

    # -- inputs -------------------------------------------------------------------------------

    def fields(self, step_id: str) -> list[Field]:
        """The step's fields with defaults filled: the value given before, else a suggestion."""
        step = self.step(step_id)
        given = self.state.inputs(step.id)
        filled: list[Field] = []
        for item in step.fields(self.state):
            default = given.get(item.key)
            if default is None and item.kind == "secret":
                default = "" if item.key not in self.ctx.secrets else None
            if default is None and item.suggest is not None:
                with _translated(step.id):
                    default = item.suggest(self.ctx, self.state)
            filled.append(dataclasses.replace(item, default=default or item.default))
        return filled

    def set_inputs(self, step_id: str, values: Mapping[str, object]) -> dict[str, InputError]:
        """Validate and keep the values; returns the refused ones by key (others are kept).

        Values are taken in order, and the fields are listed again after each one, so a value
        may belong to a field that an earlier value brought in (the provider's own fields after
        ``provider``). Secret fields go to ``FlowContext.secrets`` only.
        """
        step = self.step(step_id)
        errors: dict[str, InputError] = {}
        inputs = self.state.inputs(step.id)
        changed = False
        for key, raw in values.items():
            spec = next((f for f in step.fields(self.state) if f.key == key), None)
            if spec is None:
                errors[key] = InputError(f"{step.title} has no field {key!r}.", field=key)
                continue
            try:
                value = spec.validate(raw)
            except InputError as exc:
                errors[key] = exc
                continue
            if spec.kind == "secret":
                self.ctx.secrets[key] = value
                changed = True
            elif inputs.get(key) != value:
                inputs[key] = value
                changed = True
        if changed:
            # Clients need no reset: the context caches them by profile, region and provider.
            self.state.touch(self.ctx.now(), step.id)
            self._save()
        return errors

    # -- one step -----------------------------------------------------------------------------

    def inspect(self, step_id: str) -> Inspection:
        step = self.step(step_id)
        with _translated(step.id):
            return step.inspect(self.ctx, self.state)

    def plan(self, step_id: str, inspection: Inspection | None = None) -> Plan:
        step = self.step(step_id)
        with _translated(step.id):
            found = inspection if inspection is not None else step.inspect(self.ctx, self.state)
            return step.plan(self.ctx, self.state, found)

    def apply(self, step_id: str, plan: Plan, progress: Progress = no_progress) -> ApplyReport:
        step = self.step(step_id)
        if plan.step_id != step.id:
            raise FlowError(f"This plan belongs to the step {plan.step_id!r}.", step=step.id)
        if step.id == DOMAIN:
            domain = getattr(plan.inspection, "domain", None)
            self.claim(domain if isinstance(domain, str) else None)
            self._refuse_other_session(plan)
        else:
            self.claim()
        self.ctx.cancel_event.clear()
        with _translated(step.id):
            if plan.actions:  # a log that cannot be written is refused before any change
                self.ctx.audit.check_writable()
            report = step.apply(self.ctx, self.state, plan, progress)
        self._save()  # what the step recorded after its last action (resources, completion)
        return report

    def status(self, step_id: str) -> StepStatus:
        """The live status; a DNS step is done only once every name server serves its records."""
        step = self.step(step_id)
        with _translated(step.id):
            return confirmed_status(step, self.ctx, self.state)

    def checklist(self) -> list[tuple[Step, StepStatus]]:
        return [(s, live_status(s, self.ctx, self.state)) for s in self.steps]

    def verify_message(self, raw: bytes | None = None) -> MessageReport:
        """Check the received test message (``raw``, or fetched from ``FlowContext.mailbox``)
        and record the verdict, which the Test email step's status then shows."""
        step = self.step(TEST_EMAIL)
        if not isinstance(step, TestEmailStep):
            raise FlowError("This wizard has no Test email step to verify a message for.")
        self.claim()
        with _translated(step.id):
            return step.verify(self.ctx, self.state, raw)

    def cancel(self) -> None:
        """Stop ``apply`` before its next action and ``wait_until_done`` at its next check."""
        self.ctx.cancel_event.set()

    def run_step(
        self,
        step_id: str,
        progress: Progress = no_progress,
        confirm: Confirm = lambda _plan: True,
    ) -> StepRun:
        """Inspect, plan, confirm, apply; again while applying uncovers more to do.

        DKIM needs two rounds (the identity, then the CNAMEs built from its tokens). A declined
        confirmation stops before any write. A blocked plan raises ``FlowError``.
        """
        step = self.go_to(step_id)
        plans: list[Plan] = []
        reports: list[ApplyReport] = []
        inspection = self.inspect(step.id)
        for _ in range(MAX_ROUNDS):
            plan = self.plan(step.id, inspection)
            plans.append(plan)
            if plan.blocked:
                first = plan.blockers[0]
                raise FlowError(first.value, first.remedy, step=step.id, kind="blocked")
            if not plan.empty and not confirm(plan):
                return StepRun(
                    step.id,
                    inspection,
                    tuple(plans),
                    tuple(reports),
                    self.status(step.id),
                    declined=True,
                )
            report = self.apply(step.id, plan, progress)
            reports.append(report)
            if plan.empty or report.waiting:
                break
            inspection = self.inspect(step.id)
        return StepRun(step.id, inspection, tuple(plans), tuple(reports), self.status(step.id))

    def wait_until_done(
        self, step_id: str, timeout: float, progress: Progress = no_progress
    ) -> StepStatus:
        """Poll the live status with back-off until done, attention, cancel or ``timeout``."""
        step = self.step(step_id)
        self.ctx.cancel_event.clear()
        delays = iter(self.ctx.poll_delays)
        waited = 0.0
        last = self.ctx.poll_delays[-1] if self.ctx.poll_delays else 1.0
        while True:
            current = self.status(step.id)
            if current.kind in ("done", "attention") or waited >= timeout:
                return current
            delay = min(next(delays, last), max(timeout - waited, 0.0))
            progress(f"{current.message} Checking again in {_seconds(delay)}.", None)
            self.ctx.sleep(delay)
            waited += delay
            if self.ctx.cancelled():
                return current

    # -- sessions -----------------------------------------------------------------------------

    def offer(self, domain: str) -> Resumable | None:
        """An unfinished saved setup (another session) for this account, region and domain."""
        if not (self.state.account and self.state.region):
            return None
        found = self.ctx.store.find_resumable(self.state.account, self.state.region, domain)
        if found is None or (found.state and found.state.session_id == self.state.session_id):
            return None
        return found

    def start_over(self, domain: str) -> Path | None:
        """Keep the saved setup for ``domain`` aside (renamed, never deleted); return its path."""
        found = self.offer(domain)
        if found is None:
            return None
        return self.ctx.store.set_aside(found.path)

    def _refuse_other_session(self, plan: Plan) -> None:
        domain = getattr(plan.inspection, "domain", None)
        if isinstance(domain, str) and self.offer(domain) is not None:
            raise FlowError(
                f"An unfinished setup for {domain} in {self.state.account}/{self.state.region} "
                "is saved already.",
                "Resume it to continue where it stopped, or start over: the saved setup is then "
                "kept aside under a new name, never deleted.",
                step=DOMAIN,
                kind="resumable",
            )

    def claim(self, domain: str | None = None) -> None:
        """Hold the lock of this setup (``domain`` or the session's); ``FlowError`` of kind
        ``locked`` naming the holder when another process has it. A no-op until the account,
        region and domain are all known, since no file exists before."""
        account, region = self.state.account, self.state.region
        domain = domain or self.state.domain
        if not (account and region and domain):
            return
        with _translated(None):
            try:
                path = self.ctx.store.claim(
                    self.ctx.locks, (account, region, domain), front_end=self.ctx.front_end
                )
            except ValueError:
                return  # not a name a session file can have: nothing will be saved either
        if self._claimed is not None and self._claimed != path:
            self.ctx.locks.release(self._claimed)  # the operator moved to another domain
        self._claimed = path

    def close(self) -> None:
        """Give back the setup locks this wizard's context holds (quit, Ctrl-C, errors)."""
        self.ctx.locks.release_all()
        self._claimed = None

    def _save(self) -> None:
        self.claim()
        with _translated(None):
            save(self.ctx, self.state)


def _seconds(delay: float) -> str:
    """``0.2 s``, ``2.5 s``, ``13 s``: a delay as people read it, without float noise."""
    if delay >= 9.95:
        return f"{delay:.0f} s"
    return f"{delay:.1f}".removesuffix(".0") + " s"


@contextmanager
def _translated(step_id: str | None) -> Iterator[None]:
    try:
        yield
    except FlowError as exc:
        exc.step = exc.step or step_id
        raise
    except Exception as exc:
        raise flow_error(exc, step=step_id) from exc

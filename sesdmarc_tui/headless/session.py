"""Which session a headless run continues, and handing a config's values to the wizard.

``apply`` uses the wizard's own session file for the config's (account, region, domain), so a
run interrupted at any point, or a setup started in the wizard, continues where it stopped,
and the test email sent once is never sent again. The account is only known once the owner's
credentials are read, so the Accounts step (read-only) runs first on a new session, and the
saved one, if any, is loaded afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import ActionResult, FlowError, Plan, StepStatus
from sesdmarc_tui.flow.state import SessionState, StateError
from sesdmarc_tui.flow.steps.base import ACCOUNTS
from sesdmarc_tui.flow.store import SessionStore


class Listener(Protocol):
    """Receives what happens, as it happens (the CLI prints it; tests may record it)."""

    def step(self, step_id: str, title: str) -> None: ...

    def waiting(self, step_id: str, title: str) -> None:
        """The run now waits for this step's live status (progress lines follow)."""

    def plan(self, plan: Plan) -> None: ...

    def progress(self, message: str, fraction: float | None = None) -> None: ...

    def result(self, result: ActionResult) -> None: ...

    def status(self, step_id: str, status: StepStatus) -> None: ...

    def note(self, text: str) -> None: ...


class Silent:
    """A listener that shows nothing."""

    def step(self, step_id: str, title: str) -> None:
        pass

    def waiting(self, step_id: str, title: str) -> None:
        pass

    def plan(self, plan: Plan) -> None:
        pass

    def progress(self, message: str, fraction: float | None = None) -> None:
        pass

    def result(self, result: ActionResult) -> None:
        pass

    def status(self, step_id: str, status: StepStatus) -> None:
        pass

    def note(self, text: str) -> None:
        pass


def give_inputs(wizard: Wizard, step_id: str, values: Mapping[str, object]) -> None:
    """Make the step's inputs exactly the config's: values set, inputs it does not name removed.

    The config describes the whole setup, so a value typed in the wizard earlier and left out
    of the file goes back to the step's default. Values were validated when the config was
    loaded; a refusal here (it would be a bug) is a ``FlowError``.
    """
    stored = wizard.state.inputs(step_id)
    for key in [k for k in stored if k not in values]:
        del stored[key]
    errors = wizard.set_inputs(step_id, values)
    if errors:
        key, error = next(iter(errors.items()))
        raise FlowError(f"{key}: {error.message}", error.hint, step=step_id, kind="input")


def copy_state(state: SessionState) -> SessionState:
    return SessionState.from_json(state.to_json())


def open_session(
    ctx: FlowContext,
    accounts: Mapping[str, object],
    domain: str,
    *,
    saved: SessionStore | None = None,
) -> Wizard:
    """The wizard for (the owner's account, region, ``domain``): the saved session, else new.

    ``saved`` is where sessions are looked up when it is not ``ctx.store``: a dry run reads
    the real store but works on a copy in a scratch one, so it writes no file.
    """
    probe = Wizard(ctx)
    give_inputs(probe, ACCOUNTS, accounts)
    probe.run_step(ACCOUNTS)  # read-only: records the account and region (not saved: no domain)
    account, region = probe.state.account, probe.state.region
    if not account or not region:
        raise FlowError("The owner's account could not be read.", step=ACCOUNTS)
    store = saved if saved is not None else ctx.store
    try:
        path = store.path_for(account, region, domain)
    except ValueError as exc:
        raise FlowError(str(exc), step=ACCOUNTS) from None
    if saved is None:
        # Before any write: a second `apply` (or a wizard) on this setup is refused here.
        probe.claim(domain)
    if not (path.exists() or path.is_symlink()):
        return probe
    try:
        state = store.load(path)
    except StateError as exc:
        raise FlowError(
            exc.message,
            f"{exc.remedy} Move {path} aside to start a new session from the config.".strip(),
            kind=exc.kind,
        ) from None
    return Wizard(ctx, copy_state(state) if saved is not None else state)

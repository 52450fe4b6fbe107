"""Driving the wizard through Pilot, one step at a time, as an operator would with keys.

Shared by the Pilot tests, the snapshot tests' ``run_before`` and the benchmarks. Every helper
waits for the workers it started and for the messages they posted (``settle``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from screens.app import SesdmarcApp
from screens.widgets.confirm_diff import ConfirmDiff
from tests.tui.world import DOMAIN, RECIPIENT, REGION

STEPS = (
    "accounts",
    "domain",
    "dkim",
    "mail_from",
    "reports",
    "dmarc",
    "authorization",
    "test_email",
)

_ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(pilot: Pilot[int]) -> None:
    """Wait for workers, then for what they posted (which may start more workers)."""
    app = pilot.app
    quiet = 0
    for _ in range(60):
        # Screens handle failures, and leaving a screen cancels its workers.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        # A worker just created is PENDING, not running; and what a finished worker posted
        # may start another one pass later: settled means quiet twice in a row (a loaded
        # machine showed both).
        if any(w.state in _ACTIVE for w in app.workers):
            quiet = 0
        else:
            quiet += 1
            if quiet == 2:
                return


def screen_step(pilot: Pilot[int]) -> str:
    return str(getattr(pilot.app.screen, "step_id", type(pilot.app.screen).__name__))


async def press(pilot: Pilot[int], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def next_step(pilot: Pilot[int]) -> None:
    pilot.app.screen.set_focus(None)  # "n" would be typed into a focused input
    await press(pilot, "n")


async def check(pilot: Pilot[int]) -> None:
    await press(pilot, "f5")


async def apply(pilot: Pilot[int], *, confirm: bool = True) -> bool:
    """F6; answers the diff confirmation when one shows. Returns whether one showed."""
    await press(pilot, "f6")
    if isinstance(pilot.app.screen, ConfirmDiff):
        await press(pilot, "y" if confirm else "n")
        return True
    return False


def set_value(pilot: Pilot[int], key: str, value: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{key}")
    if isinstance(widget, Select | Input):
        widget.value = value
    elif isinstance(widget, SelectionList):
        widget.deselect_all()
        for item in value.split(","):
            widget.select(item)
    else:
        raise AssertionError(f"no settable field {key}")


async def fill(pilot: Pilot[int], values: dict[str, str]) -> None:
    """Set fields in order, settling after each (a choice may bring its own fields)."""
    for key, value in values.items():
        set_value(pilot, key, value)
        await settle(pilot)


async def until(pilot: Pilot[int], done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait for something timers bring about (status polling, board rounds)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)
        await settle(pilot)


async def accounts(pilot: Pilot[int]) -> None:
    set_value(pilot, "region", REGION)
    await settle(pilot)
    await check(pilot)
    await apply(pilot)


async def domain(pilot: Pilot[int]) -> None:
    set_value(pilot, "domain", DOMAIN)
    await check(pilot)
    await apply(pilot)


async def dkim(pilot: Pilot[int]) -> list[str]:
    """Create the identity, then publish the CNAMEs; returns the DKIM status after each."""
    app = pilot.app
    assert isinstance(app, SesdmarcApp)
    seen = [app.wizard.status("dkim").message]
    await apply(pilot)  # CreateEmailIdentity
    seen.append(app.wizard.status("dkim").message)
    await apply(pilot)  # the three CNAMEs
    seen.append(app.wizard.status("dkim").message)
    return seen


async def checked_apply(pilot: Pilot[int]) -> None:
    await check(pilot)
    await apply(pilot)


async def test_email(pilot: Pilot[int]) -> None:
    set_value(pilot, "delegate_profile", "delegate")
    set_value(pilot, "to", RECIPIENT)
    await check(pilot)
    await apply(pilot)
    await press(pilot, "f7")  # fetch the received message and check it


ACTIONS = {
    "accounts": accounts,
    "domain": domain,
    "dkim": dkim,
    "mail_from": checked_apply,
    "reports": checked_apply,  # the default: skip, nothing written
    "dmarc": checked_apply,
    "authorization": checked_apply,
    "test_email": test_email,
}


async def walk(pilot: Pilot[int], first: str = "accounts", last: str = "test_email") -> None:
    """Complete the steps from ``first`` (the screen showing) to ``last``, pressing n between;
    ends on ``last``'s screen."""
    await settle(pilot)
    steps = STEPS[STEPS.index(first) : STEPS.index(last) + 1]
    for index, step in enumerate(steps):
        assert screen_step(pilot) == step, (screen_step(pilot), step)
        await ACTIONS[step](pilot)
        if index + 1 < len(steps):
            await next_step(pilot)

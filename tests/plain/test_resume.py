"""Resume across front ends, and Ctrl-C in the middle of an apply, in the sandbox.

The first half of a setup is made with the engine calls the Textual screens make, in their
order (``screens/steps/work.py``: ``go_to`` when a step opens, ``set_inputs`` then inspect
and plan on Check, ``apply`` then inspect and plan again, the status polled); the line mode
then picks the saved session up from disk and finishes the work without repeating any write.
"""

from __future__ import annotations

import _thread
from pathlib import Path
from typing import Any

from sesdmarc_tui.dns.providers.base import ApplyResult, ChangePlan, DnsProvider, ProgressFn
from sesdmarc_tui.flow.context import FlowContext, ProviderConfig
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.plain.run import run_line_mode
from tests.support.piped import CLEAR, ENTER, answered, flat, recording_console
from tests.support.sandbox_setup import DOMAIN, MAIL_FROM_DOMAIN, REGION, sandbox_context


def like_the_screens(wizard: Wizard, step_id: str, values: dict[str, object]) -> None:
    wizard.go_to(step_id)
    if values:
        assert wizard.set_inputs(step_id, values) == {}
    for _ in range(2):  # DKIM: the identity, then its CNAMEs
        plan = wizard.plan(step_id, wizard.inspect(step_id))
        if plan.empty and step_id not in ("accounts", "domain"):
            break
        wizard.apply(step_id, plan)
    wizard.plan(step_id, wizard.inspect(step_id))
    assert wizard.wait_until_done(step_id, timeout=20).done


def test_line_mode_resumes_a_textual_session(sandbox: Any, tmp_path: Path) -> None:
    first = Wizard(sandbox_context(sandbox, tmp_path / "data"))
    like_the_screens(first, "accounts", {"profile": sandbox.profiles.owner, "region": REGION})
    like_the_screens(first, "domain", {"domain": DOMAIN, "provider": "route53"})
    like_the_screens(first, "dkim", {})
    like_the_screens(first, "mail_from", {"subdomain": MAIL_FROM_DOMAIN})
    first.go_to("dmarc")  # the operator pressed Next, then closed the app
    before = [e["action"] for e in first.ctx.audit.entries()]
    assert len(before) == 7

    ctx = sandbox_context(sandbox, tmp_path / "data")  # a new process
    console, out = recording_console()
    keys = [
        ENTER,  # "Unfinished setups are saved here": resume the first
        ENTER, ENTER,  # Reports inbox, still to decide: skip (then done), Next
        *[ENTER] * 6,  # DMARC's fields: the defaults
        ENTER, "y",  # Apply 1 change
        "Quit", ENTER,  # typed to filter the menu
    ]  # fmt: skip
    assert answered(keys, lambda: run_line_mode(console, ctx)) == 0
    text = flat(out.getvalue())
    assert "Step 5 of 9 · Reports inbox" in text and "Step 3 of 9" not in text
    assert "Step 6 of 9 · DMARC" in text
    assert "Quit. The session is saved in" in text
    after = [e["action"] for e in ctx.audit.entries()]
    assert after == [*before, f"dmarc.dns.txt._dmarc.{DOMAIN}"]  # nothing redone
    state = ctx.store.load(first.state_path)  # type: ignore[arg-type]
    assert state.session_id == first.state.session_id
    assert isinstance(state.resource("dmarc", "record"), str)


class InterruptingProvider:
    """The real provider; its first write sends Ctrl-C to the main thread, then finishes."""

    def __init__(self, inner: DnsProvider, ctx: FlowContext) -> None:
        self.inner, self.ctx, self.name = inner, ctx, inner.name
        self.writes = 0

    @property
    def zone(self) -> str:
        return self.inner.zone

    def read(self, keys: Any) -> Any:
        return self.inner.read(keys)

    def plan(self, desired: Any, *, remove: Any = ()) -> ChangePlan:
        return self.inner.plan(desired, remove=remove)

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        self.writes += 1
        if self.writes == 1:
            _thread.interrupt_main()
            assert self.ctx.cancel_event.wait(10), "the line mode did not ask to stop"
        return self.inner.apply(plan, on_progress)

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        return self.inner.wait(applied, timeout)


def test_ctrl_c_during_apply_stops_between_actions(sandbox: Any, tmp_path: Path) -> None:
    ctx = sandbox_context(sandbox, tmp_path / "data")
    real = ctx.dns_provider

    def interrupting(c: FlowContext, config: ProviderConfig, domain: str) -> DnsProvider:
        return InterruptingProvider(real(c, config, domain), c)

    ctx.dns_provider = interrupting
    console, out = recording_console()
    keys = [
        ENTER, ENTER, ENTER, ENTER,  # Accounts
        f"{CLEAR}{DOMAIN}{ENTER}", ENTER, ENTER, ENTER, ENTER, ENTER,  # Domain
        ENTER, "y",  # DKIM: the identity
        ENTER, "y",  # the three CNAMEs: Ctrl-C arrives during the first
    ]  # fmt: skip
    assert answered(keys, lambda: run_line_mode(console, ctx)) == 130
    text = flat(out.getvalue())
    assert "Stopping after the action in progress" in text, out.getvalue()[-600:]
    assert "Stopped. Every finished action is recorded; nothing is half-done." in text

    audit = [e["action"] for e in ctx.audit.entries()]
    assert audit[0] == "dkim.create_identity" and len(audit) == 2  # one CNAME, then stop
    resumed = Wizard.from_saved(sandbox_context(sandbox, tmp_path / "data"), Path(_path(ctx)))
    published = resumed.state.resource("dkim", "published")
    assert isinstance(published, dict) and len(published) == 1
    assert resumed.resume().id == "dkim"
    assert len(resumed.plan("dkim").actions) == 2  # the other two, and nothing else


def _path(ctx: FlowContext) -> str:
    [path] = list((ctx.state_dir / "sessions").glob("*.json"))
    return str(path)

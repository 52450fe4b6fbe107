"""Carrying out a plan: one action at a time, each audited and followed by a state save.

Every step's ``apply`` goes through :func:`apply_plan`, so the rules hold everywhere: a blocked
plan writes nothing; each action is recorded in the audit log (``ok`` or ``error``) and the
session is saved atomically right after it, so an interruption loses at most the action in
flight; cancellation is honoured between actions, never in the middle of one.

DNS actions are applied here for every step, one record set per provider call, so a crash
between two records leaves the first published and recorded. With the manual provider nothing
is written: the operator gets the copy material and the step waits for DNS to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    Action,
    ActionResult,
    ApplyReport,
    FlowError,
    InputError,
    JsonValue,
    Plan,
    Progress,
)
from sesdmarc_tui.flow.state import SessionState, StateError

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import DnsProvider, ManualInstructions

Execute = Callable[[Action], str]
"""Carries out one non-DNS action and returns a one-line result; raises on failure."""


def flow_error(
    exc: BaseException, *, step: str | None = None, action: str | None = None
) -> FlowError:
    """Any failure the engine expects, as a :class:`FlowError` with message and remedy."""
    from sesdmarc_tui.aws.errors import AwsError
    from sesdmarc_tui.dns.providers.errors import DnsProviderError

    if isinstance(exc, FlowError):
        exc.step = exc.step or step
        exc.action = exc.action or action
        return exc
    if isinstance(exc, AwsError):
        return FlowError(exc.message, exc.remedy, step=step, action=action, kind=exc.kind.value)
    if isinstance(exc, DnsProviderError):
        return FlowError(exc.message, exc.remedy, step=step, action=action, kind=exc.kind.value)
    if isinstance(exc, InputError):
        return FlowError(exc.message, exc.hint, step=step, action=action, kind="input")
    if isinstance(exc, StateError):
        return FlowError(exc.message, exc.remedy, step=step, action=action, kind=exc.kind)
    if isinstance(exc, ValueError):
        # core's DomainError, RecordError, PolicyInputError: ValueError with message and hint.
        message = str(getattr(exc, "message", "") or exc)
        return FlowError(
            message, str(getattr(exc, "hint", "")), step=step, action=action, kind="input"
        )
    return FlowError(
        f"Unexpected error: {type(exc).__name__}: {exc}",
        "Report this with the audit log.",
        step=step,
        action=action,
        kind="unexpected",
    )


def save(ctx: FlowContext, state: SessionState) -> None:
    ctx.store.save(state, secrets=ctx.known_secrets())


def audit(
    ctx: FlowContext,
    state: SessionState,
    step_id: str,
    action: Action,
    *,
    result: str,
    message: str,
) -> None:
    where = (state.account, state.region, state.domain)
    audit_at(ctx, where, step_id, action, result=result, message=message)


def audit_at(
    ctx: FlowContext,
    where: tuple[str | None, str | None, str | None],
    step_id: str,
    action: Action,
    *,
    result: str,
    message: str,
) -> None:
    """One audit line for ``action`` in (account, region, domain), secrets redacted."""
    account, region, domain = where
    ctx.audit.record(
        now=ctx.now(),
        account=account,
        region=region,
        domain=domain,
        step=step_id,
        action=action.id,
        call=action.call,
        parameters=action.params,
        result="ok" if result == "ok" else ("manual" if result == "manual" else "error"),
        message=message,
        secrets=ctx.known_secrets(),
    )


def _published(state: SessionState, step_id: str, action: Action) -> None:
    record = state.step(step_id).resources
    published = record.get("published")
    table: dict[str, JsonValue] = dict(published) if isinstance(published, dict) else {}
    params = action.params
    table[f"{params.get('type')} {params.get('name')}"] = {
        "values": params.get("values"),
        "ttl": params.get("ttl"),
        "zone": params.get("zone"),
        "provider": params.get("provider"),
    }
    record["published"] = table


def _apply_dns(provider: DnsProvider, plan: Plan, action: Action, progress: Progress) -> str:
    from sesdmarc_tui.dns.providers.base import ChangePlan

    assert plan.dns is not None
    key = (str(action.params.get("name")), str(action.params.get("type")))
    change = next((c for c in plan.dns.writes if c.key == key), None)
    if change is None:
        raise FlowError(f"The plan has no DNS change for {key[1]} {key[0]}.", "Plan again.")
    single = ChangePlan(plan.dns.provider, plan.dns.zone, (change,), ())
    result = provider.apply(single, lambda line: progress(line, None))
    return f"{provider.name}: {result.status or 'applied'}"


def apply_plan(
    ctx: FlowContext,
    state: SessionState,
    plan: Plan,
    progress: Progress,
    *,
    execute: Execute,
    provider: DnsProvider | None = None,
) -> ApplyReport:
    """Carry out ``plan`` (see the module docstring); raise :class:`FlowError` on failure."""
    with ctx.notices_to(lambda text: progress(text, None)):
        return _apply_plan(ctx, state, plan, progress, execute=execute, provider=provider)


def _apply_plan(
    ctx: FlowContext,
    state: SessionState,
    plan: Plan,
    progress: Progress,
    *,
    execute: Execute,
    provider: DnsProvider | None,
) -> ApplyReport:
    step_id = plan.step_id
    if plan.blocked:
        first = plan.blockers[0]
        raise FlowError(first.value, first.remedy, step=step_id, kind="blocked")
    results: list[ActionResult] = []
    instructions: ManualInstructions | None = None
    manual = provider is not None and provider.name == "manual"
    waiting = manual and any(a.kind == "dns_change" for a in plan.actions)
    total = len(plan.actions) or 1
    for index, action in enumerate(plan.actions):
        if ctx.cancelled():
            raise FlowError(
                "Cancelled before: " + action.description,
                "Nothing else was changed; run the step again to continue.",
                step=step_id,
                action=action.id,
                kind="cancelled",
            )
        progress(action.description, index / total)
        try:
            if action.kind == "dns_change" and manual:
                if instructions is None:
                    assert provider is not None and plan.dns is not None
                    instructions = provider.apply(
                        plan.dns, lambda line: progress(line, None)
                    ).instructions
                audit(
                    ctx, state, step_id, action, result="manual", message="to be published by hand"
                )
                results.append(ActionResult(action, True, "to be published by hand"))
                continue
            if action.kind == "dns_change":
                if provider is None:
                    raise FlowError("No DNS provider for this plan.", "Plan again.")
                message = _apply_dns(provider, plan, action, progress)
                _published(state, step_id, action)
            else:
                message = execute(action)
        except Exception as exc:
            error = flow_error(exc, step=step_id, action=action.id)
            audit(ctx, state, step_id, action, result="error", message=error.message)
            state.touch(ctx.now(), step_id)
            save(ctx, state)
            raise error from exc
        state.step(step_id).mark_done(action.key)
        state.touch(ctx.now(), step_id)
        audit(ctx, state, step_id, action, result="ok", message=message)
        save(ctx, state)
        results.append(ActionResult(action, True, message))
    progress("Done." if results else "Nothing to change.", 1.0)
    state.touch(ctx.now(), step_id)
    save(ctx, state)
    messages = tuple(instructions.steps) if instructions is not None else ()
    return ApplyReport(
        step_id=step_id,
        results=tuple(results),
        instructions=instructions,
        waiting=waiting,
        messages=messages,
    )

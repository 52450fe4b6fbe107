"""Planning a cleanup: find the session, read SES and DNS, and list exactly what to delete.

Nothing is written here. DNS removals go through the provider's own planner with the wizard's
values as the values to remove (``DnsProvider.plan(remove=...)``), so a record set that also
holds someone else's values is updated, not deleted, and a value that is not exactly the
wizard's is never touched: it is reported under "left in place" with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sesdmarc_tui.aws.ses import same_policy
from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.providers.base import Action as ChangeKind
from sesdmarc_tui.dns.providers.base import ChangePlan, RecordChange
from sesdmarc_tui.flow.cleanup import actions
from sesdmarc_tui.flow.cleanup.model import (
    STEP,
    CleanupPlan,
    CleanupRequest,
    DnsDeletion,
    Session,
)
from sesdmarc_tui.flow.cleanup.owned import Owned, from_state, matched
from sesdmarc_tui.flow.context import FlowContext, ProviderConfig
from sesdmarc_tui.flow.model import Action, Fact, FlowError
from sesdmarc_tui.flow.runner import flow_error
from sesdmarc_tui.flow.state import StateError
from sesdmarc_tui.flow.steps.base import DOMAIN, provider_config
from sesdmarc_tui.flow.steps.publish import change_action


def find_session(ctx: FlowContext, request: CleanupRequest) -> Session:
    """The caller's account and the saved setup for (account, region, domain), if any."""
    try:
        account = ctx.session(request.profile, request.region).caller_identity().account
        path = request.state_path or ctx.store.path_for(account, request.region, request.domain)
        if request.state_path is None and not path.exists():
            return Session(account)
        state = ctx.store.load(path)
    except StateError as exc:
        raise FlowError(
            exc.message,
            exc.remedy or "Give the right file with --state, or move it aside.",
            kind="input",
        ) from None
    except FlowError:
        raise
    except Exception as exc:
        raise flow_error(exc, step=STEP) from exc
    wanted = (account, request.region, request.domain)
    if state.key is not None and state.key != wanted:
        raise FlowError(
            f"The session in {path} is for {'/'.join(state.key)}, not {'/'.join(wanted)}.",
            "Pick the matching --profile and --region, or the right --state file.",
            kind="input",
        )
    return Session(account, Path(path), state)


def _config(request: CleanupRequest, session: Session) -> ProviderConfig:
    state = session.state
    if state is not None and request.provider is None and state.provider:
        return provider_config(state)
    zone = state.resource(DOMAIN, "zone") if state is not None else None
    kind = request.provider or "route53"
    if kind == "rfc2136":
        raise FlowError(
            "RFC 2136 cleanup needs the session state (it names the server and the key).",
            "Give the session file with --state, or use --provider manual.",
            kind="input",
        )
    return ProviderConfig(
        kind=kind,
        profile=request.profile if kind == "route53" else None,
        region=request.region if kind == "route53" else None,
        zone=zone if isinstance(zone, str) else None,
    )


def _left_alone(change: RecordChange) -> Fact | None:
    """Why a value the wizard published is not deleted (someone changed or merged it)."""
    old = change.old
    if old is None or not old.values:
        return None
    label = f"{change.rtype} {change.name}"
    if change.rtype == "TXT" and any("include:amazonses.com" in v for v in old.values):
        return Fact(
            label,
            "The SPF record holds other mechanisms too (sesdmarc merged into it): left in place.",
            "warn",
            "Remove include:amazonses.com from it by hand if SES no longer sends for this name.",
        )
    return Fact(
        label,
        "Holds other values than the ones sesdmarc published: left in place.",
        "info",
    )


def _dns(
    ctx: FlowContext, config: ProviderConfig, domain: str, records: Sequence[DnsRecord]
) -> tuple[list[Action], dict[str, DnsDeletion], list[Fact]]:
    found: list[Action] = []
    deletions: dict[str, DnsDeletion] = {}
    kept: list[Fact] = []
    groups: dict[str, list[DnsRecord]] = {}
    for record in records:
        dmarc = record.name.startswith("_dmarc.")
        target = record.name.removeprefix("_dmarc.") if dmarc else domain
        groups.setdefault(target, []).append(record)
    for target, group in groups.items():
        provider = ctx.provider(config, target)
        plan = provider.plan([], remove=group)
        for change in plan.changes:
            if change.action is ChangeKind.UNCHANGED:
                fact = _left_alone(change)
                if fact is not None:
                    kept.append(fact)
                continue
            action = change_action(STEP, plan.provider, plan.zone, change)
            found.append(action)
            single = ChangePlan(plan.provider, plan.zone, (change,), ())
            deletions[action.id] = DnsDeletion(provider, single)
        kept.extend(
            Fact(f"{r.rtype} {r.name}", f"Left in place: {r.reason}.", "warn", r.remedy)
            for r in plan.refused
        )
    return found, deletions, kept


def _policies(
    owned: Owned, live: dict[str, str], plan: CleanupPlan
) -> tuple[list[Action], list[Fact], list[Fact]]:
    found: list[Action] = []
    kept: list[Fact] = []
    notes: list[Fact] = []
    for name, live_text in live.items():
        if name not in owned.policies:
            kept.append(Fact(f"Policy {name}", "Not created by sesdmarc: left in place.", "info"))
            continue
        found.append(actions.delete_policy(plan, name))
        wrote = owned.policies[name]
        if wrote is not None and not same_policy(wrote, live_text):
            notes.append(
                Fact(
                    f"Policy {name}",
                    "It was changed after sesdmarc wrote it; it is deleted all the same.",
                    "warn",
                )
            )
    return found, kept, notes


def _identity(
    request: CleanupRequest, owned: Owned, identity: IdentityStatus | None, plan: CleanupPlan
) -> tuple[list[Action], list[Fact], list[Fact]]:
    if identity is None:
        return [], [], [Fact("SES identity", f"{plan.domain} does not exist in {plan.region}.")]
    if not request.delete_identity:
        note = Fact(
            "SES identity",
            "Kept (--delete-identity removes it). Without its DKIM records SES stops verifying it.",
            "info",
        )
        reset = owned.mail_from is not None and identity.mail_from.domain == owned.mail_from
        return ([actions.reset_mail_from(plan, owned.mail_from or "")] if reset else []), [], [note]
    if owned.identity_created is False:
        kept = Fact(
            "SES identity",
            "It existed before sesdmarc adopted it: left in place.",
            "warn",
            "Delete it in the SES console if nothing else uses it.",
        )
        return [], [kept], []
    notes = []
    if owned.identity_created is None:
        notes.append(
            Fact(
                "SES identity",
                "No session says who created it; deleted because --delete-identity was given.",
                "warn",
            )
        )
    return [actions.delete_identity(plan)], [], notes


def plan_cleanup(
    ctx: FlowContext, request: CleanupRequest, session: Session | None = None
) -> CleanupPlan:
    """Read SES and DNS and list what to delete; ``FlowError`` when it cannot be read."""
    session = session or find_session(ctx, request)
    try:
        ses = ctx.ses(ctx.session(request.profile, request.region))
        identity = ses.get_identity(request.domain)
        live = ses.get_policies(request.domain) if identity is not None else {}
        state = session.state
        owned = (
            from_state(state, identity, request.region)
            if state is not None
            else matched(identity, request.domain, request.region)
        )
        plan = CleanupPlan(
            request.domain, request.region, session.account, owned.source, session, request.profile
        )
        policy_actions, policy_kept, policy_notes = _policies(owned, live, plan)
        id_actions, id_kept, id_notes = _identity(request, owned, identity, plan)
        dns_actions, deletions, dns_kept = (
            _dns(ctx, _config(request, session), request.domain, owned.records)
            if owned.records
            else ([], {}, [])
        )
    except FlowError as exc:
        exc.step = exc.step or STEP
        raise
    except Exception as exc:
        raise flow_error(exc, step=STEP) from exc
    return CleanupPlan(
        request.domain,
        request.region,
        session.account,
        owned.source,
        session,
        request.profile,
        actions=(*policy_actions, *id_actions, *dns_actions),
        kept=(*policy_kept, *id_kept, *dns_kept),
        notes=(*owned.notes, *policy_notes, *id_notes),
        dns=deletions,
    )

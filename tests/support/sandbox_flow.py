"""The flow engine on the sandbox, with every write counted: shared by the flow, headless, TUI and reports tests.

``sandbox_context`` is the context ``sesdmarc`` builds from the environment, pointed at an
in-process sandbox, with botocore event hooks on every AWS session (owner and delegates) and a
counting wrapper on every DNS provider. SES pacing is off: it is right against AWS and only
slows tests down here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.dns.providers.base import ApplyResult, ChangePlan, DnsProvider, ProgressFn
from sesdmarc_tui.flow.context import DelegateChoice, FlowContext, ProviderConfig

WRITE_PREFIXES = ("Create", "Put", "Update", "Delete")
WRITE_NAMES = frozenset({"ChangeResourceRecordSets", "SendEmail", "SendRawEmail"})


def is_write(operation: str) -> bool:
    return operation.startswith(WRITE_PREFIXES) or operation in WRITE_NAMES


@dataclass
class Writes:
    """AWS writes as (operation, parameters JSON) and DNS record sets written, in order."""

    aws: list[tuple[str, str]] = field(default_factory=list)
    dns: list[tuple[str, ...]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # every AWS operation, reads included

    def hook(self, session: AwsSession) -> AwsSession:
        def record(model: Any, params: dict[str, Any], **_: Any) -> None:
            self.calls.append(model.name)
            if is_write(model.name):
                self.aws.append((model.name, json.dumps(params, sort_keys=True, default=str)))

        # Clients inherit the handlers of the boto3 session they are made from.
        session._boto.events.register("before-parameter-build.*.*", record)
        return session

    def ops(self) -> list[str]:
        return [op for op, _ in self.aws]

    def total(self) -> int:
        return len(self.aws) + len(self.dns)


class CountingProvider:
    """The real provider, with every record set it is asked to write recorded."""

    def __init__(self, inner: DnsProvider, writes: Writes) -> None:
        self.inner, self.writes, self.name = inner, writes, inner.name

    @property
    def zone(self) -> str:
        return self.inner.zone

    def read(self, keys: Iterable[tuple[str, str]]) -> Any:
        return self.inner.read(keys)

    def plan(self, desired: Any, *, remove: Any = ()) -> ChangePlan:
        return self.inner.plan(desired, remove=remove)

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        for change in plan.writes:
            values = change.new.values if change.new else ()
            self.writes.dns.append((change.name, change.rtype, *values))
        return self.inner.apply(plan, on_progress)

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        return self.inner.wait(applied, timeout)


def sandbox_context(box: Any, state_dir: Path, writes: Writes) -> FlowContext:
    ctx = FlowContext.from_environment(
        box.profiles.owner,
        box.region,
        nameservers=[box.nameserver],
        authoritative=[box.dns.auth_address],
        state_dir=state_dir,
        clock=box.clock.now,
        mailbox=box.mailbox.fetch,
    )
    owner, delegate, provider = ctx.owner_session, ctx.delegate_session, ctx.dns_provider

    def counted_provider(c: FlowContext, config: ProviderConfig, domain: str) -> DnsProvider:
        return CountingProvider(provider(c, config, domain), writes)

    def counted_delegate(o: AwsSession, choice: DelegateChoice) -> AwsSession:
        return writes.hook(delegate(o, choice))

    ctx.owner_session = lambda profile, region: writes.hook(owner(profile, region))
    ctx.delegate_session = counted_delegate
    ctx.dns_provider = counted_provider
    ctx.ses_adapter = lambda s: SesAdapter(s, pacer=Pacer(0.0))
    ctx.poll_delays = (0.05, 0.1, 0.2)
    return ctx

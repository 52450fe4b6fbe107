"""The TUI over the real sandbox: moto with the SES shim, DNS servers on loopback, a mailbox.

The context is the one ``sesdmarc`` builds from the environment (``from_environment``), pointed
at the sandbox as ``sesdmarc demo`` points it, with counters on every AWS session and DNS
provider so a test can tell which writes happened.
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


@dataclass
class Writes:
    aws: list[str] = field(default_factory=list)
    dns: list[tuple[str, ...]] = field(default_factory=list)

    def hook(self, session: AwsSession) -> AwsSession:
        def record(model: Any, params: dict[str, Any], **_: Any) -> None:
            if model.name.startswith(WRITE_PREFIXES) or model.name in WRITE_NAMES:
                self.aws.append(f"{model.name} {json.dumps(params, sort_keys=True, default=str)}")

        session._boto.events.register("before-parameter-build.*.*", record)
        return session

    def ops(self) -> list[str]:
        return [entry.split(" ", 1)[0] for entry in self.aws]


class CountingProvider:
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
    # SES's one call a second is right against AWS; in the sandbox it only slows the test.
    ctx.ses_adapter = lambda s: SesAdapter(s, pacer=Pacer(0.0))
    ctx.poll_delays = (0.1, 0.2, 0.3)
    return ctx

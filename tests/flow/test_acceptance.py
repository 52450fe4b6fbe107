"""Acceptance of the step engine in the sandbox (moto + SES shim + real DNS servers).

(1) Accounts to a delivered, verified test email: DKIM is PENDING once the identity exists and
turns SUCCESS only after its CNAMEs are published through Route 53 (the sandbox's SES checks
its own authoritative DNS). (2) The wizard stops after MAIL FROM; a new one starts from the
saved state file, resumes at DMARC and finishes, and none of the writes made before the
interruption is made again: AWS writes are counted with botocore event hooks on every session
the wizard builds, DNS writes at the provider's ``apply``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.dns.providers.base import DnsProvider
from sesdmarc_tui.flow.context import DelegateChoice, FlowContext, ProviderConfig
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import Plan
from sesdmarc_tui.flow.propagation import Propagation
from sesdmarc_tui.flow.steps.senders import who_may_send
from tests.support.sandbox_flow import CountingProvider, Writes

world = pytest.importorskip("sesdmarc_tui.sandbox.world")

DOMAIN = "example.com"
REGION = "eu-west-1"
RECIPIENT = f"ops@{DOMAIN}"  # verified through the domain identity: fine in the SES sandbox


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box


def context(box: Any, state_dir: Path, writes: Writes) -> FlowContext:
    """The real environment's context pointed at the sandbox, with write counters added."""

    def mailbox(message_id: str) -> bytes | None:
        try:
            return bytes(box.mailbox.get(message_id).raw)
        except KeyError:
            return None

    ctx = FlowContext.from_environment(
        box.profiles.owner,
        box.region,
        nameservers=[box.nameserver],
        authoritative=[box.dns.auth_address],  # the board's name server, on its own port
        state_dir=state_dir,
        clock=box.clock.now,
        mailbox=mailbox,
    )
    owner_session, delegate_session, provider = (
        ctx.owner_session,
        ctx.delegate_session,
        ctx.dns_provider,
    )

    def counted_owner(profile: str | None, region: str) -> AwsSession:
        return writes.hook(owner_session(profile, region))

    def counted_delegate(owner: AwsSession, choice: DelegateChoice) -> AwsSession:
        return writes.hook(delegate_session(owner, choice))

    def counted_provider(c: FlowContext, config: ProviderConfig, domain: str) -> DnsProvider:
        return CountingProvider(provider(c, config, domain), writes)

    ctx.owner_session = counted_owner
    ctx.delegate_session = counted_delegate
    ctx.dns_provider = counted_provider
    # SES's 1-call-per-second pacing is right against AWS; here it would only slow the tests.
    ctx.ses_adapter = lambda s: SesAdapter(s, pacer=Pacer(0.0))
    ctx.poll_delays = (0.05, 0.1, 0.2)
    return ctx


def accounts_and_domain(wizard: Wizard, box: Any) -> None:
    assert wizard.set_inputs("accounts", {"profile": box.profiles.owner, "region": REGION}) == {}
    wizard.run_step("accounts")
    assert wizard.state.account == box.world.management.id
    assert wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"}) == {}
    wizard.run_step("domain")


async def dkim_and_mail_from(wizard: Wizard) -> None:
    create = wizard.plan("dkim")
    assert [a.id for a in create.actions] == ["dkim.create_identity"]
    wizard.apply("dkim", create)
    pending = wizard.inspect("dkim")
    assert next(f for f in pending.facts if f.label == "DKIM status").value.startswith("PENDING")
    publish = wizard.plan("dkim")
    assert len(publish.actions) == 3 and all(a.kind == "dns_change" for a in publish.actions)
    assert wizard.status("dkim").kind == "current"  # still PENDING: nothing published yet
    wizard.apply("dkim", publish)
    assert wizard.wait_until_done("dkim", timeout=10).done  # SUCCESS once SES sees them

    board = Propagation(wizard.ctx, DOMAIN)
    seen = await board.round(pending.records)
    assert all(row.published for row in seen.rows), [row.state for row in seen.rows]

    wizard.set_inputs("mail_from", {"subdomain": "mail", "behavior": "USE_DEFAULT_VALUE"})
    run = wizard.run_step("mail_from")
    assert [a.kind for a in run.plans[0].actions] == ["dns_change", "dns_change", "aws_write"]
    assert wizard.wait_until_done("mail_from", timeout=10).done


def the_rest(wizard: Wizard, box: Any) -> None:
    skipped = wizard.run_step("reports")  # optional, not asked for: skipped, nothing planned
    assert skipped.status.done and all(p.empty for p in skipped.plans)
    wizard.set_inputs("dmarc", {"stage": "1", "rua": f"dmarc-reports@{DOMAIN}"})
    assert wizard.run_step("dmarc").status.done
    marketing = box.world.account("marketing")
    wizard.set_inputs("authorization", {"scope": "ou_subtree", "targets": marketing.ou_id})
    assert wizard.run_step("authorization").status.done
    sender = f"test@{DOMAIN}"
    ctx, state = wizard.ctx, wizard.state
    assert who_may_send(ctx, state, marketing.id, from_address=sender).allowed
    engineering = box.world.account("engineering").id
    assert not who_may_send(ctx, state, engineering, from_address=sender).allowed
    delegate_profile = box.profiles.delegate_for("marketing")
    wizard.set_inputs("test_email", {"delegate_profile": delegate_profile, "to": RECIPIENT})
    assert wizard.run_step("test_email").status.kind == "current"  # sent, not yet checked
    report = wizard.verify_message()
    assert report.dkim_aligned_pass_relaxed and report.dmarc.ours == "pass"
    assert wizard.status("test_email").done
    assert wizard.run_step("summary").status.done


async def test_whole_flow_to_a_verified_test_email(sandbox: Any, tmp_path: Path) -> None:
    writes = Writes()
    wizard = Wizard(context(sandbox, tmp_path / "data", writes))
    accounts_and_domain(wizard, sandbox)
    await dkim_and_mail_from(wizard)
    the_rest(wizard, sandbox)

    assert wizard.state.finished
    assert writes.ops() == [
        "CreateEmailIdentity",
        *["ChangeResourceRecordSets"] * 5,  # three CNAMEs, the MX, the SPF TXT
        "PutEmailIdentityMailFromAttributes",
        "ChangeResourceRecordSets",  # DMARC
        "CreateEmailIdentityPolicy",
        "SendEmail",
    ]
    [send] = [params for op, params in writes.aws if op == "SendEmail"]
    assert f"arn:aws:ses:{REGION}:{sandbox.world.management.id}:identity/{DOMAIN}" in send
    entries = list(wizard.ctx.audit.entries())
    assert len(entries) == 10 and {e["result"] for e in entries} == {"ok"}


async def test_resume_after_mail_from_repeats_no_write(sandbox: Any, tmp_path: Path) -> None:
    state_dir = tmp_path / "data"
    before = Writes()
    first = Wizard(context(sandbox, state_dir, before))
    accounts_and_domain(first, sandbox)
    await dkim_and_mail_from(first)
    path = first.state_path
    assert path is not None and path.exists()
    assert before.ops() == [
        "CreateEmailIdentity",
        *["ChangeResourceRecordSets"] * 5,
        "PutEmailIdentityMailFromAttributes",
    ]
    assert len(before.dns) == 5
    del first  # the interruption: only the state file and the world remain

    after = Writes()
    resumed = Wizard.from_saved(context(sandbox, state_dir, after), path)
    assert resumed.resume().id == "reports"  # the optional step comes next, then DMARC
    confirmed: list[Plan] = []

    def confirm(plan: Plan) -> bool:
        confirmed.append(plan)
        return True

    for step in ("accounts", "domain", "dkim", "mail_from"):
        assert resumed.run_step(step, confirm=confirm).status.done, step
    assert confirmed == [] and after.aws == [] and after.dns == []  # re-run: nothing to do
    the_rest(resumed, sandbox)

    assert set(before.aws).isdisjoint(after.aws)
    assert set(before.dns).isdisjoint(after.dns)
    assert after.ops() == [
        "ChangeResourceRecordSets",
        "CreateEmailIdentityPolicy",
        "SendEmail",
    ]
    assert [name for name, *_ in after.dns] == [f"_dmarc.{DOMAIN}"]
    assert resumed.state.finished

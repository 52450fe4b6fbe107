"""Aggregate reports end to end in the sandbox: collection to S3, mail, reports, the verdict.

The wizard's engine sets up the domain (DKIM, MAIL FROM), then the reports collection (bucket,
policy, receipt rule, MX) and the DMARC record pointing at it; a delegate sends the test email;
the sandbox's receivers report on it over two weeks, and SES stores their messages in the
bucket; reading the bucket gives the verdict the DMARC step and the Summary show. Running the
collection again writes nothing; reading again downloads nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import InputError
from sesdmarc_tui.flow.reports.reading import last_verdict, read_for_wizard
from sesdmarc_tui.flow.reports.setup import ReportsCollectionStep, collection_rua
from tests.support.sandbox_flow import Writes, sandbox_context

DOMAIN = "example.com"
REGION = "eu-west-1"
ADDRESS = f"dmarc@reports.{DOMAIN}"


@pytest.fixture(scope="module")
def box() -> Iterator[Any]:
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as sandbox:
        yield sandbox


@pytest.fixture
def env(box: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in box.env().items():
        monkeypatch.setenv(name, value)


def wizard_in(box: Any, state_dir: Path, writes: Writes) -> Wizard:
    ctx = sandbox_context(box, state_dir, writes)
    wizard = Wizard(ctx)
    assert not wizard.set_inputs("accounts", {"profile": box.profiles.owner, "region": REGION})
    wizard.run_step("accounts")
    assert not wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"})
    wizard.run_step("domain")
    wizard.run_step("dkim")
    assert wizard.wait_until_done("dkim", timeout=20).done
    assert not wizard.set_inputs("mail_from", {"subdomain": f"mail.{DOMAIN}"})
    wizard.run_step("mail_from")
    assert wizard.wait_until_done("mail_from", timeout=20).done
    return wizard


def test_collection_mail_reports_and_the_verdict(box: Any, env: None, tmp_path: Path) -> None:
    from sesdmarc_tui.sandbox.reports import send_reports

    writes = Writes()
    wizard = wizard_in(box, tmp_path / "state", writes)
    assert not wizard.set_inputs("reports", {"collect": "ses"})
    with pytest.raises(InputError):
        ReportsCollectionStep().fields(wizard.state)[2].validate("eu-south-1")
    assert not wizard.set_inputs("reports", {"address": ADDRESS, "region": REGION})

    before = len(writes.aws)
    run = wizard.run_step("reports")
    assert run.status.done, run.status
    ops = writes.ops()[before:]
    assert ops == [
        "CreateBucket",
        "PutPublicAccessBlock",
        "PutBucketPolicy",
        "CreateReceiptRuleSet",
        "CreateReceiptRule",
        "ChangeResourceRecordSets",  # the MX, last (SetActiveReceiptRuleSet is not counted)
    ]
    assert (f"reports.{DOMAIN}", "MX", "10 inbound-smtp.eu-west-1.amazonaws.com") in writes.dns

    # Idempotent: a second run plans nothing and writes nothing.
    aws_before, dns_before = len(writes.aws), len(writes.dns)
    assert wizard.plan("reports").empty
    wizard.run_step("reports")
    assert (len(writes.aws), len(writes.dns)) == (aws_before, dns_before)

    rua = collection_rua(wizard.state)
    assert rua == f"mailto:{ADDRESS}"
    assert wizard.state.resource("reports", "external_record") is None  # same organisation
    rua_field = next(f for f in wizard.fields("dmarc") if f.key == "rua")
    assert rua_field.default == rua  # the DMARC step proposes the collection address
    assert not wizard.set_inputs("dmarc", {"stage": "1"})
    assert wizard.run_step("dmarc").status.done
    assert not wizard.set_inputs("authorization", {"scope": "organization"})
    assert wizard.run_step("authorization").status.done

    delegate = next(iter(box.delegate_profiles))
    assert not wizard.set_inputs(
        "test_email", {"delegate_profile": delegate, "to": f"dmarc-check@{DOMAIN}"}
    )
    wizard.run_step("test_email")
    assert len(box.mailbox) == 1

    sent = send_reports(box, days=15)
    assert sent.refused == [] and len(sent.delivered) == 45

    source = str(wizard.state.resource("reports", "source"))
    analysis, collected = read_for_wizard(wizard.ctx, wizard.state, source)
    assert "45 new object(s) read" in collected.description
    assert len(analysis.reports) == 45 and not analysis.problems
    assert {r.schema for r in analysis.reports} == {"rfc7489", "rfc9990"}
    groups = analysis.aggregate.groups
    assert groups["ses"].messages > 0 and groups["ses"].aligned == groups["ses"].messages
    assert "Forwarded SES mail" in groups["known"].labels and groups["unknown"].messages > 0
    readiness = analysis.readiness
    assert readiness.verdict == "ready", readiness.summary
    assert readiness.stage is not None and readiness.stage.key == "monitor"
    saved = last_verdict(wizard.ctx.state_dir, DOMAIN)
    assert saved is not None and saved.verdict == "ready" and saved.next_stage == 2

    # A resend by the receivers: nothing new is counted, the duplicates are named.
    send_reports(box, days=15)
    again, collected = read_for_wizard(wizard.ctx, wizard.state, source)
    assert "45 new object(s) read, 45 from the cache" in collected.description
    assert len(again.reports) == 45
    assert {p.kind for p in again.problems} == {"duplicate"}

    # Spoofing volume over the threshold: not ready, and the sources are named.
    loud = send_reports(box, days=15, spoof_volume=40, seed=11)
    assert len(loud.delivered) == 45
    third, _ = read_for_wizard(wizard.ctx, wizard.state, source)
    assert third.readiness.verdict == "not_ready"
    assert "203.0.113.66" in third.readiness.evidence[-1].detail

    # The demo's receivers (``sesdmarc demo`` runs them in the background): a backfill of 14
    # days once there is mail to report on, then one day's reports per new demo day.
    from sesdmarc_tui.sandbox.reports import ReportFeeder

    feeder = ReportFeeder(box)
    first = feeder.tick()
    assert first is not None and len(first.delivered) == 14 * 3 and not first.refused
    assert feeder.tick() is None  # same demo day: nothing more
    box.clock.advance(86400)
    later = feeder.tick()
    assert later is not None and len(later.delivered) == 3

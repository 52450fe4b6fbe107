"""GetAccount in the sandbox: sandbox or production per account and region, quota counted."""

from __future__ import annotations

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import ses, verified_domain


def test_a_new_account_is_in_the_sandbox(box: Sandbox) -> None:
    account = ses(box).get_account()
    assert account["ProductionAccessEnabled"] is False
    assert account["SendingEnabled"] is True
    assert account["EnforcementStatus"] == "HEALTHY"
    assert account["SendQuota"] == {
        "Max24HourSend": 200.0,
        "MaxSendRate": 1.0,
        "SentLast24Hours": 0.0,
    }
    assert "Details" not in account


def test_production_is_set_per_account_and_region(box: Sandbox) -> None:
    owner = box.world.management.id
    box.set_production(owner, region=box.region)
    try:
        here = SesAdapter(box.session(), pacer=Pacer(0)).get_account()
        elsewhere = ses(box, region="us-east-1").get_account()
        member = ses(box, box.profiles.delegate_for("marketing")).get_account()
        assert here.production_access and not here.in_sandbox
        assert here.max_24_hour_send == 50000 and here.review_status == "GRANTED"
        assert elsewhere["ProductionAccessEnabled"] is False
        assert member["ProductionAccessEnabled"] is False
    finally:
        box.set_production(owner, enabled=False, region=box.region)


def test_sent_last_24_hours_counts_the_senders_recipients(box: Sandbox) -> None:
    domain = verified_domain(box)
    client = ses(box)
    client.send_email(
        FromEmailAddress=f"app@{domain}",
        Destination={"ToAddresses": [f"a@{domain}", f"b@{domain}"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    )
    client.send_email(
        FromEmailAddress=f"app@{domain}",
        Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    )
    assert client.get_account()["SendQuota"]["SentLast24Hours"] == 2.0
    box.clock.advance(24 * 3600 + 1)
    assert client.get_account()["SendQuota"]["SentLast24Hours"] == 0.0

"""``sesdmarc check`` in the offline sandbox: moto + the SES shim + the sandbox's DNS servers.

A domain set up the way the wizard does it (identity, DKIM CNAMEs, MAIL FROM, DMARC, all
through the sandbox's Route 53 and SES APIs) has no findings; then the two mistakes only the
SES half can see: MAIL FROM records published but never activated, and DKIM records published
for another region's tokens.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from sesdmarc_tui.core.checklist import CheckReport, Severity
from sesdmarc_tui.core.records import DnsRecord, dkim_records, dmarc_record, mail_from_records
from sesdmarc_tui.core.render import route53_values
from sesdmarc_tui.dns.lookup import parse_nameserver
from sesdmarc_tui.troubleshoot import run_check

world = pytest.importorskip("sesdmarc_tui.sandbox.world")

DOMAIN = "example.com"
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
MAIL_FROM = f"bounce.{DOMAIN}"
DMARC = f"v=DMARC1; p=none; rua=mailto:dmarc-reports@{DOMAIN}"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box


def _client(service: str, region: str = REGION) -> Any:
    import boto3

    session = boto3.Session(profile_name=os.environ.get("AWS_PROFILE"), region_name=region)
    return session.client(service)


def publish(records: list[DnsRecord]) -> None:
    """UPSERT through the sandbox's Route 53, as the wizard's Route 53 provider does."""
    route53 = _client("route53")
    zones = route53.list_hosted_zones_by_name(DNSName=DOMAIN)["HostedZones"]
    zone_id = next(z["Id"] for z in zones if z["Name"].rstrip(".") == DOMAIN)

    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": r.name + ".",
                "Type": r.rtype,
                "TTL": r.ttl,
                "ResourceRecords": [{"Value": v} for v in route53_values(r)],
            },
        }
        for r in records
    ]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})


def create_identity(region: str = REGION) -> list[DnsRecord]:
    """The identity in ``region``; returns the DKIM CNAMEs its tokens need."""
    created = _client("sesv2", region).create_email_identity(EmailIdentity=DOMAIN)
    dkim = created["DkimAttributes"]
    zone = dkim.get("SigningHostedZone")
    return list(dkim_records(DOMAIN, dkim["Tokens"], region, zone))


def set_up(*, activate_mail_from: bool = True) -> None:
    publish(
        [*create_identity(), *mail_from_records(MAIL_FROM, REGION), dmarc_record(DOMAIN, DMARC)]
    )
    if activate_mail_from:
        _client("sesv2").put_email_identity_mail_from_attributes(
            EmailIdentity=DOMAIN, MailFromDomain=MAIL_FROM, BehaviorOnMxFailure="USE_DEFAULT_VALUE"
        )


def check(regions: tuple[str, ...] = (REGION,), **kw: Any) -> CheckReport:
    servers = [parse_nameserver(s) for s in os.environ["SESDMARC_NAMESERVER"].split(",")]
    return run_check(
        DOMAIN,
        regions=regions,
        profile=os.environ.get("AWS_PROFILE"),
        nameservers=servers,
        **kw,
    )


def test_fully_set_up_domain_has_no_findings(sandbox: Any) -> None:
    set_up()
    report = check()
    assert report.problems == (), [i.to_json() for i in report.problems]
    assert report.skipped == ()
    ok = {i.id for i in report.items if i.severity is Severity.OK}
    assert {"dkim_published", "spf_valid", "dmarc_published"} <= ok
    assert ok & {"ses_verified"} or report.find("ses_pending")


def test_mail_from_published_but_never_activated(sandbox: Any) -> None:
    set_up(activate_mail_from=False)
    report = check(mail_from=MAIL_FROM)
    item = report.find("mail_from_not_activated")
    assert len(item) == 1 and item[0].severity is Severity.ERROR
    assert f"Set {MAIL_FROM} as the identity's custom MAIL FROM domain" in item[0].fix


def test_dkim_records_for_another_regions_tokens(sandbox: Any) -> None:
    create_identity(REGION)
    other = create_identity(OTHER_REGION)
    publish([*other, *mail_from_records(MAIL_FROM, REGION), dmarc_record(DOMAIN, DMARC)])
    report = check((REGION, OTHER_REGION))
    item = report.find("dkim_records_for_other_region")
    assert len(item) == 1
    assert item[0].title == f"DKIM records exist for {OTHER_REGION} but not for {REGION}"


def test_cli_check_in_the_sandbox(sandbox: Any) -> None:
    set_up()
    result = CliRunner().invoke(
        __import__("sesdmarc_tui.cli", fromlist=["cli"]).cli,
        ["check", DOMAIN, "--region", REGION, "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["summary"]["errors"] == 0 and payload["skipped"] == []

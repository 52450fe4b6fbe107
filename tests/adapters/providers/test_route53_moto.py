"""Route 53 provider against moto's threaded server over HTTP (dummy credentials)."""

from __future__ import annotations

from typing import Any

import pytest

from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.providers import Action, DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.providers.route53 import Route53Provider
from tests.adapters.providers._support import capture_parameters, count_operations

DOMAIN = "example.com"
DKIM_KEY = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 13
SES_RECORDS = [
    *(
        make_record(f"tok{i}._domainkey.{DOMAIN}", "CNAME", [f"tok{i}.dkim.amazonses.com"])
        for i in range(3)
    ),
    make_record(f"mail.{DOMAIN}", "MX", ["10 feedback-smtp.us-east-1.amazonses.com"]),
    make_record(f"mail.{DOMAIN}", "TXT", ["v=spf1 include:amazonses.com ~all"]),
    make_record(f"_dmarc.{DOMAIN}", "TXT", ["v=DMARC1; p=none; rua=mailto:dmarc@example.com"]),
]


def create_zone(aws: AwsSession, name: str, *, private: bool = False, ref: str = "") -> str:
    params: dict[str, Any] = {"Name": name, "CallerReference": ref or name}
    if private:
        params["HostedZoneConfig"] = {"PrivateZone": True}
        params["VPC"] = {"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"}
    zone = aws.client("route53").create_hosted_zone(**params)
    return str(zone["HostedZone"]["Id"]).rsplit("/", 1)[-1]


def seed(aws: AwsSession, zone_id: str, name: str, rtype: str, *values: str) -> None:
    aws.client("route53").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": rtype,
                        "TTL": 300,
                        "ResourceRecords": [{"Value": v} for v in values],
                    },
                }
            ]
        },
    )


def stored(aws: AwsSession, zone_id: str, name: str, rtype: str) -> list[str]:
    page = aws.client("route53").list_resource_record_sets(
        HostedZoneId=zone_id, StartRecordName=name, StartRecordType=rtype, MaxItems="1"
    )
    for rrset in page["ResourceRecordSets"]:
        if rrset["Name"].rstrip(".") == name and rrset["Type"] == rtype:
            return [r["Value"] for r in rrset["ResourceRecords"]]
    return []


def test_zone_is_found_by_walking_up_the_labels(aws: AwsSession) -> None:
    create_zone(aws, "example.com")
    sub_id = create_zone(aws, "sub.example.com")
    assert Route53Provider(aws, domain="mail.deep.example.com").zone == "example.com"
    provider = Route53Provider(aws, domain="a.b.sub.example.com")
    assert provider.zone == "sub.example.com"
    assert provider.hosted_zone.id == sub_id


def test_private_zone_is_refused_with_the_reason(aws: AwsSession) -> None:
    private_id = create_zone(aws, DOMAIN, private=True)
    for provider in (
        Route53Provider(aws, domain=f"mail.{DOMAIN}"),
        Route53Provider(aws, zone_id=private_id),
    ):
        with pytest.raises(DnsProviderError) as caught:
            provider.plan(SES_RECORDS)
        assert caught.value.kind is ProviderErrorKind.ZONE
        assert "private zone" in caught.value.message
        assert "SES checks public DNS" in caught.value.message


def test_undelegated_and_ambiguous_zones_are_refused(aws: AwsSession) -> None:
    create_zone(aws, DOMAIN)
    elsewhere = Route53Provider(aws, domain=DOMAIN, public_ns=lambda _zone: ["ns1.other-dns.net."])
    with pytest.raises(DnsProviderError) as caught:
        _ = elsewhere.zone
    assert caught.value.kind is ProviderErrorKind.ZONE
    assert "not the delegated one" in caught.value.message
    assert "ns1.other-dns.net" in caught.value.message

    ns = aws.client("route53").list_hosted_zones_by_name(DNSName=DOMAIN)
    zone_id = ns["HostedZones"][0]["Id"]
    servers = aws.client("route53").get_hosted_zone(Id=zone_id)["DelegationSet"]["NameServers"]
    assert Route53Provider(aws, domain=DOMAIN, public_ns=lambda _zone: servers).zone == DOMAIN

    create_zone(aws, DOMAIN, ref="second")
    with pytest.raises(DnsProviderError) as caught:
        _ = Route53Provider(aws, domain=DOMAIN).zone
    assert "2 public hosted zones" in caught.value.message


def test_doubled_zone_name_is_refused_before_any_call(aws: AwsSession) -> None:
    calls = count_operations(aws.client("route53"), "*")
    provider = Route53Provider(aws, domain=DOMAIN)
    doubled = make_record(f"tok._domainkey.{DOMAIN}.{DOMAIN}", "CNAME", ["tok.dkim.amazonses.com"])
    with pytest.raises(DnsProviderError) as caught:
        provider.plan([doubled])
    assert caught.value.kind is ProviderErrorKind.INVALID_NAME
    assert "twice" in caught.value.message and "tok._domainkey.example.com" in caught.value.remedy
    assert calls == []


def test_txt_sets_are_merged_not_wiped(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    seed(aws, zone_id, DOMAIN, "TXT", '"google-site-verification=abc123"', '"v=spf1 mx -all"')
    seed(aws, zone_id, f"_dmarc.{DOMAIN}", "TXT", '"v=DMARC1; p=none"')
    provider = Route53Provider(aws, domain=DOMAIN)
    desired = [
        make_record(DOMAIN, "TXT", ["v=spf1 include:amazonses.com ~all"]),
        make_record(f"_dmarc.{DOMAIN}", "TXT", ["v=DMARC1; p=quarantine"]),
    ]
    plan = provider.plan(desired)
    assert [c.action for c in plan.changes] == [Action.REPLACE, Action.REPLACE]
    assert plan.changes[0].kept == ("google-site-verification=abc123",)
    result = provider.apply(plan)

    assert result.change_id and provider.wait(result, timeout=5)
    assert sorted(stored(aws, zone_id, DOMAIN, "TXT")) == [
        '"google-site-verification=abc123"',
        '"v=spf1 mx include:amazonses.com -all"',
    ]
    assert stored(aws, zone_id, f"_dmarc.{DOMAIN}", "TXT") == ['"v=DMARC1; p=quarantine"']


def test_long_txt_is_sent_as_quoted_strings_of_at_most_255(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    provider = Route53Provider(aws, zone_id=zone_id)
    sent = capture_parameters(aws.client("route53"), "ChangeResourceRecordSets")
    provider.apply(provider.plan([make_record(f"byo._domainkey.{DOMAIN}", "TXT", [DKIM_KEY])]))

    (change,) = sent[0]["ChangeBatch"]["Changes"]
    assert change["Action"] == "UPSERT"
    assert change["ResourceRecordSet"]["Name"] == f"byo._domainkey.{DOMAIN}"
    (value,) = [r["Value"] for r in change["ResourceRecordSet"]["ResourceRecords"]]
    strings = value[1:-1].split('" "')
    assert value == " ".join(f'"{s}"' for s in strings)
    assert [len(s) for s in strings] == [255, 255, len(DKIM_KEY) - 510]
    assert "".join(strings) == DKIM_KEY
    assert provider.read([(f"byo._domainkey.{DOMAIN}", "TXT")])[
        (f"byo._domainkey.{DOMAIN}", "TXT")
    ].values == (DKIM_KEY,)


def test_second_apply_makes_no_change_call(aws: AwsSession) -> None:
    create_zone(aws, DOMAIN)
    client = aws.client("route53")
    changes = count_operations(client, "ChangeResourceRecordSets")
    provider = Route53Provider(aws, domain=DOMAIN)
    first = provider.apply(provider.plan(SES_RECORDS))
    assert len(changes) == 1 and len(first.applied) == len(SES_RECORDS)

    again = provider.plan(SES_RECORDS)
    assert again.empty and again.describe()[0].endswith("already holds the desired value")
    result = provider.apply(again)
    assert len(changes) == 1
    assert result.status == "NOTHING_TO_DO" and result.change_id is None


def test_cname_clash_is_refused_and_the_rest_applied(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    seed(aws, zone_id, f"tok0._domainkey.{DOMAIN}", "TXT", '"leftover"')
    provider = Route53Provider(aws, zone_id=zone_id)
    plan = provider.plan(SES_RECORDS[:2])
    assert [r.name for r in plan.refused] == [f"tok0._domainkey.{DOMAIN}"]
    assert "TXT data" in plan.refused[0].reason
    result = provider.apply(plan)
    assert [c.name for c in result.applied] == [f"tok1._domainkey.{DOMAIN}"]
    assert result.refused == plan.refused


def test_value_added_after_the_plan_stops_the_apply(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    provider = Route53Provider(aws, zone_id=zone_id)
    plan = provider.plan([make_record(DOMAIN, "TXT", ["v=spf1 include:amazonses.com ~all"])])
    seed(aws, zone_id, DOMAIN, "TXT", '"google-site-verification=late"')
    changes = count_operations(aws.client("route53"), "ChangeResourceRecordSets")
    with pytest.raises(DnsProviderError) as caught:
        provider.apply(plan)
    assert caught.value.kind is ProviderErrorKind.CONFLICT
    assert changes == []


def test_remove_deletes_a_set_and_trims_another(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    provider = Route53Provider(aws, zone_id=zone_id)
    provider.apply(provider.plan([*SES_RECORDS, make_record(DOMAIN, "TXT", ["token-a", "b=1"])]))
    remove = [SES_RECORDS[0], make_record(DOMAIN, "TXT", ["token-a"])]
    plan = provider.plan([], remove=remove)
    assert [c.action for c in plan.changes] == [Action.DELETE, Action.REPLACE]
    provider.apply(plan)
    assert stored(aws, zone_id, f"tok0._domainkey.{DOMAIN}", "CNAME") == []
    assert stored(aws, zone_id, DOMAIN, "TXT") == ['"b=1"']


def test_aws_errors_arrive_translated(aws: AwsSession) -> None:
    with pytest.raises(DnsProviderError) as caught:
        _ = Route53Provider(aws, zone_id="ZNOSUCHZONE").zone
    assert caught.value.kind is ProviderErrorKind.AWS
    assert caught.value.message


def test_txt_value_too_long_for_route53_is_refused_in_the_plan(aws: AwsSession) -> None:
    zone_id = create_zone(aws, DOMAIN)
    provider = Route53Provider(aws, zone_id=zone_id)
    huge = make_record(f"big.{DOMAIN}", "TXT", ["x" * 5000])
    plan = provider.plan([huge, SES_RECORDS[0]])
    assert [r.name for r in plan.refused] == [huge.name]
    assert "4000" in plan.refused[0].remedy
    assert [c.name for c in plan.changes] == [SES_RECORDS[0].name]

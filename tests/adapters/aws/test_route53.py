"""Route 53 hosted-zone lookup: over moto, plus a Stubber for AWS's start-point paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.route53 import find_hosted_zone, get_hosted_zone
from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.aws._support import count_calls


def _zone(session: AwsSession, name: str, ref: str, private: bool = False) -> str:
    params: dict[str, Any] = {"Name": name, "CallerReference": ref}
    if private:
        params["HostedZoneConfig"] = {"PrivateZone": True, "Comment": "internal"}
        params["VPC"] = {"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"}
    response = session.client("route53").create_hosted_zone(**params)
    return str(response["HostedZone"]["Id"]).rsplit("/", 1)[-1]


def test_zone_found_by_walking_up_and_private_zone_skipped(owner: AwsSession) -> None:
    public = _zone(owner, "example.com", "1")
    _zone(owner, "b.example.com", "2", private=True)
    calls = count_calls(owner.client("route53"), "route53")
    lookup = find_hosted_zone(owner, "A.B.Example.com.")
    assert lookup.zone is not None and lookup.zone.id == public
    assert lookup.zone.name == "example.com" and not lookup.zone.private
    assert [s.zone.name for s in lookup.skipped] == ["b.example.com"]
    assert "private zone" in lookup.skipped[0].reason
    assert calls == ["ListHostedZonesByName"] * 3  # a.b.example.com, b.example.com, example.com


def test_no_zone_gives_a_clear_message(owner: AwsSession) -> None:
    _zone(owner, "example.com", "1")
    lookup = find_hosted_zone(owner, "mail.other.org")
    assert lookup.zone is None and not lookup.ambiguous
    assert "No public Route 53 hosted zone for mail.other.org" in lookup.message


def test_several_public_zones_of_one_name_are_reported(owner: AwsSession) -> None:
    first = _zone(owner, "example.com", "1")
    second = _zone(owner, "example.com", "2")
    lookup = find_hosted_zone(owner, "example.com")
    assert lookup.zone is None and lookup.ambiguous
    assert {z.id for z in lookup.candidates} == {first, second}
    assert "2 public hosted zones are named example.com" in lookup.message


def test_name_servers_of_a_zone(owner: AwsSession) -> None:
    zone_id = _zone(owner, "example.com", "1")
    details = get_hosted_zone(owner, f"/hostedzone/{zone_id}")
    assert details.zone.id == zone_id
    assert len(details.name_servers) == 4
    assert all(ns.startswith("ns-") and not ns.endswith(".") for ns in details.name_servers)


def test_bad_domain_is_refused(owner: AwsSession) -> None:
    with pytest.raises(AwsError) as info:
        find_hosted_zone(owner, "not a domain")
    assert info.value.kind is ErrorKind.INVALID_INPUT


@pytest.fixture
def r53_stub(offline_session: AwsSession) -> Iterator[Stubber]:
    with Stubber(offline_session.client("route53")) as stub:
        yield stub
        stub.assert_no_pending_responses()


def _listing(
    *zones: tuple[str, str, bool], truncated: bool = False, **extra: Any
) -> dict[str, Any]:
    return {
        "HostedZones": [
            {
                "Id": f"/hostedzone/{zid}",
                "Name": name,
                "CallerReference": zid,
                "Config": {"PrivateZone": private},
            }
            for zid, name, private in zones
        ],
        "IsTruncated": truncated,
        "MaxItems": "100",
        **extra,
    }


def test_aws_start_point_semantics_and_paging(
    offline_session: AwsSession, r53_stub: Stubber
) -> None:
    # Real AWS lists from the start point onwards: a later name ends the match; a truncated
    # page whose next name is still ours is followed with NextDNSName/NextHostedZoneId.
    r53_stub.add_response(
        "list_hosted_zones_by_name",
        _listing(("ZNEXT", "c.example.com.", False)),
        {"DNSName": "a.example.com.", "MaxItems": "100"},
    )
    r53_stub.add_response(
        "list_hosted_zones_by_name",
        _listing(
            ("ZPRIV", "example.com.", True),
            truncated=True,
            NextDNSName="example.com.",
            NextHostedZoneId="ZPUB",
        ),
        {"DNSName": "example.com.", "MaxItems": "100"},
    )
    r53_stub.add_response(
        "list_hosted_zones_by_name",
        _listing(("ZPUB", "example.com.", False), ("ZOTHER", "example.net.", False)),
        {"DNSName": "example.com.", "HostedZoneId": "ZPUB", "MaxItems": "100"},
    )
    lookup = find_hosted_zone(offline_session, "a.example.com")
    assert lookup.zone is not None and lookup.zone.id == "ZPUB"
    assert [s.zone.id for s in lookup.skipped] == ["ZPRIV"]


def test_access_denied_on_lookup(offline_session: AwsSession, r53_stub: Stubber) -> None:
    r53_stub.add_client_error(
        "list_hosted_zones_by_name",
        "AccessDenied",
        "User: arn:aws:sts::111122223333:assumed-role/Dns/x is not authorized to perform: "
        "route53:ListHostedZonesByName",
        403,
    )
    with pytest.raises(AwsError) as info:
        find_hosted_zone(offline_session, "example.com")
    assert info.value.kind is ErrorKind.ACCESS_DENIED
    assert "route53:ListHostedZonesByName" in info.value.remedy

"""Route 53 in the sandbox: record changes mirrored into DNS, delegation as on the internet."""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.dns.providers.route53 import Route53Provider
from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import DOMAIN, error_of


def _route53(box: Sandbox) -> Any:
    return box.session().client("route53")


def _auth(box: Sandbox) -> Lookup:
    return make_lookup([box.dns.auth_address])


def _change(action: str, name: str, rtype: str, *values: str, ttl: int = 300) -> dict[str, Any]:
    rrset = {
        "Name": name,
        "Type": rtype,
        "TTL": ttl,
        "ResourceRecords": [{"Value": v} for v in values],
    }
    return {"Action": action, "ResourceRecordSet": rrset}


def _apply(box: Sandbox, *changes: dict[str, Any], zone_id: str | None = None) -> None:
    _route53(box).change_resource_record_sets(
        HostedZoneId=zone_id or box.world.hosted_zone_id, ChangeBatch={"Changes": list(changes)}
    )


def test_the_seeded_zone_is_served_with_its_merge_material(box: Sandbox) -> None:
    apex = _auth(box)(DOMAIN, "TXT")
    assert apex.kind is AnswerKind.OK
    assert {"v=spf1 mx -all", "demo-site-verification=3kq9x2"} <= set(apex.values)
    listed = _route53(box).list_resource_record_sets(HostedZoneId=box.world.hosted_zone_id)
    types = {(r["Name"], r["Type"]) for r in listed["ResourceRecordSets"]}
    assert {(f"{DOMAIN}.", "TXT"), (f"{DOMAIN}.", "NS"), (f"{DOMAIN}.", "SOA")} <= types


def test_an_upsert_is_answered_by_dns_at_once(box: Sandbox) -> None:
    _apply(
        box,
        _change("UPSERT", f"_dmarc.{DOMAIN}", "TXT", '"v=DMARC1; p=none"'),
        _change("UPSERT", f"bounce.{DOMAIN}", "MX", "10 feedback-smtp.eu-west-1.amazonses.com"),
    )
    lookup = _auth(box)
    assert lookup(f"_dmarc.{DOMAIN}", "TXT").values == ("v=DMARC1; p=none",)
    assert lookup(f"bounce.{DOMAIN}", "MX").values == ("10 feedback-smtp.eu-west-1.amazonses.com.",)
    _apply(box, _change("DELETE", f"_dmarc.{DOMAIN}", "TXT", '"v=DMARC1; p=none"'))
    assert lookup(f"_dmarc.{DOMAIN}", "TXT").kind is AnswerKind.NXDOMAIN


def test_a_cname_next_to_other_data_is_invalid_change_batch(box: Sandbox) -> None:
    name = f"conflict.{DOMAIN}"
    _apply(box, _change("UPSERT", name, "TXT", '"hello"'))
    code, message, http = error_of(
        lambda: _apply(
            box,
            _change("UPSERT", f"fine.{DOMAIN}", "A", "192.0.2.7"),
            _change("UPSERT", name, "CNAME", "target.example.net"),
        )
    )
    assert (code, http) == ("InvalidChangeBatch", 400)
    assert "CNAME" in message
    assert _auth(box)(f"fine.{DOMAIN}", "A").kind is AnswerKind.NXDOMAIN  # all or nothing
    listed = _route53(box).list_resource_record_sets(HostedZoneId=box.world.hosted_zone_id)
    assert not any(
        r["Type"] == "CNAME" and r["Name"] == f"{name}." for r in listed["ResourceRecordSets"]
    )


def test_a_batch_moto_refuses_leaves_dns_unchanged(box: Sandbox) -> None:
    code, _, _ = error_of(
        lambda: _apply(
            box,
            _change("UPSERT", f"half.{DOMAIN}", "A", "192.0.2.8"),
            _change("DELETE", f"never-there.{DOMAIN}", "TXT", '"x"'),
        )
    )
    assert code in ("InvalidChangeBatch", "InvalidInput")  # moto 5.2.5 says InvalidInput
    assert _auth(box)(f"half.{DOMAIN}", "A").kind is AnswerKind.NXDOMAIN


def test_the_apex_ns_is_the_hosted_zones_delegation_set(box: Sandbox) -> None:
    servers = _route53(box).get_hosted_zone(Id=box.world.hosted_zone_id)["DelegationSet"]
    lookup = make_lookup([box.nameserver])
    published = lookup(DOMAIN, "NS").values
    assert {s.rstrip(".") for s in published} == set(servers["NameServers"])
    assert lookup(servers["NameServers"][0], "A").values == ("127.0.0.1",)

    def public_ns(zone: str) -> list[str]:
        return list(lookup(zone, "NS").values)

    # The product's delegation check finds the seeded zone to be the live one.
    provider = Route53Provider(box.session(), domain=DOMAIN, public_ns=public_ns)
    assert provider.hosted_zone.id == box.world.hosted_zone_id


def test_only_the_first_public_zone_of_a_name_is_served(box: Sandbox) -> None:
    route53 = _route53(box)
    second = route53.create_hosted_zone(Name=DOMAIN, CallerReference="second")["HostedZone"]
    _apply(box, _change("UPSERT", f"shadow.{DOMAIN}", "A", "192.0.2.9"), zone_id=second["Id"])
    assert _auth(box)(f"shadow.{DOMAIN}", "A").kind is AnswerKind.NXDOMAIN


def test_a_new_public_zone_is_served_and_a_private_one_is_not(box: Sandbox) -> None:
    route53 = _route53(box)
    public = route53.create_hosted_zone(Name="second.example", CallerReference="p")["HostedZone"]
    _apply(box, _change("UPSERT", "www.second.example", "A", "192.0.2.10"), zone_id=public["Id"])
    assert _auth(box)("www.second.example", "A").values == ("192.0.2.10",)
    private = route53.create_hosted_zone(
        Name="internal.example",
        CallerReference="v",
        HostedZoneConfig={"PrivateZone": True},
        VPC={"VPCRegion": "eu-west-1", "VPCId": "vpc-12345678"},
    )["HostedZone"]
    _apply(box, _change("UPSERT", "db.internal.example", "A", "10.0.0.5"), zone_id=private["Id"])
    assert _auth(box)("db.internal.example", "A").kind is AnswerKind.ERROR  # not served at all

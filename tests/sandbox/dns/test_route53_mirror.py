"""Route 53 ChangeResourceRecordSets changes mirrored into the sandbox's zones."""

from __future__ import annotations

from typing import Any

import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.core.render import route53_values
from sesdmarc_tui.sandbox.dns.route53_mirror import (
    Route53MirrorError,
    apply_route53_change,
    apply_route53_changes,
)
from sesdmarc_tui.sandbox.dns.runner import SandboxDns
from sesdmarc_tui.sandbox.dns.zones import ZoneError, ZoneStore
from tests.sandbox.dns._support import auth_lookup


def change(
    action: str, name: str, rtype: str, values: list[str], ttl: int | None = 300
) -> dict[str, Any]:
    rrset: dict[str, Any] = {
        "Name": name,
        "Type": rtype,
        "ResourceRecords": [{"Value": v} for v in values],
    }
    if ttl is not None:
        rrset["TTL"] = ttl
    return {"Action": action, "ResourceRecordSet": rrset}


@pytest.mark.parametrize("action", ["CREATE", "UPSERT"])
@pytest.mark.parametrize(
    ("rtype", "sent", "stored"),
    [
        ("TXT", ['"v=spf1 include:amazonses.com ~all"'], ("v=spf1 include:amazonses.com ~all",)),
        ("TXT", ['"p=MIIB" "IjANBg"', '"second"'], ("p=MIIBIjANBg", "second")),
        ("TXT", ['"caf\\303\\251 \\"q\\""'], ('café "q"',)),
        (
            "MX",
            ["10 feedback-smtp.us-east-1.amazonses.com"],
            ("10 feedback-smtp.us-east-1.amazonses.com.",),
        ),
        ("CNAME", ["tok.dkim.amazonses.com"], ("tok.dkim.amazonses.com.",)),
        ("CNAME", ["Tok.DKIM.amazonses.com."], ("tok.dkim.amazonses.com.",)),
        ("A", ["192.0.2.7", "192.0.2.8"], ("192.0.2.7", "192.0.2.8")),
    ],
)
def test_create_and_upsert_store_the_values_in_dns_form(
    store: ZoneStore, action: str, rtype: str, sent: list[str], stored: tuple[str, ...]
) -> None:
    assert apply_route53_change(store, change(action, "Rec.Example.Test.", rtype, sent, 600))
    view = store.get_rrset("rec.example.test", rtype)
    assert view is not None and (view.ttl, view.values) == (600, stored)


def test_upsert_replaces_and_delete_removes(store: ZoneStore) -> None:
    apply_route53_change(store, change("CREATE", "m.example.test", "MX", ["10 a.example.test"]))
    apply_route53_change(store, change("UPSERT", "m.example.test", "MX", ["20 b.example.test"]))
    assert store.get_rrset("m.example.test", "MX").values == ("20 b.example.test.",)  # type: ignore[union-attr]
    assert apply_route53_change(
        store, change("DELETE", "m.example.test", "MX", ["20 b.example.test"])
    )
    assert store.get_rrset("m.example.test", "MX") is None
    # Route 53 would have refused deleting a missing set; moto judges that, the mirror shrugs.
    assert not apply_route53_change(store, change("DELETE", "m.example.test", "MX", ["20 b"]))


def test_the_products_own_route53_values_round_trip(store: ZoneStore) -> None:
    key = "v=DKIM1; k=rsa; p=" + "A" * 392  # ~400 characters: several strings in Route 53
    for record in (
        make_record("sel._domainkey.example.test", "TXT", [key]),
        make_record("bounce.example.test", "MX", ["10 feedback-smtp.eu-west-1.amazonses.com"]),
        make_record("t._domainkey.example.test", "CNAME", ["t.dkim.amazonses.com"]),
    ):
        sent = list(route53_values(record))
        apply_route53_change(store, change("UPSERT", record.name, record.rtype, sent))
        view = store.get_rrset(record.name, record.rtype)
        assert view is not None
        assert [v.rstrip(".") for v in view.values] == list(record.values)


def test_octal_escapes_in_names_are_decoded(store: ZoneStore) -> None:
    apply_route53_change(store, change("UPSERT", "\\052.example.test.", "TXT", ['"wild"']))
    assert store.get_rrset("*.example.test", "TXT") is not None


def test_the_soa_is_left_to_the_store(store: ZoneStore) -> None:
    soa = change("UPSERT", "example.test.", "SOA", ["ns. host. 9 1 1 1 60"], 900)
    assert apply_route53_change(store, soa) is False
    assert store.serial("example.test") == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"Action": "MODIFY", "ResourceRecordSet": {}}, "Not a Route 53 change"),
        ({"Action": "CREATE"}, "Not a Route 53 change"),
        (
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": "example.test",
                    "Type": "A",
                    "AliasTarget": {"DNSName": "d111.cloudfront.net"},
                },
            },
            "AliasTarget",
        ),
        (
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": "w.example.test",
                    "Type": "A",
                    "SetIdentifier": "eu",
                    "TTL": 60,
                    "ResourceRecords": [{"Value": "192.0.2.1"}],
                },
            },
            "SetIdentifier",
        ),
        (change("CREATE", "x.example.test", "TXT", ['"x"'], ttl=None), "no TTL"),
        (change("CREATE", "x.example.test", "TXT", ['"unterminated']), "unterminated"),
    ],
)
def test_changes_the_mirror_cannot_express_raise(
    store: ZoneStore, bad: dict[str, Any], message: str
) -> None:
    with pytest.raises(Route53MirrorError, match=message):
        apply_route53_change(store, bad)


def test_names_outside_the_served_zones_raise(store: ZoneStore) -> None:
    with pytest.raises(ZoneError, match="outside every zone"):
        apply_route53_change(store, change("UPSERT", "x.example.org", "A", ["192.0.2.1"]))


def test_a_batch_applies_all_or_nothing(store: ZoneStore) -> None:
    good = change("UPSERT", "a.example.test", "TXT", ['"a"'])
    bad = change("UPSERT", "b.example.test", "A", ["not-an-address"])
    with pytest.raises(ZoneError):
        apply_route53_changes(store, [good, bad])
    assert store.get_rrset("a.example.test", "TXT") is None
    other = change("UPSERT", "c.example.test", "TXT", ['"c"'])
    assert apply_route53_changes(store, [good, other]) == 2
    assert store.serial("example.test") == 2  # one batch, one serial


def test_mirrored_records_are_served(sandbox: SandboxDns, store: ZoneStore) -> None:
    lookup = auth_lookup(sandbox)
    assert lookup("_dmarc.example.test", "TXT").kind is AnswerKind.NXDOMAIN
    apply_route53_change(
        store, change("CREATE", "_dmarc.example.test", "TXT", ['"v=DMARC1; p=none"'])
    )
    assert lookup("_dmarc.example.test", "TXT").values == ("v=DMARC1; p=none",)

"""The pure half of setting up collection: regions, address, names, bucket policy, rule."""

from __future__ import annotations

import json

import pytest

from sesdmarc_tui.core.reports import collection as spec


def test_only_receiving_regions_get_an_mx() -> None:
    assert spec.inbound_host("eu-west-1") == "inbound-smtp.eu-west-1.amazonaws.com"
    with pytest.raises(spec.CollectionError) as refused:
        spec.inbound_host("eu-south-1")
    assert "does not receive email in eu-south-1" in refused.value.message
    assert "us-east-1" in refused.value.hint


def test_address_and_names() -> None:
    address = spec.reports_address("mailto:DMARC@Reports.Example.com")
    assert (address.address, address.rua) == (
        "dmarc@reports.example.com",
        "mailto:dmarc@reports.example.com",
    )
    assert spec.default_address("example.com") == "dmarc@reports.example.com"
    for bad in ("nobody", "a b@example.com", "x@localhost", "@example.com"):
        with pytest.raises(spec.CollectionError):
            spec.reports_address(bad)
    bucket = spec.bucket_name("123456789012", "eu-west-1", "Example.COM")
    assert bucket == "sesdmarc-reports-123456789012-eu-west-1-example-com" and len(bucket) <= 63
    assert len(spec.bucket_name("1" * 12, "ap-southeast-3", "x" * 80 + ".example")) <= 63
    assert spec.rule_name(address) == "sesdmarc-dmarc-at-reports-example-com"
    assert spec.key_prefix(address) == "dmarc/reports.example.com/"


def test_bucket_policy_statement_is_restricted_and_merged() -> None:
    arn = spec.rule_arn("eu-west-1", "123456789012", "rules", "r1")
    assert arn == "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/rules:receipt-rule/r1"
    statement = spec.policy_statement("b", "dmarc/", "123456789012", arn)
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statement["Resource"] == "arn:aws:s3:::b/dmarc/*"
    assert statement["Condition"]["StringEquals"] == {
        "AWS:SourceAccount": "123456789012",
        "AWS:SourceArn": arn,
    }
    theirs = {"Sid": "Theirs", "Effect": "Deny", "Principal": "*", "Action": "s3:*"}
    existing = json.dumps({"Version": "2012-10-17", "Statement": [theirs]})
    assert not spec.policy_has(existing, statement)
    merged = spec.merged_policy(existing, statement)
    assert spec.policy_has(merged, statement)
    assert json.loads(merged)["Statement"][0] == theirs
    assert spec.merged_policy(merged, statement) == merged
    assert not spec.policy_has("not json", statement)


def test_receipt_rule_and_external_record() -> None:
    address = spec.reports_address("dmarc@reports.example.com")
    rule = spec.receipt_rule("r1", address, "b", "p/")
    assert rule["Recipients"] == ["dmarc@reports.example.com"]
    assert rule["Actions"] == [{"S3Action": {"BucketName": "b", "ObjectKeyPrefix": "p/"}}]
    assert spec.rule_matches({**rule, "TlsPolicy": "Require"}, rule)
    assert not spec.rule_matches({**rule, "Enabled": False}, rule)
    assert not spec.rule_matches(None, rule)
    assert spec.external_record("example.com", address) is None
    other = spec.reports_address("dmarc@reports.example.net")
    assert spec.external_record("example.com", other) == (
        "example.com._report._dmarc.reports.example.net",
        "v=DMARC1;",
    )


def test_the_records_the_collection_publishes() -> None:
    from sesdmarc_tui.flow.reports.inspect import wanted_records

    same = wanted_records(
        spec.reports_address("dmarc@reports.example.com"), "us-east-1", "example.com"
    )
    assert [(r.name, r.rtype, r.values) for r in same] == [
        ("reports.example.com", "MX", ("10 inbound-smtp.us-east-1.amazonaws.com",))
    ]
    other = wanted_records(
        spec.reports_address("dmarc@reports.example.net"), "eu-west-1", "example.com"
    )
    assert [(r.name, r.rtype) for r in other] == [
        ("reports.example.net", "MX"),
        ("example.com._report._dmarc.reports.example.net", "TXT"),
    ]
    with pytest.raises(spec.CollectionError):
        wanted_records(
            spec.reports_address("dmarc@reports.example.com"), "sa-east-1", "example.com"
        )

"""The reports adapters against moto: S3 bucket, policy and objects; SES receipt rules; the
S3 reader that downloads only new objects."""

from __future__ import annotations

from pathlib import Path

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.receiving import ReceivingAdapter
from sesdmarc_tui.aws.s3 import S3Adapter
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.core.reports.limits import Limits
from sesdmarc_tui.reports.s3 import ObjectCache, from_s3, parse_s3_url
from tests.support.dmarc_reports import gz, message, report, xml

BUCKET = "reports-test-bucket"


def test_bucket_policy_and_objects(owner: AwsSession) -> None:
    s3 = S3Adapter(owner)
    assert not s3.bucket_exists(BUCKET)
    s3.create_bucket(BUCKET)
    s3.block_public_access(BUCKET)
    assert s3.bucket_exists(BUCKET) and s3.bucket_policy(BUCKET) is None
    statement = spec.policy_statement(BUCKET, "dmarc/", "123456789012", "arn:aws:ses:x")
    s3.put_bucket_policy(BUCKET, spec.merged_policy(None, statement))
    assert spec.policy_has(s3.bucket_policy(BUCKET), statement)
    s3.put(BUCKET, "dmarc/one", b"x" * 10)
    assert [(o.key, o.size) for o in s3.objects(BUCKET, "dmarc/")] == [("dmarc/one", 10)]
    assert s3.read(BUCKET, "dmarc/one", 100) == b"x" * 10


def test_receipt_rules(owner: AwsSession) -> None:
    S3Adapter(owner).create_bucket(BUCKET)
    rules = ReceivingAdapter(owner, pacer=Pacer(0.0))
    assert rules.active_rule_set() is None and rules.rule_set("sets") is None
    rules.create_rule_set("sets")
    address = spec.reports_address("dmarc@reports.example.com")
    rule = spec.receipt_rule("r1", address, BUCKET, "dmarc/")
    rules.create_rule("sets", rule)
    rules.set_active("sets")
    active = rules.active_rule_set()
    assert active is not None and active.name == "sets"
    assert spec.rule_matches(active.rule("r1"), rule)
    rules.update_rule("sets", {**rule, "Enabled": False})
    found = rules.rule_set("sets")
    assert found is not None and found.active and found.rule("r1")["Enabled"] is False  # type: ignore[index]


def test_only_new_objects_are_downloaded(owner: AwsSession, tmp_path: Path) -> None:
    s3 = S3Adapter(owner)
    s3.create_bucket(BUCKET)
    s3.put(BUCKET, f"dmarc/{spec.SETUP_NOTIFICATION}", b"setup")
    s3.put(BUCKET, "dmarc/a", message(gz(xml(report(0)))))
    s3.put(BUCKET, "dmarc/big", b"From: x@y\r\n\r\n" + b"x" * 5000)
    location = parse_s3_url(f"s3://{BUCKET}/dmarc/")
    cache = ObjectCache(tmp_path)
    limits = Limits(max_input_bytes=4096)
    first = from_s3(s3, location, limits, cache)
    assert (first.new, first.cached, first.skipped) == (2, 0, 1)
    assert [i[0] for i in first.items if isinstance(i, tuple)] == [
        f"s3://{BUCKET}/dmarc/a#r.xml.gz"[:-3]
    ]
    assert [i.kind for i in first.items if not isinstance(i, tuple)] == ["too_large"]
    s3.put(BUCKET, "dmarc/b", message(gz(xml(report(1)))))
    second = from_s3(s3, location, limits, cache)
    assert (second.new, second.cached) == (2, 1)  # b is new; big is tried again (not cached)
    assert len([i for i in second.items if isinstance(i, tuple)]) == 2
    assert from_s3(s3, location, limits, cache, since=4102444800).skipped == 4

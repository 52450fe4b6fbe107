"""The merge rules every provider shares (pure: no server needed)."""

from __future__ import annotations

import json

import pytest

from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.providers import (
    Action,
    DnsProviderError,
    RecordChange,
    Refusal,
    RRset,
)
from sesdmarc_tui.dns.providers.merge import merge_record
from sesdmarc_tui.dns.providers.plan import build_plan, keys_to_read
from sesdmarc_tui.dns.providers.txtmerge import merge_txt, txt_kind

Z = "example.com"


def rr(name: str, rtype: str, *values: str, unmanaged: str | None = None) -> RRset:
    return RRset(name, rtype, values, 300, values, unmanaged)


def current(*sets: RRset) -> dict[tuple[str, str], RRset]:
    return {s.key: s for s in sets}


def change(outcome: RecordChange | Refusal) -> RecordChange:
    assert isinstance(outcome, RecordChange), outcome
    return outcome


def refusal(outcome: RecordChange | Refusal) -> Refusal:
    assert isinstance(outcome, Refusal), outcome
    return outcome


def test_txt_kinds() -> None:
    assert txt_kind("v=spf1 -all") == "spf1"
    assert txt_kind("v=DMARC1; p=none") == "DMARC1"
    assert txt_kind("v=dmarc1;p=none") == "DMARC1"
    assert txt_kind("v=DKIM1; k=rsa; p=AAA") == "DKIM1"
    assert txt_kind("google-site-verification=abc") is None
    assert txt_kind("v=spf10 -all") is None


def test_txt_merge_keeps_unrelated_and_replaces_own_kind() -> None:
    merged = merge_txt(
        ["site-verification=1", "v=DMARC1; p=none", "v=DMARC1; p=reject"],
        ["v=DMARC1; p=quarantine"],
    )
    assert merged.error is None
    assert merged.values == ("site-verification=1", "v=DMARC1; p=quarantine")
    assert merged.removed == ("v=DMARC1; p=none", "v=DMARC1; p=reject")
    assert merged.kept == ("site-verification=1",)


def test_spf_is_merged_before_all_keeping_the_owner_qualifier() -> None:
    merged = merge_txt(["v=spf1 ip4:192.0.2.1 -all", "ms=1"], ["v=spf1 include:amazonses.com ~all"])
    assert merged.values == ("v=spf1 ip4:192.0.2.1 include:amazonses.com -all", "ms=1")
    already = merge_txt(
        ["v=spf1 include:amazonses.com -all"], ["v=spf1 include:amazonses.com ~all"]
    )
    assert already.values == ("v=spf1 include:amazonses.com -all",) and not already.added


def test_spf_that_cannot_be_merged_is_refused() -> None:
    two = merge_txt(["v=spf1 -all", "v=spf1 mx -all"], ["v=spf1 include:amazonses.com ~all"])
    assert two.error is not None and "2 SPF records" in two.error
    includes = " ".join(f"include:s{i}.example.net" for i in range(10))
    full = merge_txt([f"v=spf1 {includes} -all"], ["v=spf1 include:amazonses.com ~all"])
    assert full.error is not None and "DNS lookups" in full.error
    both = merge_txt([], ["v=DMARC1; p=none", "v=DMARC1; p=reject"])
    assert both.error is not None and "two desired DMARC1" in both.error


def test_cname_rules() -> None:
    cname = make_record(f"tok._domainkey.{Z}", "CNAME", ["tok.dkim.amazonses.com"])
    apex = make_record(Z, "CNAME", ["elsewhere.example.net"])
    assert "apex" in refusal(merge_record(apex, {}, Z)).reason
    moved = change(merge_record(cname, current(rr(cname.name, "CNAME", "old.example.net")), Z))
    assert moved.action is Action.REPLACE and moved.removed == ("old.example.net",)
    txt = make_record(cname.name, "TXT", ["hello"])
    clash = refusal(merge_record(txt, current(rr(cname.name, "CNAME", "x.example.net")), Z))
    assert "is a CNAME to x.example.net" in clash.reason


def test_mx_rules() -> None:
    mx = make_record(f"mail.{Z}", "MX", ["10 feedback-smtp.eu-west-1.amazonses.com"])
    old_region = rr(mx.name, "MX", "10 feedback-smtp.us-east-1.amazonses.com")
    assert change(merge_record(mx, current(old_region), Z)).action is Action.REPLACE
    receiving = rr(mx.name, "MX", "10 mx.example.com")
    assert "receives mail" in refusal(merge_record(mx, current(receiving), Z)).reason
    two = make_record(mx.name, "MX", [mx.values[0], "20 backup.example.com"])
    assert "exactly one" in refusal(merge_record(two, {}, Z)).reason


def test_ttl_only_difference_is_unchanged_and_unmanaged_sets_are_refused() -> None:
    record = make_record(f"x.{Z}", "TXT", ["hello"], ttl=60)
    same = RRset(record.name, "TXT", ("hello",), 3600, ('"hello"',))
    assert change(merge_record(record, current(same), Z)).action is Action.UNCHANGED
    alias = rr(record.name, "TXT", "hello", unmanaged="a Route 53 alias to x")
    assert "alias" in refusal(merge_record(record, current(alias), Z)).reason


def test_plan_pools_values_and_reads_what_can_clash() -> None:
    desired = [
        make_record(Z, "TXT", ["v=spf1 include:amazonses.com ~all"]),
        make_record(Z, "TXT", ["amazonses-token"]),
        make_record(f"t._domainkey.{Z}", "CNAME", ["t.dkim.amazonses.com"]),
    ]
    keys = keys_to_read(desired)
    assert (Z, "CNAME") in keys and (f"t._domainkey.{Z}", "TXT") in keys
    plan = build_plan("manual", Z, desired, {})
    (txt, _cname) = plan.changes
    assert txt.new is not None
    assert txt.new.values == ("v=spf1 include:amazonses.com ~all", "amazonses-token")
    json.dumps(plan.to_json())


def test_plan_refuses_desired_records_that_disagree() -> None:
    desired = [
        make_record(f"t.{Z}", "CNAME", ["a.example.net"]),
        make_record(f"t.{Z}", "CNAME", ["b.example.net"]),
    ]
    plan = build_plan("manual", Z, desired, {})
    assert plan.empty and "disagree" in plan.refused[0].reason
    with pytest.raises(DnsProviderError):
        build_plan("manual", Z, desired[:1], {}, remove=desired[:1])

"""Static lookup counting through includes and redirects, with an in-memory DNS."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.spf.count import count_lookups


def _chain(total_includes: int) -> dict[str, str]:
    """example.com includes i1, i1 includes i2, ... : ``total_includes`` lookups in all."""
    records = {}
    for i in range(total_includes):
        name = "example.com" if i == 0 else f"i{i}.example.com"
        records[name] = f"v=spf1 include:i{i + 1}.example.com -all"
    records[f"i{total_includes}.example.com"] = "v=spf1 ip4:192.0.2.1 -all"
    return records


def test_nested_includes_three_levels() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 include:a.example.com mx -all"],
            ("a.example.com", "TXT"): ["v=spf1 include:b.example.com a:h.example.com ~all"],
            ("b.example.com", "TXT"): ["v=spf1 include:c.example.com ~all"],
            ("c.example.com", "TXT"): ["v=spf1 ip4:192.0.2.0/24 -all"],
            ("example.com", "MX"): ["10 mx.example.com."],
            ("h.example.com", "A"): ["192.0.2.7"],
        }
    )
    count = count_lookups("example.com", lookup)
    assert (count.dns_lookups, count.void_lookups, count.error_kind) == (5, 0, None)
    assert count.recursive
    a = count.tree.children[0]
    assert (a.domain, a.lookups) == ("a.example.com", 2)
    assert a.children[0].children[0].domain == "c.example.com"


def test_exactly_ten_lookups_is_fine() -> None:
    count = count_lookups(
        "example.com", StaticLookup({(n, "TXT"): [v] for n, v in _chain(10).items()})
    )
    assert count.dns_lookups == 10
    assert count.error_kind is None


def test_eleven_lookups_is_too_many() -> None:
    count = count_lookups(
        "example.com", StaticLookup({(n, "TXT"): [v] for n, v in _chain(11).items()})
    )
    assert count.dns_lookups == 11
    assert count.error_kind == "too_many_dns_lookups"


def test_openspf_mech_over_limit_counted_statically() -> None:
    # The IP matches ip4 before the 11th lookup is reached; a receiver stopping early would
    # pass it, but the record is still over the limit for other senders.
    record = "v=spf1 a mx a mx a mx a mx a ptr a ip4:1.2.3.4 -all"
    count = count_lookups(record)
    assert count.dns_lookups == 11
    assert count.error_kind == "too_many_dns_lookups"
    assert not count.recursive


def test_redirect_counts_and_is_followed() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 mx redirect=_spf.example.com"],
            ("_spf.example.com", "TXT"): ["v=spf1 include:x.example.net a:h.example.com -all"],
            ("x.example.net", "TXT"): ["v=spf1 ip4:192.0.2.1 -all"],
            ("example.com", "MX"): ["10 mx.example.com."],
            ("h.example.com", "A"): ["192.0.2.7"],
        }
    )
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 4  # mx, redirect, include, a
    assert count.error_kind is None


def test_redirect_ignored_when_all_present() -> None:
    lookup = StaticLookup({("example.com", "TXT"): ["v=spf1 -all redirect=missing.example.com"]})
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 0
    assert count.error_kind is None
    assert "redirect_ignored_with_all" in {w.kind for w in count.warnings}
    assert ("missing.example.com.", "TXT") not in lookup.queries


def test_terms_after_all_are_not_counted_but_warned() -> None:
    count = count_lookups("v=spf1 -all include:a.example include:b.example")
    assert count.dns_lookups == 0
    assert "terms_after_all_ignored" in {w.kind for w in count.warnings}


def test_exp_ip4_ip6_all_do_not_count() -> None:
    count = count_lookups("v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 -all exp=why.example.com")
    assert count.dns_lookups == 0


def test_three_void_lookups_are_too_many() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): [
                "v=spf1 a:err.example.com a:err1.example.com a:err2.example.com ?all"
            ]
        }
    )
    count = count_lookups("example.com", lookup)
    assert count.void_lookups == 3
    assert count.error_kind == "too_many_void_lookups"


def test_two_void_lookups_are_at_the_limit() -> None:
    lookup = StaticLookup(
        {("example.com", "TXT"): ["v=spf1 a:err.example.com mx:err1.example.com ?all"]}
    )
    count = count_lookups("example.com", lookup)
    assert count.void_lookups == 2
    assert count.error_kind is None


def test_void_counts_nodata_for_exists_and_mx() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 exists:here.example.com mx:here.example.com -all"],
            ("here.example.com", "TXT"): ["not spf"],
        }
    )
    count = count_lookups("example.com", lookup)
    assert count.void_lookups == 2


def test_a_name_with_only_aaaa_is_not_void() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 a:v6.example.com -all"],
            ("v6.example.com", "AAAA"): ["2001:db8::1"],
        }
    )
    assert count_lookups("example.com", lookup).void_lookups == 0


def test_dns_errors_are_reported_not_counted_as_void() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): [
                "v=spf1 a:e1.example.com a:e2.example.com a:e3.example.com"
                " include:e4.example.com -all"
            ]
        },
        errors={
            ("e1.example.com", "A"): "timed out",
            ("e2.example.com", "A"): "SERVFAIL",
            ("e3.example.com", "A"): "timed out",
            ("e4.example.com", "TXT"): "timed out",
        },
    )
    count = count_lookups("example.com", lookup)
    assert count.void_lookups == 0
    assert count.dns_lookups == 4
    assert count.error_kind is None
    dns_errors = [w for w in count.warnings if w.kind == "dns_error"]
    assert len(dns_errors) == 4
    assert "may be incomplete" in dns_errors[0].message


def test_include_loop_is_an_error() -> None:
    lookup = StaticLookup(
        {
            ("e2.example.com", "TXT"): ["v=spf1 include:e3.example.com"],
            ("e3.example.com", "TXT"): ["v=spf1 include:e2.example.com"],
        }
    )
    count = count_lookups("e2.example.com", lookup)
    assert count.error_kind == "too_many_dns_lookups"
    assert any("loops back" in e.message for e in count.errors)


def test_redirect_to_itself_is_a_loop() -> None:
    lookup = StaticLookup(
        {("e1.example.com", "TXT"): ["v=spf1 ip4:1.1.1.1 redirect=e1.example.com"]}
    )
    assert count_lookups("e1.example.com", lookup).error_kind == "too_many_dns_lookups"


def test_diamond_includes_count_twice_but_are_no_loop() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 include:a.example.com include:b.example.com -all"],
            ("a.example.com", "TXT"): ["v=spf1 include:shared.example.com -all"],
            ("b.example.com", "TXT"): ["v=spf1 include:shared.example.com -all"],
            ("shared.example.com", "TXT"): ["v=spf1 ip4:192.0.2.1 -all"],
        }
    )
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 4
    assert count.error_kind is None


@pytest.mark.parametrize(
    ("target_records", "reason"),
    [({}, "does not exist"), ({("nospf.example.com", "TXT"): ["v=spfl not spf"]}, "has no SPF")],
)
def test_include_without_spf_record(
    target_records: dict[tuple[str, str], list[str]], reason: str
) -> None:
    lookup = StaticLookup(
        {("example.com", "TXT"): ["v=spf1 include:nospf.example.com -all"], **target_records}
    )
    count = count_lookups("example.com", lookup)
    assert count.error_kind == "include_target_has_no_spf"
    assert reason in count.errors[0].message


def test_redirect_to_name_without_spf() -> None:
    lookup = StaticLookup({("example.com", "TXT"): ["v=spf1 redirect=erehwon.example.com"]})
    assert count_lookups("example.com", lookup).error_kind == "include_target_has_no_spf"


def test_include_target_with_two_records_or_bad_syntax() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 include:two.example.com -all"],
            ("two.example.com", "TXT"): ["v=spf1 -all", "v=spf1 +all"],
            ("bad.example.com", "TXT"): ["v=spf1 include:syn.example.com -all"],
            ("syn.example.com", "TXT"): ["v=spf1 ip4:1.2.3 -all"],
        }
    )
    assert count_lookups("example.com", lookup).error_kind == "multiple_spf_records"
    assert count_lookups("bad.example.com", lookup).error_kind == "syntax"


def test_top_level_outcomes() -> None:
    lookup = StaticLookup(
        {
            ("none.example.com", "TXT"): ["google-site-verification=abc"],
            ("two.example.com", "TXT"): ["v=spf1 -all", "V=sPf1 +all"],
            ("syntax.example.com", "TXT"): ["v=spf1 ip4:1.2.3.4 -all moo"],
        },
        errors={("broken.example.com", "TXT"): "SERVFAIL"},
    )
    assert count_lookups("none.example.com", lookup).error_kind == "no_spf_record"
    assert count_lookups("missing.example.com", lookup).error_kind == "no_spf_record"
    two = count_lookups("two.example.com", lookup)
    assert two.error_kind == "multiple_spf_records"
    assert two.records == ("v=spf1 -all", "V=sPf1 +all")
    assert count_lookups("syntax.example.com", lookup).error_kind == "syntax"
    assert count_lookups("broken.example.com", lookup).error_kind == "dns_error"


def test_mx_with_more_than_ten_names_is_noted() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 mx -all"],
            ("example.com", "MX"): [f"{i} mx{i}.example.com." for i in range(11)],
        }
    )
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 1
    assert "mx_too_many_names" in {w.kind for w in count.warnings}


def test_macro_include_is_counted_once_and_noted() -> None:
    lookup = StaticLookup({("example.com", "TXT"): ["v=spf1 include:%{ir}.x.example.com -all"]})
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 1
    assert "macro_target_not_followed" in {w.kind for w in count.warnings}
    assert lookup.queries == [("example.com.", "TXT")]


def test_runaway_include_tree_stops() -> None:
    # Every level includes the next twice: a naive walk would make 2**30 queries.
    table = {
        (f"l{i}.example.com", "TXT"): [
            f"v=spf1 include:l{i + 1}.example.com include:l{i + 1}.example.com"
        ]
        for i in range(30)
    }
    lookup = StaticLookup(table)
    count = count_lookups("l0.example.com", lookup)
    assert count.error_kind == "too_many_dns_lookups"
    assert count.truncated
    assert len(lookup.queries) < 200


def test_a_and_mx_without_target_use_the_owner() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 a mx -all"],
            ("example.com", "A"): ["192.0.2.1"],
            ("example.com", "MX"): ["10 mx.example.com."],
        }
    )
    count = count_lookups("example.com", lookup)
    assert (count.dns_lookups, count.void_lookups) == (2, 0)
    assert ("example.com.", "A") in lookup.queries and ("example.com.", "MX") in lookup.queries


def test_domain_counting_needs_a_lookup() -> None:
    with pytest.raises(ValueError, match="needs a DNS lookup"):
        count_lookups("example.com")


def test_tree_is_json_ready() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 include:a.example.com -all"],
            ("a.example.com", "TXT"): ["v=spf1 ip4:192.0.2.1 -all"],
        }
    )
    tree = count_lookups("example.com", lookup).tree.to_json()
    assert tree["domain"] == "example.com"
    assert tree["children"][0]["via"] == "include:a.example.com"  # type: ignore[index]


def test_hostile_record_does_not_cost_thousands_of_queries() -> None:
    record = "v=spf1 " + " ".join(f"a:h{i}.example.com" for i in range(3000)) + " -all"
    lookup = StaticLookup({("example.com", "TXT"): [record]})
    count = count_lookups("example.com", lookup)
    assert count.dns_lookups == 3000
    assert count.error_kind == "too_many_dns_lookups"
    assert count.truncated
    assert len(lookup.queries) < 100

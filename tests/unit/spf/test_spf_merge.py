"""Merging a term into existing TXT values (reference email-auth.md 3.4)."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.spf.merge import check_merge_term, merge_spf, split_txt_strings


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "v=spf1 include:amazonses.com ~all"),
        (["google-site-verification=abc"], "v=spf1 include:amazonses.com ~all"),
        (["v=spf1 mx -all"], "v=spf1 mx include:amazonses.com -all"),
        (["v=spf1 mx ?all"], "v=spf1 mx include:amazonses.com ?all"),
        (["v=spf1 mx ~ALL"], "v=spf1 mx include:amazonses.com ~ALL"),
        (["v=spf1 -all"], "v=spf1 include:amazonses.com -all"),
        (["V=SPF1 mx  -all"], "V=SPF1 mx  include:amazonses.com -all"),
        (
            ["v=spf1 mx redirect=_spf.example.com"],
            "v=spf1 mx include:amazonses.com redirect=_spf.example.com",
        ),
        (["v=spf1 -all exp=x.example.com"], "v=spf1 include:amazonses.com -all exp=x.example.com"),
        (["v=spf1 ip4:192.0.2.1"], "v=spf1 ip4:192.0.2.1 include:amazonses.com"),
        (["v=spf1 ip4:192.0.2.1   "], "v=spf1 ip4:192.0.2.1 include:amazonses.com"),
        (["v=spf1"], "v=spf1 include:amazonses.com"),
        (
            ["v=spf1 mx -all include:late.example"],
            "v=spf1 mx include:amazonses.com -all include:late.example",
        ),
    ],
)
def test_merge_places_the_term(existing: list[str], expected: str) -> None:
    result = merge_spf(existing)
    assert result.error_kind is None
    assert result.changed
    assert result.record == expected


@pytest.mark.parametrize(
    "record",
    [
        "v=spf1 include:amazonses.com ~all",
        "v=spf1 INCLUDE:AmazonSES.com -all",
        "v=spf1 +include:amazonses.com. -all",
    ],
)
def test_already_present_is_a_no_op(record: str) -> None:
    result = merge_spf(["other=1", record])
    assert (result.record, result.changed, result.error_kind) == (record, False, None)


def test_present_with_another_qualifier_is_kept_and_noted() -> None:
    result = merge_spf(["v=spf1 -include:amazonses.com ~all"])
    assert result.record == "v=spf1 -include:amazonses.com ~all"
    assert not result.changed
    assert "term_present_with_other_qualifier" in {n.kind for n in result.notes}


def test_two_spf_records_are_refused() -> None:
    result = merge_spf(["v=spf1 -all", "V=spf1 include:x.example ~all"])
    assert (result.record, result.changed, result.error_kind) == (
        None,
        False,
        "multiple_spf_records",
    )
    assert result.existing == ("v=spf1 -all", "V=spf1 include:x.example ~all")


def test_over_ten_lookups_is_refused_statically() -> None:
    existing = "v=spf1 " + " ".join(f"include:s{i}.example.com" for i in range(10)) + " -all"
    result = merge_spf([existing])
    assert (result.record, result.error_kind, result.dns_lookups) == (
        None,
        "too_many_dns_lookups",
        11,
    )
    assert "dedicated MAIL FROM subdomain" in result.message


def test_ten_lookups_after_merge_is_accepted() -> None:
    existing = "v=spf1 " + " ".join(f"include:s{i}.example.com" for i in range(9)) + " -all"
    result = merge_spf([existing])
    assert result.error_kind is None
    assert result.dns_lookups == 10
    assert not result.recursive


def test_resolving_counts_through_includes() -> None:
    lookup = StaticLookup(
        {
            ("big.example.com", "TXT"): [
                "v=spf1 " + " ".join(f"a:h{i}.example.com" for i in range(9)) + " -all"
            ],
            ("amazonses.com", "TXT"): ["v=spf1 ip4:199.255.192.0/22 -all"],
            **{(f"h{i}.example.com", "A"): ["192.0.2.1"] for i in range(9)},
        }
    )
    static = merge_spf(["v=spf1 include:big.example.com -all"])
    assert static.error_kind is None and static.dns_lookups == 2
    resolved = merge_spf(["v=spf1 include:big.example.com -all"], lookup=lookup)
    assert resolved.recursive
    assert (resolved.error_kind, resolved.dns_lookups) == ("too_many_dns_lookups", 11)


def test_resolving_notes_problems_without_refusing() -> None:
    lookup = StaticLookup({}, errors={("amazonses.com", "TXT"): "timed out"})
    result = merge_spf([], lookup=lookup)
    assert result.error_kind is None
    assert result.record == "v=spf1 include:amazonses.com ~all"
    assert "dns_error" in {n.kind for n in result.notes}
    missing = merge_spf([], "include:typo.example", lookup=StaticLookup({}))
    assert "include_target_has_no_spf" in {n.kind for n in missing.notes}


def test_existing_record_with_syntax_error_is_refused() -> None:
    result = merge_spf(["v=spf1 include: amazonses.com -all"])
    assert (result.record, result.error_kind) == (None, "syntax")
    assert "write include:amazonses.com" in result.message


def test_near_miss_values_are_ignored_with_a_note() -> None:
    result = merge_spf([" v=spf1 -all", "v=spf10 mx"])
    assert result.record == "v=spf1 include:amazonses.com ~all"
    assert [n.kind for n in result.notes].count("not_selected_as_spf") == 2


def test_other_terms_can_be_merged() -> None:
    result = merge_spf(["v=spf1 mx -all"], "ip4:192.0.2.0/24")
    assert result.record == "v=spf1 mx ip4:192.0.2.0/24 -all"
    assert result.dns_lookups == 1


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("include: amazonses.com", "write include:amazonses.com"),
        ("include:amazonses.com -all", "more than one term"),
        ("v=spf1", "not a whole record"),
        ("v=spf1 include:amazonses.com", "not a whole record"),
        ("all", "all term"),
        ("-all", "all term"),
        ("redirect=x.example.com", "modifier"),
        ("exp=x.example.com", "modifier"),
        ("include:", "not a valid SPF term"),
        ("include:amazonses", "not a valid SPF term"),
        ("ip4:1.2.3", "not a valid SPF term"),
        ("include:\udcff.example", "not a valid SPF term"),
    ],
)
def test_bad_terms_are_refused(term: str, message: str) -> None:
    problem = check_merge_term(term)
    assert problem is not None and message in problem
    result = merge_spf(["v=spf1 -all"], term)
    assert (result.record, result.error_kind) == (None, "syntax")


@pytest.mark.parametrize(
    "term",
    [
        "include:amazonses.com",
        "-ip4:192.0.2.1",
        "a:mail.example.com/24",
        "mx",
        "exists:%{i}.x.example.com",
    ],
)
def test_good_terms_are_accepted(term: str) -> None:
    assert check_merge_term(term) is None


def test_long_records_split_after_spaces() -> None:
    record = "v=spf1 " + " ".join(f"ip4:192.0.2.{i}" for i in range(40)) + " -all"
    strings = split_txt_strings(record)
    assert "".join(strings) == record
    assert all(len(s) <= 255 for s in strings)
    assert all(s.endswith(" ") for s in strings[:-1])


def test_split_without_spaces_still_round_trips() -> None:
    record = "x" * 600
    strings = split_txt_strings(record)
    assert "".join(strings) == record and [len(s) for s in strings] == [255, 255, 90]


def test_merge_result_json_has_exactly_the_contract_keys() -> None:
    assert set(merge_spf([]).to_json()) == {"record", "changed", "error_kind", "dns_lookups"}

"""lookup.py: the Answer type and the in-memory StaticLookup used by every offline test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sesdmarc_tui.core.lookup import Answer, AnswerKind, Lookup, StaticLookup, memoized


@pytest.fixture
def table() -> StaticLookup:
    return StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 -all", "google-site-verification=abc"],
            ("example.com", "MX"): ["10 mx.example.com."],
            ("_dmarc.example.com", "TXT"): ["v=DMARC1; p=none"],
            ("tok._domainkey.example.com", "CNAME"): ["tok.dkim.amazonses.com."],
            ("tok.dkim.amazonses.com", "TXT"): ["p=MIIB"],
            ("dangling.example.com", "CNAME"): ["gone.example.net."],
            ("a.b.c.example.com", "A"): ["192.0.2.1"],
        },
        errors={("broken.example.com", "TXT"): "SERVFAIL"},
        negative_ttl=900,
    )


def test_ok_answer(table: StaticLookup) -> None:
    answer = table("example.com", "TXT")
    assert answer == Answer(
        "example.com.", "TXT", AnswerKind.OK, ("v=spf1 -all", "google-site-verification=abc"), 300
    )
    assert not answer.is_void
    assert answer.name_exists


def test_names_and_types_are_case_and_dot_insensitive(table: StaticLookup) -> None:
    assert table("EXAMPLE.com.", "txt").values == table("example.com", "TXT").values
    assert table.queries == [("example.com.", "TXT"), ("example.com.", "TXT")]


def test_nxdomain(table: StaticLookup) -> None:
    answer = table("nothing.example.org", "TXT")
    assert answer.kind is AnswerKind.NXDOMAIN
    assert answer.values == ()
    assert answer.negative_ttl == 900
    assert answer.is_void
    assert not answer.name_exists


def test_nodata_for_other_type_at_existing_name(table: StaticLookup) -> None:
    answer = table("_dmarc.example.com", "CNAME")
    assert answer.kind is AnswerKind.NODATA
    assert answer.negative_ttl == 900
    assert answer.is_void
    assert answer.name_exists


@pytest.mark.parametrize("name", ["b.c.example.com", "c.example.com", "_domainkey.example.com"])
def test_empty_non_terminals_exist(table: StaticLookup, name: str) -> None:
    """RFC 8020: an ancestor of an existing name answers NODATA, never NXDOMAIN."""
    assert table(name, "TXT").kind is AnswerKind.NODATA


def test_sibling_with_common_suffix_is_not_an_ancestor(table: StaticLookup) -> None:
    assert table("c.example.co", "TXT").kind is AnswerKind.NXDOMAIN
    assert table("xample.com", "TXT").kind is AnswerKind.NXDOMAIN


def test_cname_is_followed_and_reported(table: StaticLookup) -> None:
    answer = table("tok._domainkey.example.com", "TXT")
    assert answer.kind is AnswerKind.OK
    assert answer.values == ("p=MIIB",)
    assert answer.name == "tok._domainkey.example.com."
    assert answer.cname_chain == ("tok.dkim.amazonses.com.",)
    assert table.queries == [
        ("tok._domainkey.example.com.", "TXT"),
        ("tok.dkim.amazonses.com.", "TXT"),
    ]


def test_cname_query_returns_the_cname_itself(table: StaticLookup) -> None:
    answer = table("tok._domainkey.example.com", "CNAME")
    assert answer.kind is AnswerKind.OK
    assert answer.values == ("tok.dkim.amazonses.com.",)
    assert answer.cname_chain == ()


def test_dangling_cname_gives_nxdomain_with_chain(table: StaticLookup) -> None:
    answer = table("dangling.example.com", "TXT")
    assert answer.kind is AnswerKind.NXDOMAIN
    assert answer.cname_chain == ("gone.example.net.",)


def test_forced_error(table: StaticLookup) -> None:
    answer = table("Broken.Example.com", "txt")
    assert answer.kind is AnswerKind.ERROR
    assert answer.error == "SERVFAIL"
    assert not answer.is_void
    assert not answer.name_exists


def test_error_at_cname_target_propagates() -> None:
    lookup = StaticLookup(
        {("a.example.com", "CNAME"): ["b.example.net."]},
        errors={("b.example.net", "TXT"): "timeout"},
    )
    answer = lookup("a.example.com", "TXT")
    assert answer.kind is AnswerKind.ERROR
    assert answer.error == "timeout"
    assert answer.cname_chain == ("b.example.net.",)


def test_cname_chain_of_two() -> None:
    lookup = StaticLookup(
        {
            ("a.example", "CNAME"): ["b.example."],
            ("b.example", "CNAME"): ["c.example."],
            ("c.example", "TXT"): ["hello"],
        }
    )
    answer = lookup("a.example", "TXT")
    assert answer.values == ("hello",)
    assert answer.cname_chain == ("b.example.", "c.example.")


@pytest.mark.parametrize(
    "records",
    [
        {("a.example", "CNAME"): ["a.example."]},
        {("a.example", "CNAME"): ["b.example."], ("b.example", "CNAME"): ["a.example."]},
        {
            ("a.example", "CNAME"): ["b.example."],
            ("b.example", "CNAME"): ["c.example."],
            ("c.example", "CNAME"): ["b.example."],
        },
    ],
)
def test_cname_loop_is_an_error_not_a_recursion_error(
    records: dict[tuple[str, str], list[str]],
) -> None:
    answer = StaticLookup(records)("a.example", "TXT")
    assert answer.kind is AnswerKind.ERROR
    assert answer.error == "CNAME loop"


def test_add_appends_values_and_creates_names() -> None:
    lookup = StaticLookup()
    assert lookup("example.com", "TXT").kind is AnswerKind.NXDOMAIN
    lookup.add("Example.com.", "txt", "one")
    lookup.add("example.com", "TXT", "two", "three")
    assert lookup("example.com", "TXT").values == ("one", "two", "three")


def test_declared_name_without_values_is_nodata() -> None:
    lookup = StaticLookup({("empty.example.com", "TXT"): []})
    assert lookup("empty.example.com", "TXT").kind is AnswerKind.NODATA
    assert lookup("empty.example.com", "A").kind is AnswerKind.NODATA
    assert lookup("example.com", "TXT").kind is AnswerKind.NODATA


def test_static_lookup_satisfies_the_lookup_type() -> None:
    lookup: Lookup = StaticLookup()
    assert lookup("x.example", "A").kind is AnswerKind.NXDOMAIN


@pytest.mark.parametrize(
    ("kind", "void", "exists"),
    [
        (AnswerKind.OK, False, True),
        (AnswerKind.NODATA, True, True),
        (AnswerKind.NXDOMAIN, True, False),
        (AnswerKind.ERROR, False, False),
    ],
)
def test_answer_properties(kind: AnswerKind, void: bool, exists: bool) -> None:
    answer = Answer("x.", "TXT", kind)
    assert answer.is_void is void
    assert answer.name_exists is exists


def test_answer_kind_values_are_stable_strings() -> None:
    assert [k.value for k in AnswerKind] == ["ok", "nxdomain", "nodata", "error"]
    assert AnswerKind("nodata") is AnswerKind.NODATA


LABEL = st.from_regex(r"\A[a-z][a-z0-9]{0,6}\Z")


@given(st.lists(st.lists(LABEL, min_size=1, max_size=4).map(".".join), min_size=1, max_size=6))
def test_every_published_name_and_ancestor_exists(names: list[str]) -> None:
    lookup = StaticLookup({(n, "TXT"): ["x"] for n in names})
    for name in names:
        assert lookup(name, "TXT").kind is AnswerKind.OK
        assert lookup(name, "MX").kind is AnswerKind.NODATA
        labels = name.split(".")
        for i in range(1, len(labels)):
            ancestor = ".".join(labels[i:])
            assert lookup(ancestor, "MX").kind is AnswerKind.NODATA
    assert len(lookup.queries) >= 2 * len(names)


def test_memoized_asks_each_name_and_type_once(table: StaticLookup) -> None:
    asked: list[tuple[str, str]] = []

    def counting(name: str, rdtype: str) -> Answer:
        asked.append((name, rdtype))
        return table(name, rdtype)

    ask = memoized(counting)
    first = ask("Example.COM", "txt")
    assert ask("example.com.", "TXT") == first == table("example.com", "TXT")
    assert ask("example.com", "MX") == table("example.com", "MX")
    assert len(asked) == 2  # the second TXT question was answered from memory

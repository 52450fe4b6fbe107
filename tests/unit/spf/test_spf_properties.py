"""Properties of parsing and merging over generated records and arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.spf.merge import merge_spf
from sesdmarc_tui.core.spf.parse import parse_spf, parse_term, select_spf_records

LETTERS = "abcdefghijklmnopqrstuvwxyz"
label = st.builds(
    lambda head, mid: head + mid,
    st.text(LETTERS + "0123456789", min_size=1, max_size=4),
    st.sampled_from(["", "-x", "-1", "--y2"]),
)
tld = st.text(LETTERS, min_size=2, max_size=6)
domain = st.builds(
    lambda labels, top: ".".join([*labels, top]), st.lists(label, min_size=1, max_size=3), tld
)
qualifier = st.sampled_from(["", "+", "-", "~", "?"])
octet = st.integers(0, 255).map(str)
ip4 = st.builds(lambda a, b, c, d: f"{a}.{b}.{c}.{d}", octet, octet, octet, octet)
cidr4 = st.one_of(st.just(""), st.integers(0, 32).map(lambda n: f"/{n}"))
mechanism = st.one_of(
    domain.map(lambda d: f"include:{d}"),
    st.just("a"),
    domain.map(lambda d: f"a:{d}"),
    st.just("mx"),
    st.builds(lambda d, c: f"mx:{d}{c}", domain, cidr4),
    st.builds(lambda ip, c: f"ip4:{ip}{c}", ip4, cidr4),
    st.sampled_from(["ip6:2001:db8::/32", "ip6:::1", "ip6:2001:db8:1::5/128"]),
    domain.map(lambda d: f"exists:%{{i}}.{d}"),
    st.just("ptr"),
)
directive = st.builds(lambda q, m: q + m, qualifier, mechanism)
all_term = st.builds(lambda q: q + "all", qualifier)
version = st.sampled_from(["v=spf1", "V=SPF1", "v=Spf1"])
space = st.sampled_from([" ", "  ", "   "])


@st.composite
def spf_records(draw: st.DrawFn) -> str:
    terms = draw(st.lists(directive, max_size=8))
    if draw(st.booleans()):
        terms.insert(draw(st.integers(0, len(terms))), draw(all_term))
    if draw(st.booleans()):
        terms.append("redirect=" + draw(domain))
    if draw(st.booleans()):
        terms.append("exp=" + draw(domain))
    if draw(st.booleans()):
        terms.append("x-note=" + draw(label))
    text = draw(version)
    for term in terms:
        text += draw(space) + term
    return text + draw(st.sampled_from(["", " "]))


non_spf_txt = st.text(max_size=60).filter(lambda t: not t.lower().startswith("v=spf1"))
existing_values = st.builds(
    lambda record, others, position: [*others[:position], *record, *others[position:]],
    st.lists(spf_records(), max_size=1),
    st.lists(non_spf_txt, max_size=3),
    st.integers(0, 3),
)
merge_terms = st.one_of(
    st.just("include:amazonses.com"),
    directive.filter(lambda t: not t.lstrip("+-~?").startswith("all")),
)


@given(spf_records())
def test_generated_records_parse_valid(record: str) -> None:
    parsed = parse_spf(record)
    assert parsed.valid, (record, parsed.errors)


@settings(max_examples=300)
@given(existing_values, merge_terms)
def test_merge_yields_one_valid_record_with_the_term_once(values: list[str], term: str) -> None:
    result = merge_spf(values, term)
    if result.error_kind is not None:
        assert result.record is None
        assert result.error_kind == "too_many_dns_lookups"
        return
    assert result.record is not None
    assert select_spf_records([result.record]) == [result.record]
    assert result.record.lower().count("v=spf1") == 1
    parsed = parse_spf(result.record)
    assert parsed.valid, (result.record, parsed.errors)
    new = parse_term(term)
    old = select_spf_records(values)
    before = sum(1 for t in parse_spf(old[0]).terms if t.same_as(new)) if old else 0
    assert sum(1 for t in parsed.terms if t.same_as(new)) == max(before, 1)
    if not result.changed:
        assert result.record in values
    else:
        # Nothing of the owner's record is lost: its terms are all still there, in order.
        if old:
            assert [t.text for t in parsed.terms if not t.same_as(new)] == [
                t.text for t in parse_spf(old[0]).terms
            ]
        all_term_ = parsed.all_term
        position = next(i for i, t in enumerate(parsed.terms) if t.same_as(new))
        if all_term_ is not None:
            assert parsed.terms[position + 1] is all_term_


@settings(max_examples=300)
@given(st.lists(st.text(max_size=80), max_size=4), st.text(max_size=40))
def test_merge_never_raises_and_never_makes_two_records(values: list[str], term: str) -> None:
    result = merge_spf(values, term)
    if result.record is not None:
        assert len(select_spf_records([result.record])) == 1
        assert parse_spf(result.record).valid


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text().map(lambda t: "v=spf1 " + t)))
def test_parse_never_raises(text: str) -> None:
    record = parse_spf(text)
    assert record.valid in (True, False)


@given(st.lists(spf_records(), min_size=2, max_size=3), merge_terms)
def test_two_or_more_records_are_always_refused(records: list[str], term: str) -> None:
    result = merge_spf(records, term)
    assert (result.record, result.error_kind) == (None, "multiple_spf_records")

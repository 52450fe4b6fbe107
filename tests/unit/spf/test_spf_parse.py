"""Record selection and RFC 7208 section 12 syntax, term by term (openspf suite cases included)."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.spf.parse import (
    is_spf_text,
    parse_spf,
    parse_term,
    select_spf_records,
)


@pytest.mark.parametrize(
    ("text", "selected"),
    [
        ("v=spf1", True),
        ("v=spf1 -all", True),
        ("V=SPF1 -all", True),
        ("v=SpF1 ~all", True),
        ("v=spf10", False),
        ("v=spf1-all", False),
        ("v=spf1\t-all", False),
        (" v=spf1 -all", False),
        ("spf1 -all", False),
        ("v=DMARC1; p=none", False),
        ("", False),
        ("v=spf", False),
    ],
)
def test_record_selection(text: str, selected: bool) -> None:
    assert is_spf_text(text) is selected
    assert parse_spf(text).is_spf is selected


def test_select_keeps_spf_records_in_order_and_ignores_others() -> None:
    values = ["google-site-verification=x", "v=spf1 -all", "v=spf10 +all", "V=spf1 +all"]
    assert select_spf_records(values) == ["v=spf1 -all", "V=spf1 +all"]


VALID = [
    "v=spf1",
    "v=spf1 ",
    "v=spf1 -all",
    "v=spf1 a  -all",  # two spaces between terms are allowed
    "v=spf1 +all",
    "v=spf1 ?all",
    "v=spf1 all -all",
    "v=spf1 include:amazonses.com ~all",
    "v=spf1 INCLUDE:AmazonSES.COM ~ALL",
    "v=spf1 include:o.spf.example.com. ~all",
    "v=spf1 a a/24 a//64 a/24//64 a:mail.example.com/0 a:foo.example.xn--zckzah -all",
    "v=spf1 a:foo:bar/baz.example.com -all",
    "v=spf1 mx mx/24 mx:example.com//128 -all",
    "v=spf1 ptr ptr:example.com -all",
    "v=spf1 exists:%{i}._spf.%{d} -all",
    "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d2} -all",
    "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
    "v=spf1 a:%{H}.bar -all",
    "v=spf1 ip4:192.0.2.1 ip4:0.0.0.0/0 ip4:192.0.2.0/32 -all",
    "v=spf1 ip6:2001:db8::/32 ip6:::1.1.1.1/0 ip6:Cafe:Babe:8000::/33 ip6:::1 -all",
    "v=spf1 redirect=_spf.example.com",
    "v=spf1 redirect=%{d}.d.spf.example.com.",
    "v=spf1 -all exp=explain.example.com",
    "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
    "v=spf1 default=pass",
    "v=spf1 ip4:192.0.2.1 -all foo=",
]


@pytest.mark.parametrize("record", VALID)
def test_valid_records(record: str) -> None:
    parsed = parse_spf(record)
    assert parsed.valid, parsed.errors


INVALID = [
    ("v=spf1 include: amazonses.com -all", "write include:amazonses.com"),
    ("v=spf1 include:", "empty"),
    ("v=spf1 include", "needs a domain"),
    ("v=spf1 include:ip5.example.com/24 -all", "no CIDR"),
    ("v=spf1 ip4:1.2.3.4 -all moo", "unknown mechanism"),
    ("v=spf1 -all.", "unknown mechanism"),
    ("v=spf1 -all:foobar", "all takes no argument"),
    ("v=spf1 -all/8", "all takes no argument"),
    ("v=spf1 ptr/0 -all", "ptr takes no CIDR"),
    ("v=spf1 ptr:", "empty"),
    ("v=spf1 a/33 -all", "CIDR"),
    ("v=spf1 a//129 -all", "CIDR"),
    ("v=spf1 a/24/64 -all", "CIDR"),
    ("v=spf1 a/024 -all", "CIDR"),
    ("v=spf1 a:", "empty"),
    ("v=spf1 mx: -all", "empty"),
    ("v=spf1 a:example.com:8080", "top-level label"),
    ("v=spf1 a:111.222.33.44", "ip4"),
    ("v=spf1 a:abc.123", "numeric"),
    ("v=spf1 a:museum", "fully qualified"),
    ("v=spf1 a:museum.", "fully qualified"),
    ("v=spf1 a:example.-com", "top-level label"),
    ("v=spf1 a:foo-bar -all", "fully qualified"),
    ("v=spf1 a:mail.example...com -all", "empty label"),
    ("v=spf1 a:" + "a" * 64 + ".example.com -all", "longer than 63"),
    ("v=spf1 a:foo.example.com\x00", "control character"),
    ("v=spf1 a:ctrl.example.com\rptr -all", "control character"),
    ("v=spf1 \x80a:example.net -all", "non-ASCII"),
    ("v=spf1 a:\ufeffgarbage.example.net -all", "non-ASCII"),
    ("v=spf1 a:example.net \udcffall", "not valid UTF-8"),
    ("v=spf1 exists:", "empty"),
    ("v=spf1 exists", "needs a domain"),
    ("v=spf1 exists:mail.example.com/24", "no CIDR"),
    ("v=spf1 -exists:%(ir).sbl.example.com ?all", "'%' must be followed"),
    ("v=spf1 exists:foo%.sbl.example.com ?all", "'%' must be followed"),
    ("v=spf1 a:%{a}.example.com -all", "not a valid macro"),
    ("v=spf1 -all exp=%{r}.example.com", "only in explanation"),
    ("v=spf1 a:%{d0}.example.com -all", "nonzero"),
    ("v=spf1 a:%{d.example.com -all", "closing"),
    ("v=spf1 ip4", "needs an address"),
    ("v=spf1 ip4:", "needs an address"),
    ("v=spf1 ip4:1.2.3", "complete IPv4"),
    ("v=spf1 ip4:1.2.3.4:8080", "complete IPv4"),
    ("v=spf1 ip4:1.2.03.4", "complete IPv4"),
    ("v=spf1 ip4:1.2.3.256", "complete IPv4"),
    ("v=spf1 ip4:1.2.3.4/33 -all", "CIDR"),
    ("v=spf1 ip4:1.2.3.4/032 -all", "CIDR"),
    ("v=spf1 ip4:1.2.3.4//32", "dual"),
    ("v=spf1 -all ip6", "needs an address"),
    ("v=spf1 ip6::CAFE::BABE", "not an IPv6"),
    ("v=spf1 ip6:::1.1.1.1/129", "CIDR"),
    ("v=spf1 ip6:::1.1.1.1//33", "dual"),
    ("v=spf1 ip6:fe80::1%eth0", "not an IPv6"),
    ("v=spf1 ip:192.0.2.1 -all", "did you mean ip4"),
    ("v=spf1 ipv4:192.0.2.1 -all", "did you mean ip4"),
    ("v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "is a modifier"),
    ("v=spf1 =all", "unknown mechanism"),
    ("v=spf1 1up=foo", "unknown mechanism"),
    ("v=spf1 ++all", "two qualifiers"),
    ("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all", "unknown mechanism"),
    ("v=spf1 -all foo=%abc", "invalid value for the modifier"),
    ("v=spf1 redirect=-all ?all", "fully qualified"),
    ("v=spf1 ?all redirect=", "empty"),
    ("v=spf1 exp= -all", "empty"),
    ("v=spf1 exp=-all", "fully qualified"),
    ("v=spf1 redirect=a.example.com -all redirect=a.example.com", "more than once"),
    ("v=spf1 exp=a.example.com -all exp=b.example.com", "more than once"),
]


@pytest.mark.parametrize(("record", "message"), INVALID)
def test_invalid_records(record: str, message: str) -> None:
    parsed = parse_spf(record)
    assert parsed.is_spf
    assert not parsed.valid
    assert any(message in error for error in parsed.errors), parsed.errors


@pytest.mark.parametrize(
    ("text", "kind", "name", "qualifier", "target", "cidr4", "cidr6"),
    [
        ("-all", "mechanism", "all", "-", None, None, None),
        ("all", "mechanism", "all", "", None, None, None),
        ("include:amazonses.com", "mechanism", "include", "", "amazonses.com", None, None),
        ("~A:Mail.Example.com/24//64", "mechanism", "a", "~", "Mail.Example.com", 24, 64),
        ("mx//0", "mechanism", "mx", "", None, None, 0),
        ("?ptr", "mechanism", "ptr", "?", None, None, None),
        ("ip4:192.0.2.0/24", "mechanism", "ip4", "", "192.0.2.0", 24, None),
        ("+ip6:2001:db8::/32", "mechanism", "ip6", "+", "2001:db8::", None, 32),
        ("exists:%{i}.x.example", "mechanism", "exists", "", "%{i}.x.example", None, None),
        ("Redirect=_spf.example.com", "modifier", "redirect", "", "_spf.example.com", None, None),
        ("exp=why.example.com", "modifier", "exp", "", "why.example.com", None, None),
        ("x-custom=anything", "modifier", "x-custom", "", "anything", None, None),
    ],
)
def test_term_parts(
    text: str,
    kind: str,
    name: str,
    qualifier: str,
    target: str | None,
    cidr4: int | None,
    cidr6: int | None,
) -> None:
    term = parse_term(text)
    assert term.valid, term.error
    assert (term.kind, term.name, term.qualifier, term.target, term.cidr4, term.cidr6) == (
        kind,
        name,
        qualifier,
        target,
        cidr4,
        cidr6,
    )


@pytest.mark.parametrize(
    ("text", "causes_lookup", "result"),
    [
        ("include:x.example", True, "pass"),
        ("-a", True, "fail"),
        ("~mx", True, "softfail"),
        ("?ptr", True, "neutral"),
        ("exists:x.example", True, "pass"),
        ("ip4:192.0.2.1", False, "pass"),
        ("ip6:::1", False, "pass"),
        ("-all", False, "fail"),
    ],
)
def test_lookup_causing_terms_and_results(text: str, causes_lookup: bool, result: str) -> None:
    term = parse_term(text)
    assert term.causes_lookup is causes_lookup
    assert term.result == result


def test_redirect_counts_but_exp_does_not() -> None:
    assert parse_term("redirect=x.example").causes_lookup
    assert not parse_term("exp=x.example").causes_lookup


def test_term_offsets_point_into_the_record() -> None:
    text = "v=spf1  mx   include:a.example  -all"
    record = parse_spf(text)
    assert [text[t.start : t.start + len(t.text)] for t in record.terms] == [
        "mx",
        "include:a.example",
        "-all",
    ]


def test_all_redirect_and_terms_after_all() -> None:
    record = parse_spf("v=spf1 mx -all include:late.example redirect=r.example")
    assert record.all_term is not None and record.all_term.text == "-all"
    assert [t.text for t in record.terms_after_all] == ["include:late.example"]
    assert [t.text for t in record.evaluated_mechanisms] == ["mx", "-all"]
    assert record.redirect is not None and not record.redirect_used
    assert parse_spf("v=spf1 mx redirect=r.example").redirect_used


def test_same_as_ignores_case_trailing_dot_and_qualifier() -> None:
    base = parse_term("include:amazonses.com")
    assert base.same_as(parse_term("INCLUDE:AmazonSES.com."))
    assert base.same_as(parse_term("-include:amazonses.com"))
    assert not base.same_as(parse_term("include:amazonses.com.example"))
    assert not parse_term("a/24").same_as(parse_term("a"))


def test_not_spf_text_has_an_error_and_no_terms() -> None:
    record = parse_spf("v=spf10 -all")
    assert not record.is_spf and not record.valid and record.terms == ()
    assert "v=spf1" in record.errors[0]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "v=spf1 " + "x" * 10_000,
        "\x00\x01\x02",
        "v=spf1 \udcff\ud800",
        "v=spf1 " + "%" * 500,
    ],
)
def test_hostile_text_never_raises(text: str) -> None:
    parse_spf(text)

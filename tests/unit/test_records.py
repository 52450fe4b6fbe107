"""records.py, txt.py and render.py: validation, TXT strings, comparisons, builders, renderers."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.records import (
    RECORD_TYPES,
    SES_MAIL_FROM_SPF,
    DnsRecord,
    MatchKind,
    RecordError,
    describe_difference,
    dkim_records,
    dmarc_record,
    mail_from_records,
    make_record,
    normalize_value,
    parse_txt_presentation,
    record_matches,
    same_values,
    split_txt,
    txt_presentation,
)
from sesdmarc_tui.core.regions import SES_REGIONS
from sesdmarc_tui.core.render import (
    copy_text,
    parse_route53_txt_value,
    route53_txt_value,
    route53_values,
    to_csv,
    to_zone_lines,
    zone_value,
)
from sesdmarc_tui.core.txt import parse_character_strings

TOKENS = [
    "4vbydlwgo7q5lt4lzmkyl6jdrmhyzzxu",
    "7pbwqrjmqkyzh2nbyiuz5hxsmrjnaqko",
    "xjmgz5yvr3kq6nr4qhn3x7dhl7ggqh3q",
]
DMARC = 'v=DMARC1; p=none; rua=mailto:dmarc@example.com,mailto:"x"@example.net'
KEY = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 9
ANY_CHAR = st.characters(exclude_categories=())


def octets(text: str) -> int:
    return len(text.encode("utf-8"))


def ses_records() -> tuple[DnsRecord, ...]:
    return (
        *dkim_records("example.com", TOKENS, "us-east-1"),
        *mail_from_records("mail.example.com", "us-east-1"),
        dmarc_record("example.com", DMARC),
    )


# --- make_record ---------------------------------------------------------------------------------


def test_make_record_canonicalises() -> None:
    rec = make_record("Tok._DomainKey.Example.COM.", "cname", ["Tok.DKIM.AmazonSES.com."], 1800)
    assert rec == DnsRecord(
        "tok._domainkey.example.com", "CNAME", ("tok.dkim.amazonses.com",), 1800
    )
    assert make_record("bücher.example", "MX", ["10 Mail.Bücher.Example."]).values == (
        "10 mail.xn--bcher-kva.example",
    )
    assert make_record("a.example", "A", [" 192.0.2.1 "]).values == ("192.0.2.1",)
    assert make_record("a.example", "AAAA", ["2001:DB8:0::0:1"]).values == ("2001:db8::1",)
    assert make_record("a.example", "NS", ["NS1.example.net.", "ns2.example.net"]).values == (
        "ns1.example.net",
        "ns2.example.net",
    )


def test_make_record_defaults_and_single_string_value() -> None:
    rec = make_record("example.com", "TXT", "v=spf1 -all")
    assert rec.values == ("v=spf1 -all",)
    assert rec.ttl == 300


def test_txt_values_are_kept_exactly() -> None:
    for value in ["  leading and trailing  ", "Case Matters", "", '"quoted"', "ünïcödé ✓", "a\tb"]:
        assert make_record("example.com", "TXT", [value]).values == (value,)


def test_duplicate_values_collapse_in_order() -> None:
    rec = make_record("example.com", "NS", ["b.example.net", "a.example.net", "B.example.net."])
    assert rec.values == ("b.example.net", "a.example.net")
    assert make_record(
        "example.com", "MX", ["10 mx.example.com", "010 MX.example.com."]
    ).values == ("10 mx.example.com",)


@pytest.mark.parametrize("ttl", [0, 1, 300, 2147483647])
def test_ttl_bounds_accepted(ttl: int) -> None:
    assert make_record("example.com", "A", ["192.0.2.1"], ttl).ttl == ttl


@pytest.mark.parametrize("ttl", [-1, 2147483648, True, 1.5, "300"])
def test_ttl_bounds_refused(ttl: object) -> None:
    with pytest.raises(RecordError, match="TTL"):
        make_record("example.com", "A", ["192.0.2.1"], ttl)  # type: ignore[arg-type]


@pytest.mark.parametrize("pref", [0, 1, 10, 65535])
def test_mx_preference_bounds_accepted(pref: int) -> None:
    assert make_record("example.com", "MX", [f"{pref} mx.example.com"]).values == (
        f"{pref} mx.example.com",
    )


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("65536 mx.example.com", "0 to 65535"),
        ("-1 mx.example.com", "0 to 65535"),
        ("ten mx.example.com", "0 to 65535"),
        ("١٠ mx.example.com", "0 to 65535"),  # Arabic-Indic digits are digits, not ASCII
        ("mx.example.com", "preference and a host"),
        ("10", "preference and a host"),
        ("10 mx.example.com extra", "preference and a host"),
        ("10 bad host!", "preference and a host"),
        ("10 bad_host!.com", "MX host"),
    ],
)
def test_mx_refusals(value: str, fragment: str) -> None:
    with pytest.raises(RecordError, match=fragment):
        make_record("example.com", "MX", [value])


def test_null_mx_is_representable() -> None:
    assert make_record("example.com", "MX", ["0 ."]).values == ("0 .",)


@pytest.mark.parametrize(
    ("name", "rtype", "values", "fragment"),
    [
        ("example.com", "CNAME", ["a.example.net", "b.example.net"], "exactly one"),
        ("example.com", "CNAME", [], "no value"),
        ("example.com", "TXT", [], "no value"),
        ("example.com", "SRV", ["0 0 1 x.example"], "Unsupported"),
        ("example.com", "", ["x"], "Unsupported"),
        ("exa mple.com", "A", ["192.0.2.1"], "Record name"),
        ("x._domainkey..example.com", "CNAME", ["a.example"], "Record name"),
        ("example.com", "A", ["192.0.2.256"], "IPv4"),
        ("example.com", "A", ["2001:db8::1"], "IPv4"),
        ("example.com", "AAAA", ["192.0.2.1"], "IPv6"),
        ("example.com", "CNAME", ["https://target.example"], "CNAME target"),
        ("example.com", "NS", ["ns 1.example"], "NS target"),
        ("example.com", "TXT", ["bad \udcff surrogate"], "encoded"),
        ("example.com", "TXT", [b"bytes"], "text"),
        ("example.com", "TXT", ["x" * 65300], "65,000"),
    ],
)
def test_make_record_refusals(name: str, rtype: str, values: list[object], fragment: str) -> None:
    with pytest.raises(RecordError, match=fragment) as info:
        make_record(name, rtype, values)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_record_error_str() -> None:
    assert str(RecordError("m", "h")) == "m h"
    assert str(RecordError("m")) == "m"


def test_dns_record_direct_construction_must_be_canonical() -> None:
    with pytest.raises(RecordError, match="canonical"):
        DnsRecord("Example.com", "TXT", ("x",), 300)
    with pytest.raises(RecordError, match="canonical"):
        DnsRecord("example.com", "cname", ("a.example",), 300)  # type: ignore[arg-type]
    with pytest.raises(RecordError, match="canonical"):
        DnsRecord("example.com", "TXT", ["x"], 300)  # type: ignore[arg-type]
    with pytest.raises(RecordError):
        DnsRecord("example.com", "CNAME", ("a.example", "b.example"), 300)
    assert DnsRecord("example.com", "TXT", ("x",), 300).values == ("x",)


def test_dns_record_is_frozen_and_hashable() -> None:
    rec = make_record("example.com", "TXT", ["x"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.ttl = 1  # type: ignore[misc]
    assert len({rec, make_record("EXAMPLE.com.", "txt", ["x"])}) == 1


@settings(max_examples=300)
@given(
    st.one_of(st.text(ANY_CHAR, max_size=40), st.from_regex(r"\A[a-z_.]{1,30}\Z")),
    st.sampled_from([*RECORD_TYPES, "SRV", "txt"]),
    st.lists(st.text(ANY_CHAR, max_size=30), max_size=3),
    st.integers(min_value=-5, max_value=2**31 + 5),
)
@example("example.com", "MX", ["10 mx.example.com"], 300)
@example("example.com", "A", ["192.0.2.1"], 0)
def test_make_record_only_raises_record_error_and_is_idempotent(
    name: str, rtype: str, values: list[str], ttl: int
) -> None:
    try:
        rec = make_record(name, rtype, values, ttl)
    except RecordError as exc:
        assert exc.message
        return
    assert make_record(rec.name, rec.rtype, rec.values, rec.ttl) == rec
    assert rec.rtype in RECORD_TYPES
    assert rec.values
    for value in rec.values:
        assert normalize_value(rec.rtype, value, txt_form="joined") == value


# --- split_txt -----------------------------------------------------------------------------------


def check_chunks(value: str, chunks: list[str]) -> None:
    assert "".join(chunks) == value
    assert chunks
    assert all(octets(c) <= 255 for c in chunks)
    assert all(chunks) or chunks == [""]


@settings(max_examples=400)
@given(st.text(max_size=1200))
@example("")
@example("é" * 300)
@example("😀" * 200)
@example("a" * 255)
@example("a" * 256)
@example("a" * 254 + "é")
@example(" " * 600)
def test_split_txt_chunks_fit_and_join_back(value: str) -> None:
    chunks = split_txt(value)
    check_chunks(value, chunks)
    # Boundaries fall after a space unless the word across the boundary cannot fit one string.
    pos = 0
    for chunk in chunks[:-1]:
        pos += len(chunk)
        if value[pos - 1] == " ":
            continue
        space = chunk.rfind(" ")
        if space < 0:
            continue
        next_space = value.find(" ", pos)
        word = value[pos - len(chunk) + space + 1 : len(value) if next_space < 0 else next_space]
        assert octets(word) > 255


@given(
    st.text(
        st.characters(codec="utf-8", exclude_characters=" "),
        min_size=256,
        max_size=2000,
    )
)
def test_split_without_spaces_fills_every_string(value: str) -> None:
    chunks = split_txt(value)
    check_chunks(value, chunks)
    for chunk in chunks[:-1]:
        assert octets(chunk) > 255 - 4  # a 4-octet character may not fit the last 3 octets


SPF_TERM = st.from_regex(r"\A[a-z0-9:./=~+-]{1,254}\Z")


@given(st.lists(SPF_TERM, min_size=1, max_size=40))
def test_split_spf_like_values_only_after_spaces(words: list[str]) -> None:
    value = " ".join(["v=spf1", *words])
    chunks = split_txt(value)
    check_chunks(value, chunks)
    for chunk in chunks[:-1]:
        assert chunk.endswith(" ")
    # Each term survives in one string, so the joined SPF has the same terms.
    terms = [t for chunk in chunks for t in chunk.split(" ") if t]
    assert terms == ["v=spf1", *words]


def test_split_spf_example_keeps_the_space_in_the_first_string() -> None:
    terms = [f"ip4:192.0.2.{i}" for i in range(1, 30)]
    value = "v=spf1 " + " ".join(terms) + " include:amazonses.com ~all"
    chunks = split_txt(value)
    assert len(chunks) == 2
    assert chunks[0].endswith(" ")
    assert not chunks[1].startswith(" ")
    assert "".join(chunks) == value


def test_split_dkim_key_fills_the_first_string() -> None:
    chunks = split_txt(KEY)
    assert [len(c) for c in chunks] == [255, len(KEY) - 255]
    assert chunks[0].startswith("v=DKIM1; k=rsa; p=MIIB")


def test_split_never_cuts_a_multibyte_character() -> None:
    value = "a" + "é" * 200  # 401 octets; a cut at octet 255 would fall inside an é
    chunks = split_txt(value)
    assert [octets(c) for c in chunks] == [255, 146]
    assert chunks[0] == "a" + "é" * 127


def test_split_refuses_surrogates() -> None:
    with pytest.raises(RecordError):
        split_txt("x\udcff")


# --- zone-file presentation ----------------------------------------------------------------------


@settings(max_examples=400)
@given(st.text(max_size=700))
@example('"quoted" and \\backslash\\')
@example("tab\there\nnewline\x00nul\x7fdel")
@example("ünïcödé ✓ 😀")
@example("")
@example("\\065 is not an escape here")
def test_txt_presentation_round_trips(value: str) -> None:
    text = txt_presentation(value)
    assert text.isascii()
    assert all(0x20 <= ord(c) <= 0x7E for c in text)
    assert parse_txt_presentation(text) == value
    strings = parse_character_strings(text)
    assert [s.decode("utf-8") for s in strings] == split_txt(value)
    assert all(len(s) <= 255 for s in strings)


@pytest.mark.parametrize(
    ("value", "presentation"),
    [
        ("v=spf1 include:amazonses.com ~all", '"v=spf1 include:amazonses.com ~all"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("ä", '"\\195\\164"'),
        ("a\tb", '"a\\009b"'),
        ("\x7f", '"\\127"'),
        ("", '""'),
    ],
)
def test_txt_presentation_examples(value: str, presentation: str) -> None:
    assert txt_presentation(value) == presentation
    assert parse_txt_presentation(presentation) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"v=spf1 " "-all"', "v=spf1 -all"),
        ('"a" "b"', "ab"),
        ('"a""b"', "ab"),
        ("unquoted", "unquoted"),
        ('"a" b "c"', "abc"),
        ('( "v=DKIM1; k=rsa; "\n  "p=MIIB" )', "v=DKIM1; k=rsa; p=MIIB"),
        ('"a" ; a comment\n "b"', "ab"),
        ('"\\065\\066C"', "ABC"),
        ('"\\;\\(\\x"', ";(x"),
        ('"semi;colon (paren)"', "semi;colon (paren)"),
        ('"exämple"', "exämple"),
        ('  "padded"  ', "padded"),
        ('""', ""),
        ('"' + "x" * 300 + '"', "x" * 300),
    ],
)
def test_parse_txt_presentation(text: str, value: str) -> None:
    assert parse_txt_presentation(text) == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('"unterminated', "unterminated"),
        ('"ends with \\', "backslash"),
        ('"\\12"', "three digits"),
        ('"\\1a2"', "three digits"),
        ('"\\256"', "255"),
        ('"\\255"', "UTF-8"),
        ("", "no TXT"),
        ("   ", "no TXT"),
        ("( )", "no TXT"),
        ("; only a comment", "no TXT"),
    ],
)
def test_parse_txt_presentation_refusals(text: str, fragment: str) -> None:
    with pytest.raises(RecordError, match=fragment):
        parse_txt_presentation(text)


@settings(max_examples=300)
@given(st.text(ANY_CHAR, max_size=60))
def test_parse_txt_presentation_only_raises_record_error(text: str) -> None:
    with contextlib.suppress(RecordError):
        parse_txt_presentation(text)


# --- Route 53 TXT values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "route53"),
    [
        ("v=spf1 include:amazonses.com ~all", '"v=spf1 include:amazonses.com ~all"'),
        (
            'This string includes "quotation marks".',
            '"This string includes \\"quotation marks\\"."',
        ),
        ("exämple.com", '"ex\\303\\244mple.com"'),  # UTF-8 octets, in octal
        ("é", '"\\303\\251"'),
        ("a\x00b\x1fc\x7f", '"a\\000b\\037c\\177"'),
        ("back\\slash", '"back\\\\slash"'),
    ],
)
def test_route53_txt_value(value: str, route53: str) -> None:
    assert route53_txt_value(value) == route53
    assert parse_route53_txt_value(route53) == value


def test_route53_reads_its_documented_octal_example() -> None:
    # Route 53's docs write é as \351 (one Latin-1 octet); as UTF-8 that octet is not text.
    with pytest.raises(RecordError, match="UTF-8"):
        parse_route53_txt_value('"accented e: \\351"')
    assert parse_route53_txt_value('"A is \\101"') == "A is A"  # octal 101 = 65


def test_route53_splits_long_values() -> None:
    rendered = route53_txt_value(KEY)
    assert rendered.count('" "') == 1
    assert parse_route53_txt_value(rendered) == KEY
    assert all(len(s) <= 255 for s in parse_character_strings(rendered, base=8))


def test_route53_value_length_limit() -> None:
    assert len(route53_txt_value("x" * 3900)) <= 4000
    with pytest.raises(RecordError, match="4000"):
        route53_txt_value("x" * 4000)


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_route53_txt_round_trips(value: str) -> None:
    try:
        rendered = route53_txt_value(value)
    except RecordError:
        assert len(value) * 4 > 250  # only a value that expands past 4000 characters fails
        return
    assert rendered.isascii()
    assert parse_route53_txt_value(rendered) == value


def test_route53_values() -> None:
    mx, spf = mail_from_records("mail.example.com", "eu-west-1")
    assert route53_values(mx) == ("10 feedback-smtp.eu-west-1.amazonses.com",)
    assert route53_values(spf) == ('"v=spf1 include:amazonses.com ~all"',)
    cname = dkim_records("example.com", TOKENS[:1], "us-east-1")[0]
    assert route53_values(cname) == (f"{TOKENS[0]}.dkim.amazonses.com",)


# --- normalised comparison -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rtype", "a", "b"),
    [
        ("CNAME", "Tok.dkim.amazonses.com.", "tok.dkim.amazonses.com"),
        ("CNAME", " TOK.DKIM.AMAZONSES.COM ", "tok.dkim.amazonses.com."),
        ("NS", "NS-1.AWSDNS-01.ORG.", "ns-1.awsdns-01.org"),
        (
            "MX",
            "10 Feedback-SMTP.us-east-1.amazonses.com.",
            "10 feedback-smtp.us-east-1.amazonses.com",
        ),
        (
            "MX",
            "010   feedback-smtp.us-east-1.amazonses.com",
            "10 feedback-smtp.us-east-1.amazonses.com",
        ),
        ("MX", "0 .", "0 ."),
        ("TXT", '"v=spf1 " "-all"', "v=spf1 -all"),
        ("TXT", '"v=spf1 include:amazonses.com ~all"', "v=spf1 include:amazonses.com ~all"),
        ("TXT", "v=spf1 -all", "v=spf1 -all"),
        ("A", "192.0.2.1", " 192.0.2.1"),
        ("AAAA", "2001:DB8::0:1", "2001:db8::1"),
        ("cname", "a.example.", "A.EXAMPLE"),
    ],
)
def test_normalised_values_compare_equal(rtype: str, a: str, b: str) -> None:
    assert normalize_value(rtype, a) == normalize_value(rtype, b)
    assert same_values(rtype, [a], [b])


@pytest.mark.parametrize(
    ("rtype", "a", "b"),
    [
        ("TXT", "v=spf1 -all", "V=SPF1 -ALL"),  # TXT is case-sensitive
        ("TXT", '"v=spf1" "-all"', "v=spf1 -all"),  # no space is added between strings
        ("TXT", "v=spf1 -all", "v=spf1  -all"),
        ("MX", "10 mx.example.com", "20 mx.example.com"),
        ("CNAME", "tok.dkim.amazonses.com", "tok.dkim.af-south-1.amazonses.com"),
        ("A", "192.0.2.1", "192.0.2.2"),
    ],
)
def test_normalised_values_that_differ(rtype: str, a: str, b: str) -> None:
    assert not same_values(rtype, [a], [b])


def test_same_values_is_set_equality() -> None:
    a = ["ns1.example.net.", "NS2.example.net"]
    assert same_values("NS", a, ["ns2.example.net", "ns1.example.net", "ns1.example.net."])
    assert not same_values("NS", a, ["ns1.example.net"])
    assert same_values("TXT", [], [])


def test_txt_form_controls_quote_handling() -> None:
    quoted = '"v=spf1 -all"'
    assert normalize_value("TXT", quoted) == "v=spf1 -all"
    assert normalize_value("TXT", quoted, txt_form="joined") == quoted
    assert normalize_value("TXT", '"a" "b"', txt_form="presentation") == "ab"
    assert normalize_value("TXT", "bare", txt_form="presentation") == "bare"
    assert normalize_value("TXT", '"broken \\999"') == '"broken \\999"'


@settings(max_examples=300)
@given(st.sampled_from([*RECORD_TYPES, "SRV"]), st.text(ANY_CHAR, max_size=50))
def test_normalize_value_never_raises(rtype: str, value: str) -> None:
    result = normalize_value(rtype, value)
    assert isinstance(result, str)
    assert normalize_value(rtype, value, txt_form="joined") is not None


# --- record_matches ------------------------------------------------------------------------------


CNAME = make_record(
    f"{TOKENS[0]}._domainkey.example.com", "CNAME", [f"{TOKENS[0]}.dkim.amazonses.com"]
)
MX, SPF = mail_from_records("mail.example.com", "us-east-1")


def test_match() -> None:
    assert record_matches(CNAME, [f"{TOKENS[0].upper()}.dkim.amazonses.com."]).ok
    assert record_matches(MX, ["10 feedback-smtp.us-east-1.amazonses.com."]).kind is MatchKind.MATCH
    assert record_matches(SPF, [SES_MAIL_FROM_SPF, SES_MAIL_FROM_SPF]).ok


def test_missing() -> None:
    result = record_matches(CNAME, [])
    assert result.kind is MatchKind.MISSING
    assert result.missing == CNAME.values
    assert not result.ok


def test_extra_values() -> None:
    result = record_matches(SPF, [SES_MAIL_FROM_SPF, "google-site-verification=abc"])
    assert result.kind is MatchKind.EXTRA_VALUES
    assert result.unexpected == ("google-site-verification=abc",)
    assert result.missing == ()
    mx = record_matches(MX, ["10 feedback-smtp.us-east-1.amazonses.com", "20 mx.example.com"])
    assert mx.kind is MatchKind.EXTRA_VALUES


@pytest.mark.parametrize(
    ("record", "found", "fragment"),
    [
        (CNAME, f"{TOKENS[0]}.dkim.amazonses.com.example.com", "appended"),
        (CNAME, f"{TOKENS[0]}.dkim.af-south-1.amazonses.com", "instead of"),
        (MX, "20 feedback-smtp.us-east-1.amazonses.com", "preference is 20 instead of 10"),
        (MX, "10 feedback-smtp.eu-west-1.amazonses.com", "host is feedback-smtp.eu-west-1"),
        (SPF, f'"{SES_MAIL_FROM_SPF}"', "literal quotation marks"),
        (SPF, SES_MAIL_FROM_SPF.upper(), "letter case"),
        (SPF, "v=spf1 include:amazonses.com  ~all", "spacing"),
        (SPF, "v=spf1 include:amazonses.com-all", "character 29"),
        (SPF, "v=spf1 include:amazonses.co", "stops after character 27"),
        (SPF, SES_MAIL_FROM_SPF + " -all", "goes on after character 33: ' -all'"),
        (SPF, "v=spf1 include:amazonzes.com ~all", "character 22 on: found 'zes.com ~all'"),
    ],
)
def test_wrong_value_says_what_differs(record: DnsRecord, found: str, fragment: str) -> None:
    result = record_matches(record, [found])
    assert result.kind is MatchKind.WRONG_VALUE
    assert result.missing == record.values
    assert result.unexpected == (found,)
    assert len(result.details) == 1
    assert fragment in result.details[0]


def test_wrong_value_picks_the_closest_found_value() -> None:
    result = record_matches(
        SPF, ["google-site-verification=abc", "v=spf1 include:amazonses.com -all"]
    )
    assert result.kind is MatchKind.WRONG_VALUE
    assert "character 30" in result.details[0]


def test_pasted_presentation_form_matches_with_auto() -> None:
    pasted = ['"v=spf1 include:" "amazonses.com ~all"']
    assert record_matches(SPF, pasted, txt_form="auto").ok
    assert record_matches(SPF, pasted).kind is MatchKind.WRONG_VALUE


def test_describe_difference_other_types() -> None:
    assert "instead of" in describe_difference("A", "192.0.2.1", "192.0.2.9")
    assert "ns2" in describe_difference("NS", "ns1.example.net", "ns2.example.net.")
    assert "MX host" in describe_difference("MX", "10 a.example", "garbage")


# --- SES record builders -------------------------------------------------------------------------


def test_dkim_records() -> None:
    records = dkim_records("Example.COM.", [t.upper() for t in TOKENS], "us-east-1")
    assert [r.name for r in records] == [f"{t}._domainkey.example.com" for t in TOKENS]
    assert [r.values for r in records] == [(f"{t}.dkim.amazonses.com",) for t in TOKENS]
    assert {r.rtype for r in records} == {"CNAME"}
    assert {r.ttl for r in records} == {1800}


@pytest.mark.parametrize("region", sorted(SES_REGIONS))
def test_dkim_records_use_the_region_zone(region: str) -> None:
    (rec,) = dkim_records("example.com", TOKENS[:1], region)
    assert rec.values == (f"{TOKENS[0]}.{SES_REGIONS[region].dkim_zone}",)


def test_dkim_records_prefer_signing_hosted_zone() -> None:
    records = dkim_records(
        "example.com", TOKENS, "us-east-1", "DKIM.us-east-1.AmazonSES.com.", ttl=60
    )
    assert records[0].values == (f"{TOKENS[0]}.dkim.us-east-1.amazonses.com",)
    assert records[0].ttl == 60


@pytest.mark.parametrize(
    ("tokens", "fragment"),
    [
        ([], "0 DKIM tokens"),
        ([*TOKENS, "a" * 32], "4 DKIM tokens"),
        (["not a token"], "Easy DKIM token"),
        (["x" * 32 + "._domainkey"], "Easy DKIM token"),
        ([TOKENS[0], TOKENS[0].upper()], "twice"),
    ],
)
def test_dkim_records_refusals(tokens: list[str], fragment: str) -> None:
    with pytest.raises(RecordError, match=fragment):
        dkim_records("example.com", tokens, "us-east-1")


def test_dkim_records_accept_a_single_token_string() -> None:
    assert len(dkim_records("example.com", TOKENS[0], "us-east-1")) == 1


def test_dkim_records_refuse_bad_domain_and_region() -> None:
    with pytest.raises(RecordError, match="DKIM domain"):
        dkim_records("com", TOKENS, "us-east-1")
    with pytest.raises(RecordError, match="DKIM domain"):
        dkim_records("exa mple.com", TOKENS, "us-east-1")
    with pytest.raises(RecordError, match="not an AWS region") as info:
        dkim_records("example.com", TOKENS, "us-east-9")
    assert "us-east-1" in info.value.hint
    with pytest.raises(RecordError, match="DKIM target"):
        dkim_records("example.com", TOKENS, "us-east-1", "bad zone")


def test_dkim_record_name_too_long() -> None:
    domain = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 20, "com"])
    with pytest.raises(RecordError, match="253"):
        dkim_records(domain, TOKENS, "us-east-1")


@pytest.mark.parametrize("region", ["us-east-1", "af-south-1", "us-gov-west-1"])
def test_mail_from_records(region: str) -> None:
    mx, txt = mail_from_records("Mail.Example.com.", region)
    assert mx == DnsRecord(
        "mail.example.com", "MX", (f"10 feedback-smtp.{region}.amazonses.com",), 300
    )
    assert txt == DnsRecord("mail.example.com", "TXT", ("v=spf1 include:amazonses.com ~all",), 300)


def test_mail_from_records_refusals() -> None:
    with pytest.raises(RecordError, match="MAIL FROM domain"):
        mail_from_records("mail", "us-east-1")
    with pytest.raises(RecordError, match="not an AWS region"):
        mail_from_records("mail.example.com", "nowhere")


def test_dmarc_record() -> None:
    rec = dmarc_record("Bücher.Example", "v=DMARC1; p=none", ttl=3600)
    assert rec == DnsRecord("_dmarc.xn--bcher-kva.example", "TXT", ("v=DMARC1; p=none",), 3600)


@pytest.mark.parametrize(
    ("domain", "value", "fragment"),
    [
        ("_dmarc.example.com", "v=DMARC1; p=none", "already starts with _dmarc"),
        ("example.com", "", "empty"),
        ("example", "v=DMARC1; p=none", "DMARC domain"),
    ],
)
def test_dmarc_record_refusals(domain: str, value: str, fragment: str) -> None:
    with pytest.raises(RecordError, match=fragment):
        dmarc_record(domain, value)


# --- renderers -----------------------------------------------------------------------------------


GOLDEN_ZONE = """\
$ORIGIN example.com.
4vbydlwgo7q5lt4lzmkyl6jdrmhyzzxu._domainkey.example.com. 1800 IN CNAME 4vbydlwgo7q5lt4lzmkyl6jdrmhyzzxu.dkim.amazonses.com.
7pbwqrjmqkyzh2nbyiuz5hxsmrjnaqko._domainkey.example.com. 1800 IN CNAME 7pbwqrjmqkyzh2nbyiuz5hxsmrjnaqko.dkim.amazonses.com.
xjmgz5yvr3kq6nr4qhn3x7dhl7ggqh3q._domainkey.example.com. 1800 IN CNAME xjmgz5yvr3kq6nr4qhn3x7dhl7ggqh3q.dkim.amazonses.com.
mail.example.com.                                        300  IN MX    10 feedback-smtp.us-east-1.amazonses.com.
mail.example.com.                                        300  IN TXT   "v=spf1 include:amazonses.com ~all"
_dmarc.example.com.                                      300  IN TXT   "v=DMARC1; p=none; rua=mailto:dmarc@example.com,mailto:\\"x\\"@example.net"
"""

GOLDEN_CSV = (
    "name,type,ttl,value\r\n"
    "4vbydlwgo7q5lt4lzmkyl6jdrmhyzzxu._domainkey.example.com.,CNAME,1800,"
    "4vbydlwgo7q5lt4lzmkyl6jdrmhyzzxu.dkim.amazonses.com.\r\n"
    "7pbwqrjmqkyzh2nbyiuz5hxsmrjnaqko._domainkey.example.com.,CNAME,1800,"
    "7pbwqrjmqkyzh2nbyiuz5hxsmrjnaqko.dkim.amazonses.com.\r\n"
    "xjmgz5yvr3kq6nr4qhn3x7dhl7ggqh3q._domainkey.example.com.,CNAME,1800,"
    "xjmgz5yvr3kq6nr4qhn3x7dhl7ggqh3q.dkim.amazonses.com.\r\n"
    "mail.example.com.,MX,300,10 feedback-smtp.us-east-1.amazonses.com.\r\n"
    "mail.example.com.,TXT,300,v=spf1 include:amazonses.com ~all\r\n"
    '_dmarc.example.com.,TXT,300,"v=DMARC1; p=none; rua=mailto:dmarc@example.com,'
    'mailto:""x""@example.net"\r\n'
)


def test_zone_golden() -> None:
    assert "\n".join(to_zone_lines(ses_records(), origin="Example.COM.")) + "\n" == GOLDEN_ZONE


def test_zone_without_origin_has_no_origin_line() -> None:
    assert to_zone_lines(ses_records()) == GOLDEN_ZONE.splitlines()[1:]
    assert to_zone_lines([]) == []
    assert to_zone_lines([], origin="example.com") == ["$ORIGIN example.com."]


def test_zone_other_types_and_long_txt() -> None:
    records = [
        make_record("sel._domainkey.example.com", "TXT", [KEY], 3600),
        make_record("example.com", "NS", ["ns1.example.net", "ns2.example.net."], 172800),
        make_record("www.example.com", "A", ["192.0.2.10"]),
        make_record("www.example.com", "AAAA", ["2001:DB8::0:1"]),
        make_record("example.com", "MX", ["0 ."]),
    ]
    lines = to_zone_lines(records)
    assert lines[0] == (f'sel._domainkey.example.com. 3600   IN TXT   "{KEY[:255]}" "{KEY[255:]}"')
    assert lines[1:] == [
        "example.com.                172800 IN NS    ns1.example.net.",
        "example.com.                172800 IN NS    ns2.example.net.",
        "www.example.com.            300    IN A     192.0.2.10",
        "www.example.com.            300    IN AAAA  2001:db8::1",
        "example.com.                300    IN MX    0 .",
    ]


def test_zone_lines_parse_back() -> None:
    """Every TXT in the snippet reads back, by the zone-file rules, to the record's text."""
    records = [*ses_records(), make_record("sel._domainkey.example.com", "TXT", [KEY])]
    for rec, line in zip(
        [r for r in records for _ in r.values], to_zone_lines(records), strict=True
    ):
        name, ttl, klass, rtype, value = line.split(None, 4)
        assert (name, int(ttl), klass, rtype) == (rec.name + ".", rec.ttl, "IN", rec.rtype)
        if rtype == "TXT":
            assert parse_txt_presentation(value) == rec.values[0]
        else:
            assert normalize_value(rtype, value) == rec.values[0]
        assert zone_value(rec, rec.values[0]) == value


def test_zone_origin_refuses_records_outside_or_doubled() -> None:
    with pytest.raises(RecordError, match="not inside"):
        to_zone_lines(ses_records(), origin="example.org")
    doubled = make_record("x._domainkey.example.com.example.com", "CNAME", ["x.dkim.amazonses.com"])
    with pytest.raises(RecordError, match="twice"):
        to_zone_lines([doubled], origin="example.com")
    with pytest.raises(RecordError, match="Zone"):
        to_zone_lines([], origin="not a zone")


def test_csv_golden_and_round_trip() -> None:
    records = ses_records()
    text = to_csv(records)
    assert text == GOLDEN_CSV
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "type", "ttl", "value"]
    expected = [
        [r.name + ".", r.rtype, str(r.ttl), v if r.rtype == "TXT" else normalize_value(r.rtype, v)]
        for r in records
        for v in r.values
    ]
    got = [[n, t, ttl, v if t == "TXT" else normalize_value(t, v)] for n, t, ttl, v in rows[1:]]
    assert got == expected
    assert rows[-1][3] == DMARC


@given(st.lists(st.text(max_size=300), min_size=1, max_size=4))
def test_csv_round_trips_any_txt(values: list[str]) -> None:
    rec = make_record("example.com", "TXT", values)
    rows = list(csv.reader(io.StringIO(to_csv([rec]), newline="")))
    assert [row[3] for row in rows[1:]] == list(rec.values)
    assert {row[0] for row in rows[1:]} == {"example.com."}


def test_csv_of_nothing_is_the_header() -> None:
    assert to_csv([]) == "name,type,ttl,value\r\n"


def test_copy_text() -> None:
    lines = [copy_text(r, "example.com") for r in ses_records()]
    assert lines == [
        *(f"{t}._domainkey\tCNAME\t{t}.dkim.amazonses.com\t1800" for t in TOKENS),
        "mail\tMX\t10 feedback-smtp.us-east-1.amazonses.com\t300",
        "mail\tTXT\tv=spf1 include:amazonses.com ~all\t300",
        f"_dmarc\tTXT\t{DMARC}\t300",
    ]


def test_copy_text_apex_subzone_and_multiple_values() -> None:
    ns = make_record("example.com", "NS", ["ns1.example.net", "ns2.example.net"])
    assert (
        copy_text(ns, "Example.com.") == "@\tNS\tns1.example.net\t300\n@\tNS\tns2.example.net\t300"
    )
    mx, _ = mail_from_records("mail.example.com", "us-east-1")
    assert copy_text(mx, "mail.example.com").startswith("@\tMX\t10 ")


def test_copy_text_refusals() -> None:
    with pytest.raises(RecordError, match="not inside"):
        copy_text(make_record("example.org", "TXT", ["x"]), "example.com")
    doubled = make_record("x._domainkey.example.com.example.com", "CNAME", ["x.dkim.amazonses.com"])
    with pytest.raises(RecordError, match="twice"):
        copy_text(doubled, "example.com")
    with pytest.raises(RecordError, match="Zone"):
        copy_text(make_record("example.com", "TXT", ["x"]), "")

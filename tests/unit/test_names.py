"""names.py: normalisation, record names, subdomains, PSL and the RFC 9989 tree-walk names."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.names import (
    MAX_LABEL_OCTETS,
    MAX_NAME_OCTETS,
    DomainError,
    absolute,
    doubled_name,
    has_doubled_zone,
    is_public_suffix,
    is_subdomain,
    is_valid_domain,
    normalize_domain,
    org_domain_psl,
    parent_names,
    public_suffix,
    record_fqdn,
    relative_name,
    tree_walk_names,
)

# Every code point, surrogates and control characters included.
ANY_CHAR = st.characters(exclude_categories=())
# Text that looks like a domain often enough to exercise the accepting paths too.
DOMAINISH = st.text(
    alphabet=st.sampled_from(list("abcxyzABCXYZ0129-._ .üÜßİ。．｡\u00ad\u200d@/:\t_")),
    max_size=80,
)
LABEL = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?\Z")
NAME_LABEL = st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z")


def names_of(
    labels: st.SearchStrategy[str], min_size: int, max_size: int
) -> st.SearchStrategy[str]:
    return st.lists(labels, min_size=min_size, max_size=max_size).map(".".join)


ZONE = names_of(NAME_LABEL, 2, 3)


def assert_canonical(result: str, allow_underscore: bool) -> None:
    assert result.isascii()
    assert result == result.lower()
    assert not result.endswith(".")
    assert 0 < len(result) <= MAX_NAME_OCTETS
    for label in result.split("."):
        assert 1 <= len(label) <= MAX_LABEL_OCTETS
    if not allow_underscore:
        assert "_" not in result


# --- normalize_domain: properties ----------------------------------------------------------------


@settings(max_examples=600)
@given(st.one_of(st.text(ANY_CHAR), DOMAINISH), st.booleans())
@example("\udcff", False)
@example("\udcff.example.com", True)
@example("exa\x00mple.com", False)
@example("a" * 10_000, False)
@example(("a." * 5_000) + "com", False)
@example("xn--bcher-kva.example", False)
@example("_dmarc.example.com", True)
def test_normalize_domain_only_raises_domain_error_and_is_idempotent(
    text: str, allow_underscore: bool
) -> None:
    try:
        result = normalize_domain(text, allow_underscore=allow_underscore)
    except DomainError as exc:
        assert exc.message
        assert str(exc)
        return
    assert_canonical(result, allow_underscore)
    assert normalize_domain(result, allow_underscore=allow_underscore) == result
    assert normalize_domain(result + ".", allow_underscore=allow_underscore) == result
    assert normalize_domain(result.upper(), allow_underscore=allow_underscore) == result


@given(names_of(LABEL, 1, 6))
def test_ldh_names_are_accepted_unchanged(name: str) -> None:
    assume(not name.rsplit(".", 1)[-1].isdigit())
    assert normalize_domain(name) == name
    assert normalize_domain(f"  {name.upper()}.  ") == name


@given(names_of(LABEL, 1, 4), st.integers(min_value=1, max_value=3))
def test_min_labels(name: str, min_labels: int) -> None:
    assume(not name.rsplit(".", 1)[-1].isdigit())
    count = name.count(".") + 1
    if count >= min_labels:
        assert normalize_domain(name, min_labels=min_labels) == name
    else:
        with pytest.raises(DomainError, match="label"):
            normalize_domain(name, min_labels=min_labels)


def test_huge_and_surrogate_inputs_are_refused() -> None:
    with pytest.raises(DomainError):
        normalize_domain("a" * 10_000)
    with pytest.raises(DomainError):
        normalize_domain("\udcff")
    with pytest.raises(DomainError):
        normalize_domain("ex\udcffample.com")
    with pytest.raises(DomainError):
        normalize_domain(".".join(["a"] * 200))


def test_non_text_is_refused() -> None:
    with pytest.raises(DomainError, match="text"):
        normalize_domain(123)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        normalize_domain(None)  # type: ignore[arg-type]


# --- normalize_domain: examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("  example.com  ", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.EXAMPLE", "xn--bcher-kva.example"),
        ("Bücher.Example.", "xn--bcher-kva.example"),
        ("bücher。example", "xn--bcher-kva.example"),
        ("bücher．example", "xn--bcher-kva.example"),
        ("bücher｡example", "xn--bcher-kva.example"),
        ("ＥＸＡＭＰＬＥ．ｃｏｍ", "example.com"),
        ("straße.de", "xn--strae-oqa.de"),  # non-transitional UTS 46: ß stays ß
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("a-b.example", "a-b.example"),
        ("123.example", "123.example"),
        ("localhost", "localhost"),
        ("a" * 63 + ".com", "a" * 63 + ".com"),
    ],
)
def test_normalize_domain_examples(text: str, expected: str) -> None:
    assert normalize_domain(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (".", "empty"),
        ("example..com", "empty label"),
        (".example.com", "starts with a dot"),
        ("example.com..", "empty label"),
        ("https://example.com", "bare domain"),
        ("example.com/path", "bare domain"),
        ("user@example.com", "bare domain"),
        ("exa mple.com", "bare domain"),
        ("exa\tmple.com", "control"),
        ("exa\x7fmple.com", "control"),
        ("-example.com", "hyphen"),
        ("example-.com", "hyphen"),
        ("a" * 64 + ".com", "63"),
        (".".join(["a" * 60] * 5), "253"),
        ("192.0.2.1", "IP address"),
        ("example.123", "numeric"),
        ("exa$mple.com", "not allowed"),
        ("exa*mple.com", "not allowed"),
        ("_dmarc.example.com", "underscore"),
        ("a_b.example.com", "underscore"),
        ("bü\u200dcher.example", "internationalised"),
        ("\u00ad.example", "internationalised"),
    ],
)
def test_normalize_domain_refusals(text: str, fragment: str) -> None:
    with pytest.raises(DomainError) as info:
        normalize_domain(text)
    assert fragment.lower() in str(info.value).lower()
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        "xn--zz.example",  # not Punycode at all
        "XN--ZZ.example",
        "mail.xn--zz.example",
        "xn--a.example",  # decodes to U+0080, a control character
        "xn--ls8h.example",  # an emoji: refused in its Unicode form as well
        "xn--bcher-kva.xn--zz",
        "xn--abc_d.example",
    ],
)
def test_bogus_ace_labels_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as info:
        normalize_domain(text, allow_underscore=True)
    assert "xn--" in info.value.message and "Punycode" in info.value.message
    assert info.value.hint


@pytest.mark.parametrize(
    ("ace", "unicode"),
    [("xn--bcher-kva.example", "bücher.example"), ("xn--55qx5d.cn", "公司.cn")],
)
def test_real_ace_labels_are_kept_and_match_their_unicode_form(ace: str, unicode: str) -> None:
    assert normalize_domain(ace) == normalize_domain(unicode) == ace


@pytest.mark.parametrize("text", ["a" * 5_000_000, "ü" * 100_000 + ".com", "a." * 100_000])
def test_pasted_megabytes_get_a_short_message(text: str) -> None:
    with pytest.raises(DomainError) as info:
        normalize_domain(text)
    assert len(str(info.value)) < 400 and "characters" in str(info.value)


def test_total_length_limit_is_exactly_253() -> None:
    name_253 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    assert len(name_253) == 253
    assert normalize_domain(name_253) == name_253
    assert normalize_domain(name_253 + ".") == name_253
    with pytest.raises(DomainError, match="253"):
        normalize_domain("e." + name_253)


@pytest.mark.parametrize(
    "text",
    [
        "_dmarc.example.com",
        "abcdefghijklmnop._domainkey.example.com",
        "_report._dmarc.example.net",
        "_amazonses.example.com",
        "a_b.example.com",
        "__x.example.com",
    ],
)
def test_underscore_labels_need_allow_underscore(text: str) -> None:
    assert normalize_domain(text, allow_underscore=True) == text
    with pytest.raises(DomainError, match="underscore"):
        normalize_domain(text)
    assert is_valid_domain(text, allow_underscore=True)
    assert not is_valid_domain(text)


@pytest.mark.parametrize("text", ["_-.example.com", "-_.example.com", "a_-.example.com"])
def test_underscore_labels_still_refuse_edge_hyphens(text: str) -> None:
    with pytest.raises(DomainError):
        normalize_domain(text, allow_underscore=True)


def test_domain_error_carries_message_and_hint() -> None:
    with pytest.raises(DomainError) as info:
        normalize_domain("https://example.com/")
    err = info.value
    assert err.message and err.hint
    assert str(err) == f"{err.message} {err.hint}"
    assert str(DomainError("only a message")) == "only a message"


def test_is_valid_domain() -> None:
    assert is_valid_domain("example.com")
    assert not is_valid_domain("exa mple.com")
    assert not is_valid_domain("")


# --- absolute, subdomains, doubled zone ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("example.com", "example.com."), ("example.com.", "example.com."), ("a.b..", "a.b.")],
)
def test_absolute(name: str, expected: str) -> None:
    assert absolute(name) == expected


@pytest.mark.parametrize(
    ("child", "parent", "loose", "strict"),
    [
        ("example.com", "example.com", True, False),
        ("mail.example.com", "example.com", True, True),
        ("a.b.Example.COM.", "example.com", True, True),
        ("notexample.com", "example.com", False, False),
        ("example.com", "mail.example.com", False, False),
        ("example.org", "example.com", False, False),
    ],
)
def test_is_subdomain(child: str, parent: str, loose: bool, strict: bool) -> None:
    assert is_subdomain(child, parent) is loose
    assert is_subdomain(child, parent, strict=True) is strict


@given(names_of(NAME_LABEL, 1, 3), ZONE)
def test_is_subdomain_of_constructed_names(prefix: str, zone: str) -> None:
    assert is_subdomain(f"{prefix}.{zone}", zone, strict=True)
    assert is_subdomain(zone, zone)
    assert not is_subdomain(zone, f"{prefix}.{zone}")


@pytest.mark.parametrize(
    ("name", "zone", "doubled"),
    [
        ("x._domainkey.example.com.example.com", "example.com", True),
        ("x._domainkey.example.com.example.com.", "Example.COM.", True),
        ("example.com.example.com", "example.com", True),
        ("x._domainkey.example.com", "example.com", False),
        ("example.com", "example.com", False),
        ("mail.example.com.example.org", "example.com", False),
        ("example.com.example.com.example.com", "example.com", True),
    ],
)
def test_has_doubled_zone(name: str, zone: str, doubled: bool) -> None:
    assert has_doubled_zone(name, zone) is doubled


def test_doubled_name_is_what_a_dns_ui_makes() -> None:
    assert doubled_name("X._domainkey.example.com.", "example.com.") == (
        "x._domainkey.example.com.example.com"
    )
    assert has_doubled_zone(doubled_name("x._domainkey.example.com", "example.com"), "example.com")


# --- record_fqdn and relative_name ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "zone", "expected"),
    [
        ("tok._domainkey", "example.com", "tok._domainkey.example.com"),
        ("tok._domainkey.example.com", "example.com", "tok._domainkey.example.com"),
        ("tok._domainkey.example.com.", "example.com", "tok._domainkey.example.com"),
        ("TOK._DomainKey", "Example.COM.", "tok._domainkey.example.com"),
        ("@", "example.com", "example.com"),
        ("", "example.com", "example.com"),
        ("  @  ", "example.com", "example.com"),
        ("example.com", "example.com", "example.com"),
        ("_dmarc", "example.com", "_dmarc.example.com"),
        ("mail", "bücher.example", "mail.xn--bcher-kva.example"),
        ("mail.bücher.example", "xn--bcher-kva.example", "mail.xn--bcher-kva.example"),
    ],
)
def test_record_fqdn(name: str, zone: str, expected: str) -> None:
    assert record_fqdn(name, zone) == expected


@pytest.mark.parametrize(
    "name",
    [
        "x._domainkey.example.com.example.com",
        "x._domainkey.example.com.example.com.",
        "X._DOMAINKEY.EXAMPLE.COM.EXAMPLE.COM",
        "example.com.example.com",
    ],
)
def test_record_fqdn_refuses_doubled_zone(name: str) -> None:
    with pytest.raises(DomainError, match="twice") as info:
        record_fqdn(name, "example.com")
    assert "once" in info.value.hint


def test_record_fqdn_doubled_zone_hint_names_the_fix() -> None:
    with pytest.raises(DomainError) as info:
        record_fqdn("x._domainkey.example.com.example.com", "example.com")
    assert "x._domainkey.example.com " in info.value.hint


def test_record_fqdn_refuses_bad_input() -> None:
    with pytest.raises(DomainError):
        record_fqdn("bad name", "example.com")
    with pytest.raises(DomainError):
        record_fqdn("x", "not a zone")
    with pytest.raises(DomainError, match="253"):
        record_fqdn(".".join(["a" * 60] * 3) + ".abcdefghijklmnopqrst", "b" * 60 + ".com")


@given(names_of(NAME_LABEL, 1, 3), ZONE)
def test_record_fqdn_round_trips_with_relative_name(relative: str, zone: str) -> None:
    assume(not is_subdomain(relative, zone))
    fqdn = record_fqdn(relative, zone)
    assert fqdn == f"{relative}.{zone}"
    assert record_fqdn(fqdn, zone) == fqdn
    assert record_fqdn(fqdn + ".", zone) == fqdn
    assert relative_name(fqdn, zone) == relative
    assert relative_name(fqdn + ".", zone + ".") == relative


@given(names_of(NAME_LABEL, 1, 3), ZONE)
def test_record_fqdn_always_refuses_the_zone_twice(relative: str, zone: str) -> None:
    with pytest.raises(DomainError):
        record_fqdn(f"{relative}.{zone}.{zone}", zone)


@pytest.mark.parametrize(
    ("fqdn", "zone", "expected"),
    [
        ("example.com", "example.com", "@"),
        ("Example.com.", "example.COM", "@"),
        ("mail.example.com", "example.com", "mail"),
        ("a.b._domainkey.example.com.", "example.com.", "a.b._domainkey"),
    ],
)
def test_relative_name(fqdn: str, zone: str, expected: str) -> None:
    assert relative_name(fqdn, zone) == expected


@pytest.mark.parametrize("fqdn", ["example.org", "notexample.com", "com"])
def test_relative_name_outside_zone(fqdn: str) -> None:
    with pytest.raises(DomainError, match="not inside"):
        relative_name(fqdn, "example.com")


# --- parent_names and tree_walk_names ------------------------------------------------------------


def test_parent_names() -> None:
    assert parent_names("A.b.example.com.") == [
        "a.b.example.com",
        "b.example.com",
        "example.com",
        "com",
    ]
    assert parent_names("com") == ["com"]


def labels(count: int) -> str:
    return ".".join([*(f"l{i}" for i in range(count - 1)), "tld"])


@pytest.mark.parametrize(
    ("count", "expected_counts"),
    [
        (1, [1]),
        (2, [2, 1]),
        (3, [3, 2, 1]),
        (7, [7, 6, 5, 4, 3, 2, 1]),
        (8, [8, 7, 6, 5, 4, 3, 2, 1]),
        (9, [9, 7, 6, 5, 4, 3, 2, 1]),
        (12, [12, 7, 6, 5, 4, 3, 2, 1]),
    ],
)
def test_tree_walk_names(count: int, expected_counts: list[int]) -> None:
    domain = labels(count)
    walk = tree_walk_names(domain)
    assert [len(n.split(".")) for n in walk] == expected_counts
    assert walk[0] == domain
    assert walk[-1] == "tld"
    assert len(walk) <= 8


def test_tree_walk_names_canonicalises() -> None:
    assert tree_walk_names("Mail.Example.COM.") == ["mail.example.com", "example.com", "com"]


def test_tree_walk_names_twelve_labels_exact() -> None:
    domain = "a.b.c.d.e.f.g.h.i.j.k.com"
    # The author domain, then a jump to its last 7 labels, then one label fewer at a time.
    assert tree_walk_names(domain) == [
        domain,
        "f.g.h.i.j.k.com",
        "g.h.i.j.k.com",
        "h.i.j.k.com",
        "i.j.k.com",
        "j.k.com",
        "k.com",
        "com",
    ]


@given(st.integers(min_value=1, max_value=40))
def test_tree_walk_names_shape(count: int) -> None:
    domain = labels(count)
    walk = tree_walk_names(domain)
    assert 1 <= len(walk) <= 8
    assert walk[0] == domain
    assert walk[-1] == "tld"
    sizes = [len(n.split(".")) for n in walk]
    assert sizes == sorted(sizes, reverse=True)
    assert len(set(walk)) == len(walk)
    for shorter in walk[1:]:
        assert is_subdomain(domain, shorter, strict=True)
    if count > 1:
        assert sizes[1] == min(count - 1, 7)


# --- Public Suffix List ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "org"),
    [
        ("example.com", "example.com"),
        ("mail.example.com", "example.com"),
        ("a.b.c.example.com", "example.com"),
        ("Example.COM.", "example.com"),
        ("example.co.uk", "example.co.uk"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("co.uk", "co.uk"),  # a public suffix is its own organizational domain
        ("com", "com"),
        ("uk", "uk"),
        ("github.io", "github.io"),  # private PSL section entry
        ("user.github.io", "user.github.io"),
        ("a.user.github.io", "user.github.io"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("mail.example.unknowntld", "example.unknowntld"),
    ],
)
def test_org_domain_psl(domain: str, org: str) -> None:
    assert org_domain_psl(domain) == org


@pytest.mark.parametrize(
    ("domain", "suffix", "is_public"),
    [
        ("example.com", "com", False),
        ("a.b.example.co.uk", "co.uk", False),
        ("co.uk", "co.uk", True),
        ("com", "com", True),
        ("user.github.io", "github.io", False),
        ("github.io", "github.io", True),
        ("Example.CO.UK.", "co.uk", False),
    ],
)
def test_public_suffix(domain: str, suffix: str, is_public: bool) -> None:
    assert public_suffix(domain) == suffix
    assert is_public_suffix(domain) is is_public


@given(names_of(NAME_LABEL, 1, 3), st.sampled_from(["example.com", "example.co.uk", "x.github.io"]))
def test_org_domain_is_stable_under_subdomains(prefix: str, org: str) -> None:
    assert org_domain_psl(f"{prefix}.{org}") == org
    assert org_domain_psl(org) == org
    assert is_subdomain(f"{prefix}.{org}", public_suffix(org), strict=True)

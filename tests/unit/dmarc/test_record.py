"""parse_dmarc: record selection, every tag, every error kind, validity under both RFCs."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.dmarc import ERROR_KINDS, parse_dmarc


def kinds(text: str) -> tuple[list[str], list[str]]:
    record = parse_dmarc(text)
    return [f.kind for f in record.errors], [f.kind for f in record.warnings]


# --- record selection (not_dmarc) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("", "empty"),
        ("   ", "only whitespace"),
        (" v=DMARC1; p=none", "starts with whitespace"),
        ("\tv=DMARC1; p=none", "starts with whitespace"),
        ("v=dmarc1; p=none", "case-sensitive"),
        ("v=DMARC1 p=none", "';' is missing"),
        ("v=DMARC2; p=none", "is not DMARC1"),
        ("v=spf1 include:amazonses.com ~all", "SPF record"),
        ("p=none; v=DMARC1", "does not start with the v=DMARC1"),
        ("google-site-verification=abc", "does not start"),
        ("v=DMARC1,p=none", "is not DMARC1"),
    ],
)
def test_records_receivers_discard_are_not_dmarc(text: str, cause: str) -> None:
    record = parse_dmarc(text)
    assert not record.is_dmarc
    assert record.tags is None and record.effective is None
    assert not record.valid and not record.valid_rfc7489
    assert [f.kind for f in record.errors] == ["not_dmarc"]
    assert cause in record.errors[0].message


@pytest.mark.parametrize(
    "text",
    [
        "v=DMARC1",
        "v=DMARC1;",
        "v=DMARC1; p=none",
        "v = DMARC1 ; p = none",
        "V=DMARC1; p=none",
        "v=DMARC1;p=none;",
    ],
)
def test_version_forms_receivers_keep(text: str) -> None:
    assert parse_dmarc(text).is_dmarc


# --- the tags ---------------------------------------------------------------------------------


def test_every_tag_is_read_and_normalised() -> None:
    record = parse_dmarc(
        "v=DMARC1; p=Reject; sp=QUARANTINE; np=reject; adkim=R; aspf=s; fo=1:D; "
        "rua=mailto:a@example.com, mailto:b@example.net; ruf=mailto:f@example.com; t=Y; "
        "psd=N; pct=50; rf=afrf; ri=3600; future=whatever"
    )
    assert record.tags_json() == {
        "v": "DMARC1",
        "p": "reject",
        "sp": "quarantine",
        "np": "reject",
        "adkim": "r",
        "aspf": "s",
        "fo": "1:d",
        "rua": ["mailto:a@example.com", "mailto:b@example.net"],
        "ruf": ["mailto:f@example.com"],
        "t": "y",
        "psd": "n",
        "pct": "50",
        "rf": "afrf",
        "ri": "3600",
    }
    assert record.valid and record.valid_rfc7489
    errors, warnings = kinds("v=DMARC1; p=Reject; future=whatever")
    assert errors == [] and set(warnings) == {"unknown_tag_ignored", "noncanonical_tag_case"}


def test_effective_defaults() -> None:
    effective = parse_dmarc("v=DMARC1; p=reject").effective
    assert effective is not None
    assert effective.to_json() == {
        "p": "reject",
        "sp": "reject",
        "np": "reject",
        "adkim": "r",
        "aspf": "r",
        "fo": "0",
        "t": "n",
        "psd": "u",
    }


def test_np_falls_back_to_sp_then_p() -> None:
    assert parse_dmarc("v=DMARC1; p=reject; sp=none").effective.np == "none"  # type: ignore[union-attr]
    assert parse_dmarc("v=DMARC1; p=none; sp=quarantine; np=reject").effective.np == "reject"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("p", "rejct"),
        ("p", ""),
        ("sp", "block"),
        ("np", "yes"),
        ("adkim", "x"),
        ("aspf", "relaxed"),
        ("t", "true"),
        ("psd", "maybe"),
        ("fo", "2"),
        ("fo", "0:1"),
        ("fo", "d:d"),
        ("pct", "150"),
        ("pct", "-1"),
        ("pct", "abc"),
        ("ri", "1h"),
        ("ri", str(2**32)),
        ("rf", "a f"),
    ],
)
def test_invalid_values_are_invalid_tag_value(tag: str, value: str) -> None:
    text = (
        "v=DMARC1; p=none; rua=mailto:d@example.com"
        if tag != "p"
        else "v=DMARC1; p=X; rua=mailto:d@example.com"
    )
    text = text.replace("p=X", f"p={value}") if tag == "p" else f"{text}; {tag}={value}"
    errors, _ = kinds(text)
    assert "invalid_tag_value" in errors


@pytest.mark.parametrize(
    ("text", "valid", "valid_7489"),
    [
        ("v=DMARC1; p=none; np=bogus", False, True),  # np is unknown to RFC 7489
        ("v=DMARC1; p=none; t=maybe", False, True),
        ("v=DMARC1; p=none; psd=x", False, True),
        ("v=DMARC1; p=none; fo=0:1", False, True),  # any combination was fine in 7489
        ("v=DMARC1; p=none; pct=500", True, False),  # pct is unknown to RFC 9989
        ("v=DMARC1; p=none; ri=soon", True, False),
        ("v=DMARC1; p=rejct", False, False),
        ("v=DMARC1; rua=mailto:d@example.com", True, False),  # missing p
        ("v=DMARC1; rua=mailto:d@example.com; p=none", True, False),  # p not second
        ("v=DMARC1", True, False),
    ],
)
def test_validity_side_by_side(text: str, valid: bool, valid_7489: bool) -> None:
    record = parse_dmarc(text)
    assert (record.valid, record.valid_rfc7489) == (valid, valid_7489)


@pytest.mark.parametrize("fo", ["0", "1", "d", "s", "0:d", "d:0", "1:d:s", "d:s", "s:d:1"])
def test_fo_values_valid_under_rfc9989(fo: str) -> None:
    record = parse_dmarc(f"v=DMARC1; p=none; fo={fo}; ruf=mailto:f@example.com")
    assert record.valid and record.effective and record.effective.fo == fo


def test_invalid_fo_falls_back_to_default() -> None:
    record = parse_dmarc("v=DMARC1; p=none; fo=0:1; ruf=mailto:f@example.com")
    assert record.effective and record.effective.fo == "0"
    assert "default fo=0" in record.errors[0].message


# --- policy errors and the receiver fallback ---------------------------------------------------


def test_invalid_sp_downgrades_everything_to_none_when_rua_is_valid() -> None:
    record = parse_dmarc("v=DMARC1; p=reject; sp=rejct; rua=mailto:d@example.com")
    assert record.effective is not None
    assert (record.effective.p, record.effective.sp, record.effective.np) == ("none",) * 3
    assert record.effective.fallback and record.effective.applies
    message = record.errors[0].message
    assert "p=none" in message and "rua" in message


def test_invalid_p_without_rua_applies_no_dmarc() -> None:
    record = parse_dmarc("v=DMARC1; p=rejct")
    assert record.effective is not None
    assert record.effective.fallback and not record.effective.applies


def test_missing_p_is_an_error_but_9989_reads_none() -> None:
    record = parse_dmarc("v=DMARC1; rua=mailto:d@example.com")
    assert [f.kind for f in record.errors] == ["missing_p"]
    assert record.effective and record.effective.p == "none" and record.effective.applies


def test_p_not_second_reported_once_as_error() -> None:
    errors, warnings = kinds("v=DMARC1; rua=mailto:d@example.com; p=reject")
    assert errors == ["p_not_second_tag"]
    assert "p_not_second_tag" not in warnings and "missing_p" not in warnings


def test_duplicate_tags_invalidate_the_record() -> None:
    record = parse_dmarc("v=DMARC1; p=none; p=reject; rua=mailto:d@example.com")
    assert [f.kind for f in record.errors] == ["duplicate_tag"]
    assert not record.valid and not record.valid_rfc7489
    assert record.tags is not None and record.tags["p"] == "none"  # first occurrence shown
    assert record.effective is not None and not record.effective.applies


def test_second_v_is_a_duplicate() -> None:
    assert kinds("v=DMARC1; p=none; v=DMARC1")[0] == ["duplicate_tag"]


@pytest.mark.parametrize(
    "text",
    [
        "v=DMARC1; p=none; novalue",
        "v=DMARC1; p=none; x_y=1",
        "v=DMARC1; p=none; =none",
        "v=DMARC1; p=none; future=",
        "v=DMARC1; p=none; future=\x01",
        "v=DMARC1; p=none; fütüre=1",
    ],
)
def test_grammar_errors_are_syntax(text: str) -> None:
    record = parse_dmarc(text)
    assert "syntax" in [f.kind for f in record.errors]
    assert not record.valid and not record.valid_rfc7489


# --- URIs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "uri",
    [
        "dmarc@example.com",  # no scheme
        "mailto:",
        "mailto:@example.com",
        "mailto:dmarc@",
        "mailto:dmarc@example",  # single label
        "mailto:dmarc@exa mple.com",
        "mailto:dm!arc@example.com",
        "mailto:dmarc@exämple.com",
        "mailto:dmarc@-bad-.com",
        "",
    ],
)
def test_invalid_uris(uri: str) -> None:
    record = parse_dmarc(f"v=DMARC1; p=none; rua=mailto:ok@example.com,{uri}")
    assert "invalid_uri" in [f.kind for f in record.errors]
    assert not record.valid and not record.valid_rfc7489
    assert record.has_valid_rua  # the first one still works


def test_empty_rua_is_invalid_uri() -> None:
    record = parse_dmarc("v=DMARC1; p=none; rua=")
    assert [f.kind for f in record.errors] == ["invalid_uri"]
    assert "has no address" in record.errors[0].message
    assert record.tags_json() == {"v": "DMARC1", "p": "none", "rua": []}


def test_uri_list_trimmed_and_size_suffix_warned() -> None:
    record = parse_dmarc("v=DMARC1; p=none; rua=mailto:a@example.com!10m , mailto:b@example.com")
    assert record.tags_json()["rua"] == ["mailto:a@example.com!10m", "mailto:b@example.com"]  # type: ignore[index]
    _, warnings = kinds("v=DMARC1; p=none; rua=mailto:a@example.com!10m")
    assert warnings == ["obsolete_uri_size_suffix"]
    assert record.uris["rua"][0].size == "10m" and record.uris["rua"][0].host == "example.com"


def test_non_mailto_uri_is_a_warning() -> None:
    errors, warnings = kinds("v=DMARC1; p=none; rua=https://reports.example.com/dmarc")
    assert errors == [] and warnings == ["non_mailto_uri_likely_ignored"]


def test_percent_encoded_local_part_is_valid() -> None:
    assert parse_dmarc("v=DMARC1; p=none; rua=mailto:dmarc%21x@example.com").valid


# --- canonical form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "v=DMARC1; p = none",
        "v=DMARC1 ; p=none",
        "v=DMARC1;  p=none",
        "v=DMARC1;\tp=none",
        "v=DMARC1;; p=none",
        "v=DMARC1; p=none ",
        "v=DMARC1; p=none; rua=mailto:a@example.com , mailto:b@example.com",
        "v=DMARC1; p=none; fo=1 : d; ruf=mailto:a@example.com",
    ],
)
def test_noncanonical_whitespace_is_one_warning(text: str) -> None:
    errors, warnings = kinds(text)
    assert errors == []
    assert warnings.count("noncanonical_whitespace") == 1


@pytest.mark.parametrize("text", ["V=DMARC1; p=none", "v=DMARC1; P=none", "v=DMARC1; p=NONE"])
def test_noncanonical_case(text: str) -> None:
    errors, warnings = kinds(text)
    assert errors == [] and warnings == ["noncanonical_tag_case"]


def test_semicolon_without_space_is_canonical_enough() -> None:
    assert kinds("v=DMARC1;p=none;rua=mailto:a@example.com") == ([], [])


# --- RFC examples -------------------------------------------------------------------------------

RFC_EXAMPLES = [
    # RFC 9989 B.2.1 / RFC 7489 B.2.1 (TXT strings joined)
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
    # B.2.2
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@example.com",
    # B.2.3
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
    "ruf=mailto:auth-reports@thirdparty.example.net",
    # RFC 9989 B.2.5
    "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,"
    "mailto:tld-test@thirdparty.example.net; t=y",
    "v=DMARC1; p=reject; rua=mailto:dmarc-feedback@example.com,"
    "mailto:tld-test@thirdparty.example.net",
    # RFC 9989 B.3.1
    "v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com",
]


@pytest.mark.parametrize("text", RFC_EXAMPLES)
def test_rfc_examples_are_valid_under_both(text: str) -> None:
    record = parse_dmarc(text)
    assert record.valid and record.valid_rfc7489 and record.errors == ()


def test_rfc7489_sampling_example() -> None:
    # RFC 7489 B.2.4: a size suffix and pct; valid there, pct unknown to RFC 9989.
    record = parse_dmarc(
        "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,"
        "mailto:tld-test@thirdparty.example.net!10m; pct=25"
    )
    assert record.valid and record.valid_rfc7489
    assert [f.kind for f in record.warnings] == ["obsolete_uri_size_suffix"]


def test_error_kinds_stay_in_the_contract() -> None:
    texts = [
        "",
        "v=DMARC1; p=bad; p=none; rua=x; sp=; foo; fo=3",
        "v=DMARC1; rua=mailto:a@b.example; p=none; x_y=1",
    ]
    for text in texts:
        assert {f.kind for f in parse_dmarc(text).errors} <= ERROR_KINDS

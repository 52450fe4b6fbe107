"""Authentication-Results as receivers write them, and which one to trust."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.message.authres import parse_authres
from sesdmarc_tui.core.message.trust import choose_trusted

GMAIL = (
    "mx.google.com;\r\n"
    "       dkim=pass header.i=@example.com header.s=tok1 header.b=AbCd+1==;\r\n"
    "       dkim=pass header.i=@amazonses.com header.s=224i4yxa header.b=XyZ;\r\n"
    "       spf=pass (google.com: domain of 0100@mail.example.com designates 54.240.8.1 as "
    "permitted sender) smtp.mailfrom=0100@mail.example.com;\r\n"
    "       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.com"
)
MICROSOFT = (
    "spf=pass (sender IP is 54.240.8.1) smtp.mailfrom=mail.example.com; dkim=pass "
    "(signature was verified) header.d=example.com;dmarc=pass action=none "
    "header.from=example.com;compauth=pass reason=100"
)


def test_gmail() -> None:
    ar = parse_authres(GMAIL)
    assert ar.authserv_id == "mx.google.com" and ar.problems == ()
    assert [(r.method, r.result) for r in ar.results] == [
        ("dkim", "pass"),
        ("dkim", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
    ]
    dkim = ar.results[0]
    assert dkim.prop("header.i") == "@example.com" and dkim.prop("header.b") == "AbCd+1=="
    spf = ar.of("spf")[0]
    assert spf.prop("smtp.mailfrom") == "0100@mail.example.com"
    assert spf.comments[0].startswith("google.com: domain of")
    assert ar.of("dmarc")[0].comments == ("p=QUARANTINE sp=QUARANTINE dis=NONE",)


def test_microsoft_without_authserv_id() -> None:
    ar = parse_authres(MICROSOFT)
    assert ar.authserv_id is None
    assert [(r.method, r.result) for r in ar.results] == [
        ("spf", "pass"),
        ("dkim", "pass"),
        ("dmarc", "pass"),
        ("compauth", "pass"),
    ]
    assert ar.of("spf")[0].comments == ("sender IP is 54.240.8.1",)
    assert ar.of("dkim")[0].prop("header.d") == "example.com"
    assert ar.of("dmarc")[0].extra("action") == "none"
    assert ar.of("compauth")[0].reason == "100"


@pytest.mark.parametrize(
    ("value", "method", "prop", "expected"),
    [
        # A semicolon inside a quoted string or a comment does not end the result.
        ('mx.example; dkim=pass header.i="a;b@example.com"', "dkim", "header.i", "a;b@example.com"),
        (
            "mx.example; spf=pass (a; b (nested; c)) smtp.mailfrom=x.test",
            "spf",
            "smtp.mailfrom",
            "x.test",
        ),
        (
            'mx.example; dmarc=fail reason="p;q" header.from=example.com',
            "dmarc",
            "header.from",
            "example.com",
        ),
        ('mx.example; spf=pass smtp.mailfrom="a\\"b;c"@x.test', "spf", "smtp.mailfrom", 'a"b;c'),
        ("mx.example 1; dkim/1=PASS Header.D=Example.COM", "dkim", "header.d", "Example.COM"),
    ],
)
def test_quoting_and_comments(value: str, method: str, prop: str, expected: str) -> None:
    ar = parse_authres(value)
    assert ar.authserv_id == "mx.example"
    info = ar.of(method)[0]
    assert info.prop(prop) == expected


def test_quoted_semicolon_keeps_the_result_count() -> None:
    ar = parse_authres(
        'mx.example; dkim=pass (x; y) header.i="@a;b"; spf=fail smtp.mailfrom=z.test'
    )
    assert [(r.method, r.result) for r in ar.results] == [("dkim", "pass"), ("spf", "fail")]


def test_version_and_no_result() -> None:
    ar = parse_authres("example.org 1; none")
    assert (ar.authserv_id, ar.version, ar.results) == ("example.org", "1", ())


@pytest.mark.parametrize(
    "value",
    [
        "",
        ";",
        "=",
        "((((",
        "))))",
        "mx; spf=pass) smtp.mailfrom=x.test",
        '"unterminated',
        "a; =; b=; ;;",
        "mx; dkim",
        "mx; (only a comment)",
    ],
)
def test_garbage_never_raises(value: str) -> None:
    parse_authres(value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab.@=;()"\\ \t/1')), max_size=80))
def test_any_text_parses(value: str) -> None:
    ar = parse_authres(value)
    assert all(r.method for r in ar.results)


def headers(*values: str) -> list:  # type: ignore[type-arg]
    return [parse_authres(v, position=i, header_index=i) for i, v in enumerate(values)]


FORGED = (
    "mx.google.com; dkim=pass header.i=@example.com; spf=pass smtp.mailfrom=evil.test; dmarc=pass"
)


def test_topmost_trusted_header_wins_and_forged_lower_is_ignored() -> None:
    real = "mx.google.com; dkim=fail header.i=@example.com; dmarc=fail header.from=example.com"
    choice = choose_trusted(headers(real, "relay.example; spf=pass", FORGED), "mx.google.com")
    assert choice.chosen is not None and choice.chosen.position == 0
    assert choice.assumption is None
    why = {i.position: i.why for i in choice.ignored}
    assert "below the topmost one" in why[2] and "forged" in why[2]
    assert "relay.example" in why[1]


def test_inferred_trust_is_reported_as_an_assumption() -> None:
    choice = choose_trusted(headers(GMAIL, FORGED), None)
    assert choice.chosen is not None and choice.trusted_id == "mx.google.com"
    assert choice.assumption is not None and "assumed" in choice.assumption
    assert len(choice.ignored) == 1


def test_later_internal_hop_above_the_receiver_is_ignored() -> None:
    choice = choose_trusted(headers("filter.corp.example; spf=none", GMAIL), "MX.Google.com.")
    assert choice.chosen is not None and choice.chosen.position == 1
    assert "added after the trusted receiver" in choice.ignored[0].why


@pytest.mark.parametrize("trusted", [None, "microsoft", "protection.outlook.com", "none"])
def test_microsoft_header_can_be_trusted(trusted: str | None) -> None:
    choice = choose_trusted(headers(MICROSOFT), trusted)
    assert choice.chosen is not None and choice.chosen.authserv_id is None


def test_trusted_id_absent() -> None:
    choice = choose_trusted(headers(GMAIL, MICROSOFT), "mx.yahoo.com")
    assert choice.chosen is None and choice.problem is not None
    assert "mx.google.com" in choice.problem and len(choice.ignored) == 2


def test_no_header() -> None:
    choice = choose_trusted([], None)
    assert choice.chosen is None and choice.problem is not None and choice.ignored == ()

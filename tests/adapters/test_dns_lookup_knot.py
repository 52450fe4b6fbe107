"""The CLI's dnspython lookup against a real authoritative server (knotd on loopback)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.dns.lookup import make_lookup, parse_nameserver

pytestmark = pytest.mark.realdns

LONG = "p=" + "A" * 400

ZONE = [
    '_dmarc 300 IN TXT "v=DMARC1; p=none; rua=mailto:d@example.test"',
    "tok._domainkey 1800 IN CNAME tok.dkim.example.test.",
    f'tok.dkim 1800 IN TXT "{LONG[:255]}" "{LONG[255:]}"',
    "mail 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
    'mail 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    "outside 300 IN CNAME target.elsewhere.invalid.",
    "a.b.c 300 IN A 192.0.2.1",
]


@pytest.fixture
def lookup(knot_zone: Callable[[str, list[str]], tuple[str, int]]):  # type: ignore[no-untyped-def]
    host, port = knot_zone("example.test.", ZONE)
    return make_lookup([(host, port)], timeout=2.0)


def test_txt_strings_are_joined(lookup) -> None:  # type: ignore[no-untyped-def]
    answer = lookup("_dmarc.example.test", "TXT")
    assert answer.kind is AnswerKind.OK
    assert answer.values == ("v=DMARC1; p=none; rua=mailto:d@example.test",)
    assert answer.ttl == 300


def test_cname_is_followed_and_long_txt_joined(lookup) -> None:  # type: ignore[no-untyped-def]
    answer = lookup("tok._domainkey.example.test.", "TXT")
    assert answer.kind is AnswerKind.OK
    assert answer.values == (LONG,)
    assert answer.cname_chain == ("tok.dkim.example.test.",)


def test_cname_query_returns_target(lookup) -> None:  # type: ignore[no-untyped-def]
    answer = lookup("tok._domainkey.example.test", "CNAME")
    assert answer.values == ("tok.dkim.example.test.",)


def test_mx_is_normalised(lookup) -> None:  # type: ignore[no-untyped-def]
    assert lookup("mail.example.test", "MX").values == (
        "10 feedback-smtp.us-east-1.amazonses.com.",
    )


def test_nxdomain_carries_negative_ttl_from_soa(lookup) -> None:  # type: ignore[no-untyped-def]
    answer = lookup("missing.example.test", "TXT")
    assert answer.kind is AnswerKind.NXDOMAIN
    assert answer.negative_ttl == 300  # min(SOA TTL 3600, MINIMUM 300)
    assert answer.is_void


def test_nodata_and_empty_non_terminal(lookup) -> None:  # type: ignore[no-untyped-def]
    assert lookup("mail.example.test", "A").kind is AnswerKind.NODATA
    # b.c.example.test has no records but a child: it exists (RFC 8020).
    assert lookup("b.c.example.test", "TXT").kind is AnswerKind.NODATA


def test_refused_zone_is_an_error_not_absence(lookup) -> None:  # type: ignore[no-untyped-def]
    answer = lookup("example.org", "TXT")
    assert answer.kind is AnswerKind.ERROR
    assert answer.error


def test_unanswered_server_times_out_as_error() -> None:
    from tests.support.knot import free_port

    lookup = make_lookup([("127.0.0.1", free_port())], timeout=0.2)
    answer = lookup("example.test", "TXT")
    assert answer.kind is AnswerKind.ERROR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5300", ("127.0.0.1", 5300)),
        ("[::1]:5300", ("::1", 5300)),
        ("::1", ("::1", 53)),
    ],
)
def test_parse_nameserver(text: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize(
    "text", ["", "host.example", "127.0.0.1:0", "127.0.0.1:99999", "1.2.3.4:x"]
)
def test_parse_nameserver_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_nameserver(text)

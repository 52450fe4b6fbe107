"""Reading a received message: line endings, header fields, From, Return-Path, limits."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.message.message import (
    MAX_HEADER_BYTES,
    MAX_MESSAGE_BYTES,
    parse_message,
)
from tests.unit.message._support import BASE


def with_from(*lines: bytes) -> bytes:
    head = b"".join(line + b"\r\n" for line in lines)
    return head + b"To: b@receiver.test\r\nSubject: x\r\n\r\nbody\r\n"


def test_crlf_message() -> None:
    m = parse_message(BASE)
    assert m.refused is None and not m.headers_only
    assert m.line_endings == "crlf" and m.raw == BASE
    assert m.from_domain == "example.test"
    assert m.return_path == "bounce@mail.example.test"
    assert m.return_path_domain == "mail.example.test"
    assert [h.name for h in m.headers][:3] == ["Return-Path", "From", "To"]
    assert m.body_size == len(BASE.split(b"\r\n\r\n", 1)[1])


def test_lf_message_is_normalised_to_crlf() -> None:
    m = parse_message(BASE.replace(b"\r\n", b"\n"))
    assert m.line_endings == "lf" and m.raw == BASE


def test_mixed_line_endings() -> None:
    m = parse_message(BASE.replace(b"To: bob@receiver.test\r\n", b"To: bob@receiver.test\n"))
    assert m.line_endings == "mixed" and m.raw == BASE


def test_folded_header_is_unfolded() -> None:
    m = parse_message(b"From: Alice\r\n  <alice@example.test>\r\nSubject: a\r\n\tb\r\n\r\nx")
    assert m.from_domain == "example.test"
    assert m.fields("subject")[0].value == "a\tb"


def test_headers_only() -> None:
    m = parse_message(BASE.split(b"\r\n\r\n")[0])
    assert m.headers_only and m.body_size == 0 and m.from_domain == "example.test"


def test_empty_body_is_not_headers_only() -> None:
    m = parse_message(BASE.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
    assert not m.headers_only and m.body_size == 0


def test_leading_blank_lines_and_mbox_line_are_skipped() -> None:
    m = parse_message(b"\n\nFrom alice@example.test Tue Dec  1 10:00:00 2026\n" + BASE)
    assert m.from_domain == "example.test" and m.raw == BASE
    assert len(m.problems) == 2


def test_malformed_header_line_is_reported_not_fatal() -> None:
    m = parse_message(b"From: a@example.test\r\nthis is not a header\r\nTo: b@x.test\r\n\r\nbody")
    assert m.from_domain == "example.test"
    assert m.problems == ("header line 2 is not a 'Name: value' field (ignored)",)


@pytest.mark.parametrize(
    ("lines", "domain", "problem"),
    [
        ([b"From: a@example.test"], "example.test", None),
        ([b'From: "Doe, John @ work" <j@my-domain.example>'], "my-domain.example", None),
        ([b"From: =?utf-8?q?J=C3=B6rg?= <j@EXAMPLE.Test>"], "example.test", None),
        (["From: j@bücher.example".encode()], "xn--bcher-kva.example", None),
        ([b"From: a@example.test (b@evil.test)"], "example.test", None),
        ([b"To: b@receiver.test"], None, "no From header"),
        ([b"From: a@example.test", b"From: b@example.test"], None, "2 From headers"),
        ([b"From: a@example.test, b@other.test"], None, "2 addresses"),
        ([b"From: undisclosed"], None, "no usable domain"),
        ([b"From: a@[192.0.2.1]"], None, "no usable domain"),
        ([b"From: "], None, "no address"),
        ([b"From: " + b"(" * 5000 + b"a@example.test"], None, "cannot be read"),
        ([b"From: " + b'"\\' * 5000 + b"a@example.test"], "example.test", None),
    ],
)
def test_from(lines: list[bytes], domain: str | None, problem: str | None) -> None:
    info = parse_message(with_from(*lines)).from_info
    assert info.domain == domain
    if problem is None:
        assert info.problem is None
    else:
        assert info.problem is not None and problem in info.problem


@pytest.mark.parametrize(
    ("header", "address", "domain"),
    [
        (
            b"Return-Path: <0100018c@us-east-1.amazonses.com>",
            "0100018c@us-east-1.amazonses.com",
            "us-east-1.amazonses.com",
        ),
        (b"Return-Path: <>", "", None),
        (b"Return-Path: bounce@Mail.Example.Test", "bounce@Mail.Example.Test", "mail.example.test"),
        (b"Return-Path: <garbage>", "garbage", None),
    ],
)
def test_return_path(header: bytes, address: str, domain: str | None) -> None:
    m = parse_message(with_from(header, b"From: a@example.test"))
    assert (m.return_path, m.return_path_domain) == (address, domain)


def test_topmost_return_path_wins() -> None:
    m = parse_message(with_from(b"Return-Path: <a@top.test>", b"Return-Path: <b@low.test>"))
    assert m.return_path_domain == "top.test" and "2 Return-Path headers" in m.problems[0]


def test_too_large_is_refused_with_a_reason() -> None:
    m = parse_message(b"x" * (MAX_MESSAGE_BYTES + 1))
    assert m.refused is not None and "40 MB" in m.refused and m.headers == ()


def test_header_section_over_limit_is_refused() -> None:
    m = parse_message(b"X-Junk: " + b"a" * MAX_HEADER_BYTES + b"\r\n\r\nbody")
    assert m.refused is not None and "1 MB" in m.refused


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"   ", b"\x00\x01\x02", b"just text\n\nmore"])
def test_not_a_message(data: bytes) -> None:
    m = parse_message(data)
    assert m.refused is not None


def test_non_utf8_header_is_replaced_not_fatal() -> None:
    m = parse_message(b"From: \xff\xfe <a@example.test>\r\nSubject: \xc3\x28\r\n\r\nx")
    assert m.from_domain == "example.test" and "\ufffd" in m.fields("subject")[0].value

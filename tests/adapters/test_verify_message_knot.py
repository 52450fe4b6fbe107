"""DKIM re-verification against a real authoritative server (knotd on loopback).

Keys are generated in the tests, published in one zone (``test.``, so that the DMARC tree walk
stays inside it), and every signature is verified through ``make_lookup``: CNAMEs followed,
TXT strings joined, one reason per failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.message.report import MessageReport
from sesdmarc_tui.dns.dkim_verify import check_message
from sesdmarc_tui.dns.lookup import make_lookup
from tests.support.knot import KNOTD, start_knot
from tests.unit.message._support import (
    BASE,
    ed25519_key,
    replace_once,
    rsa_key,
    short_rsa_key,
    sign,
    txt_strings,
)

pytestmark = pytest.mark.realdns


def _zone() -> list[str]:
    return [
        f"sel._domainkey.example 300 IN TXT {txt_strings(rsa_key().record())}",
        f"ed._domainkey.example 300 IN TXT {txt_strings(ed25519_key().record())}",
        f"short._domainkey.example 300 IN TXT {txt_strings(short_rsa_key().record())}",
        'revoked._domainkey.example 300 IN TXT "v=DKIM1; k=rsa; p="',
        f'weird._domainkey.example 300 IN TXT "v=DKIM1; k=foo; p={ed25519_key().public_b64}"',
        # SES Easy DKIM: a CNAME to a key hosted elsewhere (here inside the same zone).
        "tok._domainkey.example 300 IN CNAME tok.dkim.amazonses-like.test.",
        f"tok.dkim.amazonses-like 300 IN TXT {txt_strings('p=' + rsa_key('ses').public_b64)}",
        f"amz._domainkey.other 300 IN TXT {txt_strings(rsa_key('ses').record())}",
        '_dmarc.example 300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"',
    ]


@pytest.fixture(scope="module")
def lookup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lookup]:
    if KNOTD is None:
        pytest.skip("knotd is not installed (Debian package `knot`): real-DNS tests skipped")
    directory: Path = tmp_path_factory.mktemp("knot-dkim")
    server = start_knot(directory, "test.", _zone())
    try:
        yield make_lookup([(server.host, server.port)], timeout=2.0)
    finally:
        server.stop()


def check(message: bytes, lookup: Lookup) -> MessageReport:
    return check_message(message, lookup)


def only(report: MessageReport) -> tuple[str, str, str]:
    assert len(report.signatures) == 1
    o = report.signatures[0].outcome
    return o.result, o.reason, o.detail


def test_rsa_2048_key_split_over_strings_verifies(lookup: Lookup) -> None:
    report = check(sign(BASE, rsa_key()), lookup)
    sig = report.signatures[0]
    assert (sig.outcome.result, sig.outcome.reason, sig.outcome.key_bits) == ("pass", "pass", 2048)
    assert sig.aligned_relaxed and sig.aligned_strict
    assert report.dkim_aligned_pass_relaxed and report.dkim_aligned_pass_strict
    assert report.dmarc.ours == "pass" and report.dmarc.policy == "reject"


def test_ed25519_verifies(lookup: Lookup) -> None:
    report = check(sign(BASE, ed25519_key(), selector="ed"), lookup)
    assert only(report)[:2] == ("pass", "pass")
    assert report.signatures[0].outcome.algorithm == "ed25519-sha256"


def test_key_behind_cname_verifies(lookup: Lookup) -> None:
    report = check(sign(BASE, rsa_key("ses"), selector="tok"), lookup)
    assert only(report)[:2] == ("pass", "pass")
    assert report.signatures[0].outcome.cname_chain == ("tok.dkim.amazonses-like.test.",)


@pytest.mark.parametrize("endings", ["crlf", "lf"])
def test_crlf_and_lf_inputs_both_verify(lookup: Lookup, endings: str) -> None:
    signed = sign(BASE, rsa_key())
    if endings == "lf":
        signed = signed.replace(b"\r\n", b"\n")
    report = check(signed, lookup)
    assert only(report)[:2] == ("pass", "pass")
    assert report.message.line_endings == endings


def test_body_changed(lookup: Lookup) -> None:
    signed = replace_once(sign(BASE, rsa_key()), b"Hello Bob", b"Hello Eve")
    report = check(signed, lookup)
    result, reason, detail = only(report)
    assert (result, reason) == ("fail", "body_changed") and "body changed" in detail
    assert report.dmarc.ours == "fail" and report.verdict == "error"
    assert all(f.fix for f in report.findings if f.status == "error")


def test_signed_subject_changed(lookup: Lookup) -> None:
    signed = replace_once(sign(BASE, rsa_key()), b"Subject: SES test", b"Subject: [EXT] SES test")
    result, reason, detail = only(check(signed, lookup))
    assert (result, reason) == ("fail", "signed_header_changed")
    assert "signed header" in detail


def test_key_missing(lookup: Lookup) -> None:
    result, reason, detail = only(check(sign(BASE, rsa_key(), selector="gone"), lookup))
    assert (result, reason) == ("permerror", "key_missing")
    assert "gone._domainkey.example.test does not exist" in detail


def test_key_revoked(lookup: Lookup) -> None:
    result, reason, _ = only(check(sign(BASE, rsa_key(), selector="revoked"), lookup))
    assert (result, reason) == ("permerror", "key_revoked")


def test_key_too_short(lookup: Lookup) -> None:
    report = check(sign(BASE, short_rsa_key(), selector="short"), lookup)
    result, reason, detail = only(report)
    assert (result, reason) == ("policy", "key_too_short") and "768-bit" in detail
    assert report.signatures[0].outcome.key_bits == 768


def test_rsa_sha1_is_unsupported(lookup: Lookup) -> None:
    report = check(sign(BASE, rsa_key(), algorithm=b"rsa-sha1"), lookup)
    result, reason, detail = only(report)
    assert (result, reason) == ("policy", "unsupported_algorithm")
    assert "it would otherwise verify" in detail and not report.dkim_aligned_pass_relaxed


def test_unknown_key_type_is_unsupported(lookup: Lookup) -> None:
    result, reason, detail = only(check(sign(BASE, rsa_key(), selector="weird"), lookup))
    assert (result, reason) == ("permerror", "unsupported_algorithm") and "k=foo" in detail


def test_dns_error_is_temperror(lookup: Lookup) -> None:
    # knotd refuses names outside its zone: the resolver sees no server answer.
    signed = sign(BASE, rsa_key(), domain="example.invalid")
    result, reason, _ = only(check(signed, lookup))
    assert (result, reason) == ("temperror", "dns_error")


def test_two_signatures_only_the_second_aligns(lookup: Lookup) -> None:
    signed = sign(sign(BASE, rsa_key()), rsa_key("ses"), selector="amz", domain="other.test")
    report = check(signed, lookup)
    first, second = report.signatures
    assert (first.outcome.d, first.outcome.result, first.aligned_relaxed) == (
        "other.test",
        "pass",
        False,
    )
    assert (second.outcome.d, second.outcome.result, second.aligned_relaxed) == (
        "example.test",
        "pass",
        True,
    )
    assert report.dkim_aligned_pass_relaxed and report.dmarc.ours == "pass"
    assert report.verdict != "error"


def test_headers_only_is_not_checkable(lookup: Lookup) -> None:
    signed = sign(BASE, rsa_key())
    headers = signed.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    report = check(headers, lookup)
    result, reason, detail = only(report)
    assert (result, reason) == ("none", "not_checkable")
    assert detail.startswith("not checkable: only the headers")
    assert any(f.check == "input" and f.status == "warn" for f in report.findings)

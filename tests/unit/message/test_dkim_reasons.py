"""dkimpy's outcomes turned into plain reasons, results and fixes (no DNS, no dkimpy)."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.message.dkim_reasons import (
    REASONS,
    DkimAttempt,
    KeyLookup,
    classify,
    not_checkable,
)
from sesdmarc_tui.core.message.dkim_tags import parse_key_record, parse_signature

SIG = parse_signature(
    0, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=Example.Test; s=sel; h=from; bh=AA==; b=AA=="
)
NAME = "sel._domainkey.example.test"
GOOD_KEY = KeyLookup(NAME, "ok", "v=DKIM1; k=rsa; p=MIIB", 1)


def test_signature_tags() -> None:
    assert (SIG.d, SIG.s, SIG.algorithm, SIG.problems) == ("example.test", "sel", "rsa-sha256", ())
    broken = parse_signature(3, "d=x.test; d=y.test; junk; a = RSA-SHA1")
    assert (broken.index, broken.d, broken.algorithm) == (3, "x.test", "rsa-sha1")
    assert "d= appears twice" in broken.problems and any("missing" in p for p in broken.problems)


def test_key_record() -> None:
    assert parse_key_record("v=DKIM1; k=rsa; p=").revoked
    assert not parse_key_record("p=AAAA").revoked
    assert parse_key_record("p=AB CD").tags["p"] == "ABCD"
    assert parse_key_record("google-site-verification=xyz").usable_shape is not None
    assert parse_key_record("v=DKIM2; p=AA").usable_shape is not None
    assert parse_key_record("k=ed25519; p=AA").key_type == "ed25519"


CASES = [
    (DkimAttempt(True, key=GOOD_KEY, key_bits=2048, key_type="rsa"), "pass", "pass"),
    (
        DkimAttempt(None, "ValidationError", "body hash mismatch (got x, expected y)", GOOD_KEY),
        "fail",
        "body_changed",
    ),
    (
        DkimAttempt(False, key=GOOD_KEY, key_bits=2048, key_type="rsa"),
        "fail",
        "signed_header_changed",
    ),
    (
        DkimAttempt(False, error="missing public key", key=KeyLookup(NAME, "nxdomain", None, 0)),
        "permerror",
        "key_missing",
    ),
    (DkimAttempt(False, key=KeyLookup(NAME, "nodata", None, 0)), "permerror", "key_missing"),
    (
        DkimAttempt(False, error="x", key=KeyLookup(NAME, "ok", "v=DKIM1; p=", 1)),
        "permerror",
        "key_revoked",
    ),
    (
        DkimAttempt(None, "KeyFormatError", "public key too small: 768", GOOD_KEY, 768, "rsa"),
        "policy",
        "key_too_short",
    ),
    (DkimAttempt(True, key=GOOD_KEY, key_bits=512, key_type="rsa"), "policy", "key_too_short"),
    (
        DkimAttempt(False, error="x", key=KeyLookup(NAME, "ok", "hello world", 1)),
        "permerror",
        "key_malformed",
    ),
    (
        DkimAttempt(False, error="could not parse RSA public key", key=GOOD_KEY),
        "permerror",
        "key_malformed",
    ),
    (
        DkimAttempt(False, error="x", key=KeyLookup(NAME, "ok", "k=foo; p=AA", 1)),
        "permerror",
        "unsupported_algorithm",
    ),
    (
        DkimAttempt(False, key=KeyLookup(NAME, "error", None, 0, error="timed out")),
        "temperror",
        "dns_error",
    ),
    (DkimAttempt(None, "ValidationError", "x= value is past (123)"), "fail", "signature_expired"),
    (DkimAttempt(None, "ValidationError", "missing b="), "permerror", "malformed_signature"),
    (
        DkimAttempt(None, "MessageFormatError", "Unexpected characters in RFC822 header: x"),
        "permerror",
        "malformed_message",
    ),
    (
        DkimAttempt(None, "NaClNotFoundError", "pynacl module required"),
        "permerror",
        "unsupported_algorithm",
    ),
    (
        DkimAttempt(None, "IndexError", "list index out of range"),
        "permerror",
        "malformed_signature",
    ),
]


@pytest.mark.parametrize(("attempt", "result", "reason"), CASES)
def test_classify(attempt: DkimAttempt, result: str, reason: str) -> None:
    outcome = classify(SIG, attempt)
    assert (outcome.result, outcome.reason) == (result, reason)
    assert outcome.reason in REASONS and outcome.detail
    assert (outcome.fix is None) == (reason == "pass")
    if outcome.fix:
        assert outcome.fix.endswith(".") and outcome.fix.count(". ") == 0  # one sentence


def test_body_changed_on_empty_body_hints_at_pasted_headers() -> None:
    attempt = DkimAttempt(None, "ValidationError", "body hash mismatch", GOOD_KEY)
    assert "only the headers pasted" in classify(SIG, attempt, body_empty=True).detail


@pytest.mark.parametrize(
    ("algorithm", "result"), [("rsa-sha1", "policy"), ("rsa-sha512", "permerror")]
)
def test_unsupported_signature_algorithm(algorithm: str, result: str) -> None:
    sig = parse_signature(0, f"a={algorithm}; d=example.test; s=sel")
    outcome = classify(sig, DkimAttempt(True, key=GOOD_KEY, key_bits=2048, key_type="rsa"))
    assert (outcome.result, outcome.reason) == (result, "unsupported_algorithm")


def test_not_checkable() -> None:
    outcome = not_checkable(SIG, "only headers")
    assert (outcome.result, outcome.reason, outcome.detail) == (
        "none",
        "not_checkable",
        "not checkable: only headers",
    )

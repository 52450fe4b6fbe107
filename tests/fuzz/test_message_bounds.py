"""Pathological pasted messages: a verdict in bounded time and a bounded number of DNS lookups.

``tests/unit/message/test_fuzz.py`` mutates real signed messages and
``tests/cli/test_verify_message_cli.py`` checks the 25 MB and over-the-limit cases; this adds
the shapes that cost work rather than break parsing: MIME nested thousands deep, hundreds of
thousands of headers or folded lines, a 20 MB header, thousands of DKIM signatures (each one a
key lookup, so the count must be capped), thousands of Authentication-Results.
"""

from __future__ import annotations

import time

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.dns.dkim_verify import MAX_SIGNATURES, check_message

HEAD = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\n"
SIGNATURE = (
    b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s%d; c=relaxed/relaxed; h=from; "
    b"bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n"
)
CASES: dict[str, bytes] = {
    "mime-5000-deep": HEAD
    + b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(5000)
    )
    + b"x\r\n",
    "200k-headers": HEAD + b"X-A: b\r\n" * 200_000 + b"\r\nbody\r\n",
    "2000-signatures": HEAD + b"".join(SIGNATURE % i for i in range(2000)) + b"\r\nbody\r\n",
    "20mb-header": HEAD + b"X-Long: " + b"a" * (20 * 1024 * 1024) + b"\r\n\r\nbody\r\n",
    "500k-folds": HEAD + b"X-F: a\r\n" + b" b\r\n" * 500_000 + b"\r\nbody\r\n",
    "50k-auth-results": HEAD
    + b"Authentication-Results: mx.google.com; dkim=pass header.d=example.com; spf=pass "
    b"smtp.mailfrom=example.com; dmarc=pass header.from=example.com\r\n" * 50_000 + b"\r\nbody\r\n",
    "100k-from": b"From: a@example.com\r\n" * 100_000 + b"\r\nbody\r\n",
    "10mb-nul-body": HEAD + b"\r\n" + b"\x00" * (10 * 1024 * 1024),
    "no-line-ends": b"From: a@example.com" + b"\x00a:" * 1_000_000,
}
# Generous for a loaded 2-core machine; each case takes well under a second on its own.
SECONDS = 15.0


@pytest.mark.parametrize(("case", "data"), CASES.items(), ids=CASES.keys())
def test_pathological_messages_get_a_verdict_in_bounded_time(case: str, data: bytes) -> None:
    lookup = StaticLookup({})
    started = time.perf_counter()
    report = check_message(data, lookup, trusted_authserv_id="mx.google.com")
    elapsed = time.perf_counter() - started
    assert report.verdict in ("ok", "warn", "error")
    assert elapsed < SECONDS, elapsed
    key_lookups = [n for n, _ in lookup.queries if "._domainkey." in n]
    assert len(key_lookups) <= MAX_SIGNATURES, len(key_lookups)
    assert len(lookup.queries) <= MAX_SIGNATURES + 20, len(lookup.queries)
    if case == "2000-signatures":
        assert key_lookups, "the signatures were never looked at"

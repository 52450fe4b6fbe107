"""Random bytes and mutated real messages never raise from the check (parse, dkimpy, verdict).

The seed message is signed twice (the identity's key and an amazonses.com one, as SES does)
and carries a Gmail and a Microsoft Authentication-Results, so mutations reach every parser.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.dns.dkim_verify import check_message
from sesdmarc_tui.report.message import render_message_report
from tests.unit.message._support import BASE, add_header_top, ed25519_key, key_name, rsa_key, sign

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_N", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@lru_cache(maxsize=1)
def seed() -> bytes:
    signed = sign(sign(BASE, ed25519_key(), selector="ed"), rsa_key(), selector="sel")
    signed = sign(signed, rsa_key("ses"), selector="ses", domain="amazonses.com")
    signed = add_header_top(
        signed,
        b"Authentication-Results: mx.google.com; dkim=pass header.i=@example.test header.s=sel; "
        b'spf=pass (google.com: "quoted; text") smtp.mailfrom=bounce@mail.example.test; '
        b"dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.test",
    )
    return add_header_top(
        signed,
        b"Authentication-Results: spf=pass (sender IP is 54.240.8.1) smtp.mailfrom=mail.example.test;"
        b" dkim=pass (signature was verified) header.d=example.test;dmarc=pass action=none "
        b"header.from=example.test;compauth=pass reason=100",
    )


@lru_cache(maxsize=1)
def lookup() -> StaticLookup:
    return StaticLookup(
        {
            (key_name("sel"), "TXT"): [rsa_key().record()],
            (key_name("ed"), "TXT"): [ed25519_key().record()],
            (key_name("ses", "amazonses.com"), "TXT"): [rsa_key("ses").record()],
            ("_dmarc.example.test", "TXT"): ["v=DMARC1; p=reject; rua=mailto:d@example.test"],
        }
    )


def run(data: bytes, trusted: str | None = None) -> None:
    report = check_message(data, lookup(), trusted_authserv_id=trusted)
    json.dumps(report.to_json())
    console = Console(file=io.StringIO(), force_terminal=False, width=100)
    render_message_report(report, console)
    assert report.verdict in ("ok", "warn", "error")


def test_seed_passes() -> None:
    report = check_message(seed(), lookup())
    assert [s.outcome.result for s in report.signatures] == ["pass", "pass", "pass"]
    assert report.verdict == "ok", [f for f in report.findings if f.status != "pass"]


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    run(data)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([b"", b"\r\n\r\n", b"\n"]))
def test_random_bytes_after_headers(data: bytes, joint: bytes) -> None:
    run(b"From: a@example.test\r\nDKIM-Signature: " + data + joint + data)


def _lines(message: bytes) -> list[bytes]:
    return message.split(b"\r\n")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(seed())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["flip", "insert", "delete_line", "dup_line", "truncate", "lf"])
        )
        if not data:
            break
        if kind == "flip":
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        elif kind == "insert":
            i = draw(st.integers(0, len(data)))
            data[i:i] = draw(st.binary(min_size=1, max_size=20))
        elif kind in ("delete_line", "dup_line"):
            lines = _lines(bytes(data))
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "delete_line":
                del lines[i]
            else:
                lines.insert(i, lines[i])
            data = bytearray(b"\r\n".join(lines))
        elif kind == "truncate":
            del data[draw(st.integers(0, len(data))) :]
        else:
            data = bytearray(bytes(data).replace(b"\r\n", b"\n"))
    return bytes(data)


@FUZZ
@given(mutated(), st.sampled_from([None, "mx.google.com", "microsoft", "other.example"]))
def test_mutated_real_message(data: bytes, trusted: str | None) -> None:
    run(data, trusted)

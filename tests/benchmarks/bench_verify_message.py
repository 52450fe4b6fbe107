"""Benchmark: ``sesdmarc verify-message`` on a 10 MB message, against the stdlib email parser.

The message is made here: a multipart/mixed with a short text part and a 7.5 MB random
attachment in base64 (10 MiB in all), DKIM-signed relaxed/relaxed (as SES signs) with an RSA
2048 key generated at run time, and a Gmail-style Authentication-Results header on top. Its key
and DMARC record are served on loopback by ``zone_servers`` (with ``test.`` for the DMARC
tree walk; no added latency: the figure of
interest is the message work). Printed, medians:

- the command, ``sesdmarc --nameserver ... verify-message FILE --json``, as a child process
  (interpreter start and imports included), against a child process that only parses the same
  file with ``email.parser.BytesParser(policy=email.policy.default)``;
- the same in-process: ``check_message`` against ``BytesParser(...).parsebytes``.

    .venv/bin/python tests/benchmarks/bench_verify_message.py [--runs N]
    .venv/bin/python -m pytest tests/benchmarks/bench_verify_message.py -s
    .venv/bin/python -m tests.benchmarks --only verify-message
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.rows import Outcome, Row
from tests.benchmarks.zone_servers import ZoneServers, zone_servers

SIZE = 10 * 1024 * 1024
SELECTOR = "bench"
AUTHSERV = "mx.google.com"
HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type"]
PARSE_ONLY = (
    "import email.parser, email.policy, sys\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "email.parser.BytesParser(policy=email.policy.default).parsebytes(data)\n"
)


def make_key() -> tuple[bytes, str]:
    """(private key PEM, public key base64) of a fresh RSA 2048 key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, base64.b64encode(der).decode()


def unsigned_message(size: int = SIZE) -> bytes:
    head = (
        b"Return-Path: <bounce@mail.example.test>\r\n"
        b"From: Alice Example <alice@example.test>\r\n"
        b"To: bob@receiver.test\r\n"
        b"Subject: the quarterly figures\r\n"
        b"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
        b"Message-ID: <bench-1@example.test>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n'
        b"\r\n"
        b"--b1\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"\r\n"
        b"Hello Bob,\r\n\r\nthe figures are attached.\r\n"
        b"--b1\r\n"
        b'Content-Type: application/octet-stream; name="figures.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="figures.bin"\r\n'
        b"\r\n"
    )
    tail = b"--b1--\r\n"
    raw = random.Random(10).randbytes((size - len(head) - len(tail)) * 57 // 78)
    encoded = base64.b64encode(raw)
    lines = b"".join(encoded[i : i + 76] + b"\r\n" for i in range(0, len(encoded), 76))
    return head + lines + tail


def signed_message(pem: bytes) -> bytes:
    import dkim

    message = unsigned_message()
    signature = dkim.sign(
        message,
        SELECTOR.encode(),
        b"example.test",
        pem,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=HEADERS,
        linesep=b"\r\n",
    )
    results = (
        f"Authentication-Results: {AUTHSERV}; dkim=pass header.i=@example.test "
        f"header.s={SELECTOR}; spf=pass smtp.mailfrom=bounce@mail.example.test; "
        "dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.test\r\n"
    ).encode()
    return results + bytes(signature) + message


def zones(public: str) -> dict[str, list[str]]:
    # ``test.`` answers NXDOMAIN for the DMARC tree walk's ``_dmarc.test`` (a server that
    # refused it, as an authoritative-only server does, would make the DMARC verdict temperror).
    return {"example.test.": example_zone(public), "test.": []}


def example_zone(public: str) -> list[str]:
    record = f"v=DKIM1; k=rsa; p={public}"
    strings = " ".join(f'"{record[i : i + 255]}"' for i in range(0, len(record), 255))
    return [
        f"{SELECTOR}._domainkey 300 IN TXT {strings}",
        '_dmarc 300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"',
        'mail 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    ]


def command(servers: ZoneServers, path: Path) -> list[str]:
    sesdmarc = str(Path(sys.executable).with_name("sesdmarc"))
    options = [x for ns in servers.nameservers() for x in ("--nameserver", ns)]
    return [sesdmarc, *options, "verify-message", str(path), "--trusted-authserv-id", AUTHSERV]


def timed(argv: list[str]) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, check=False)
    took = time.perf_counter() - began
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return took, done.stdout


def in_process(data: bytes, servers: ZoneServers) -> float:
    from sesdmarc_tui.dns.dkim_verify import check_message
    from sesdmarc_tui.dns.lookup import make_lookup

    lookup = make_lookup([("127.0.0.1", p) for p in servers.ports.values()])
    began = time.perf_counter()
    report = check_message(data, lookup, trusted_authserv_id=AUTHSERV)
    took = time.perf_counter() - began
    assert report.verdict != "error", report.to_json()
    return took


def parse_only(data: bytes) -> float:
    import email.parser
    import email.policy

    began = time.perf_counter()
    email.parser.BytesParser(policy=email.policy.default).parsebytes(data)
    return time.perf_counter() - began


def measure(runs: int) -> dict[str, Any]:
    made = time.perf_counter()
    pem, public = make_key()
    data = signed_message(pem)
    made = time.perf_counter() - made
    with (
        tempfile.TemporaryDirectory() as tmp,
        zone_servers(zones(public), 0.0) as servers,
    ):
        path = Path(tmp) / "big.eml"
        path.write_bytes(data)
        _, out = timed([*command(servers, path), "--json"])  # warm the page cache; the verdict
        payload = json.loads(out)
        assert [s["result"] for s in payload["signatures"]] == ["pass"], payload["signatures"]
        asked = servers.questions()
        numbers: dict[str, Any] = {"size": len(data), "made": made, "questions": asked}
        numbers["command"] = [timed(command(servers, path))[0] for _ in range(runs)]
        numbers["parse_process"] = [
            timed([sys.executable, "-c", PARSE_ONLY, str(path)])[0] for _ in range(runs)
        ]
        in_process(data, servers)  # imports and the Public Suffix List, loaded once per process
        numbers["in_process"] = [in_process(data, servers) for _ in range(runs)]
        numbers["parse"] = [parse_only(data) for _ in range(runs)]
        numbers["verdict"] = payload["verdict"]
    return numbers


def mb_s(numbers: dict[str, Any], key: str) -> float:
    return float(numbers["size"]) / 1e6 / float(statistics.median(numbers[key]))


def report(numbers: dict[str, Any]) -> str:
    def line(label: str, key: str) -> str:
        values = numbers[key]
        runs = " ".join(f"{v:.2f}" for v in values)
        return (
            f"{label:38} {statistics.median(values):6.2f} s  {mb_s(numbers, key):6.1f} MB/s"
            f"   (runs: {runs})"
        )

    kinds = ", ".join(f"{qtype} {qname}" for _p, qname, qtype, _t in numbers["questions"])
    return "\n".join(
        [
            f"message: {numbers['size'] / 1e6:.1f} MB, made and signed in {numbers['made']:.1f} s;"
            f" verdict {numbers['verdict']}; DNS questions: {kinds}",
            line("sesdmarc verify-message (process)", "command"),
            line("stdlib email parse (process)", "parse_process"),
            line("check_message (in-process)", "in_process"),
            line("stdlib email parse (in-process)", "parse"),
        ]
    )


def outcome(quick: bool) -> Outcome:
    numbers = measure(1 if quick else 5)
    mb = numbers["size"] / 1e6

    def row(label: str, key: str, base_key: str, base_name: str) -> Row:
        figure, base = statistics.median(numbers[key]), statistics.median(numbers[base_key])
        note = f"{mb_s(numbers, key):.1f} MB/s"
        return Row(label, figure, "s", base, base_name, figure / base, "time/parse", None, note)

    rows = [
        row(f"verify-message {mb:.0f} MB (command)", "command", "parse_process", "email parse"),
        row(f"verify-message {mb:.0f} MB (in-process)", "in_process", "parse", "email parse"),
    ]
    return Outcome(rows, report(numbers))


def test_bench_verify_message() -> None:
    found = outcome(quick=False)
    print("\n--- verify-message on a 10 MB message ---\n" + found.text)


def main() -> None:
    parser = argparse.ArgumentParser(description="verify-message on a 10 MB message")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(report(measure(args.runs)))


if __name__ == "__main__":
    main()

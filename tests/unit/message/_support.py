"""Keys generated in the tests, messages signed with dkimpy, and the DNS records for them.

Shared by the unit, knot adapter and CLI tests of ``verify-message``. Keys are generated once
per session (RSA 2048 takes ~50 ms); the 768-bit key is built from primes because the
``cryptography`` package refuses to generate keys under 1024 bits.
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import dataclass
from functools import cache

import dkim
import nacl.signing
import pytest

rsa_mod = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")

DOMAIN = "example.test"

BASE = (
    b"Return-Path: <bounce@mail.example.test>\r\n"
    b"From: Alice Example <alice@example.test>\r\n"
    b"To: bob@receiver.test\r\n"
    b"Subject: SES test message\r\n"
    b"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    b"Message-ID: <test-1@example.test>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Hello Bob,\r\n"
    b"\r\n"
    b"this is the wizard's test message.\r\n"
)
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id"]


@dataclass(frozen=True)
class Key:
    kind: str  # rsa or ed25519
    private: bytes  # what dkim.sign wants
    public_b64: str

    def record(self) -> str:
        return f"v=DKIM1; k={self.kind}; p={self.public_b64}"


def _rsa_key(private_key: object) -> Key:
    pem = private_key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = private_key.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Key("rsa", pem, base64.b64encode(der).decode())


@cache
def rsa_key(name: str = "main") -> Key:
    return _rsa_key(rsa_mod.generate_private_key(public_exponent=65537, key_size=2048))


@cache
def ed25519_key() -> Key:
    signing = nacl.signing.SigningKey.generate()
    return Key(
        "ed25519",
        base64.b64encode(bytes(signing)),
        base64.b64encode(bytes(signing.verify_key)).decode(),
    )


def _is_prime(n: int) -> bool:
    if n % 2 == 0:
        return n == 2
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    rng = random.Random(n)
    for _ in range(24):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if _is_prime(candidate):
            return candidate


@cache
def short_rsa_key(bits: int = 768) -> Key:
    rng = random.Random(bits)
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        phi = (p - 1) * (q - 1)
        if p != q and math.gcd(e, phi) == 1:
            break
    d = pow(e, -1, phi)
    numbers = rsa_mod.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa_mod.RSAPublicNumbers(e, p * q)
    )
    return _rsa_key(numbers.private_key())


def sign(
    message: bytes,
    key: Key,
    *,
    selector: str = "sel",
    domain: str = DOMAIN,
    algorithm: bytes | None = None,
    headers: list[bytes] | None = None,
    canonicalize: tuple[bytes, bytes] = (b"relaxed", b"relaxed"),
) -> bytes:
    """The message with a new DKIM-Signature on top (relaxed/relaxed by default, like SES)."""
    if algorithm is None:
        algorithm = b"ed25519-sha256" if key.kind == "ed25519" else b"rsa-sha256"
    signature = dkim.sign(
        message,
        selector.encode(),
        domain.encode(),
        key.private,
        canonicalize=canonicalize,
        include_headers=headers or SIGNED_HEADERS,
        signature_algorithm=algorithm,
        linesep=b"\r\n",
    )
    signed: bytes = signature + message
    return signed


def txt_strings(value: str) -> str:
    """A TXT value as zone-file character-strings of at most 255 octets."""
    return " ".join(f'"{value[i : i + 255]}"' for i in range(0, len(value), 255))


def key_name(selector: str, domain: str = DOMAIN) -> str:
    return f"{selector}._domainkey.{domain}"


def replace_once(message: bytes, old: bytes, new: bytes) -> bytes:
    assert old in message, old
    return message.replace(old, new, 1)


def add_header_top(message: bytes, line: bytes) -> bytes:
    return line.rstrip(b"\r\n") + b"\r\n" + message

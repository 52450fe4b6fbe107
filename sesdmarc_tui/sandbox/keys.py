"""RSA key pairs for the sandbox's DKIM signatures, in the forms DNS and dkimpy want.

The public half goes into DNS as the base64 SubjectPublicKeyInfo a ``p=`` tag carries; the
private half stays in memory as PKCS#1 PEM, which dkimpy signs with. ``cryptography`` is a
dependency of moto, so it is present whenever the sandbox is, and is imported lazily.
"""

from __future__ import annotations

import base64
import secrets
import string
from dataclasses import dataclass, field

TOKEN_ALPHABET = string.ascii_lowercase + string.digits
TOKEN_LENGTH = 32  # what SES's Easy DKIM tokens look like (core.regions.DKIM_TOKEN_RE)


def random_token(length: int = TOKEN_LENGTH) -> str:
    """A lower-case alphanumeric token, as SES hands out for Easy DKIM selectors."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class DkimKey:
    """One signing key: ``private_pem`` never leaves the process (and never reaches a log)."""

    bits: int
    public_b64: str
    private_pem: bytes = field(repr=False)

    @property
    def txt_value(self) -> str:
        """The key record as SES serves it for Easy DKIM: ``p=`` only."""
        return f"p={self.public_b64}"

    @classmethod
    def generate(cls, bits: int = 2048) -> DkimKey:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(bits, base64.b64encode(public).decode("ascii"), private)

"""RFC 2136 plumbing: the TSIG key, one blocking exchange with a server, and error meanings.

Kept apart from the provider so the secret handling is in one small place: the secret lives
only in ``TsigKey.secret`` (hidden from ``repr``) and in the ``dns.tsig.Key`` built for one
message. dnspython's own ``Key.__repr__`` prints the secret, so no error text here ever
formats a key object or a keyring.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.exception
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.tsig

from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind

ALGORITHMS: dict[str, dns.name.Name] = {
    "hmac-md5": dns.tsig.HMAC_MD5,
    "hmac-sha1": dns.tsig.HMAC_SHA1,
    "hmac-sha224": dns.tsig.HMAC_SHA224,
    "hmac-sha256": dns.tsig.HMAC_SHA256,
    "hmac-sha384": dns.tsig.HMAC_SHA384,
    "hmac-sha512": dns.tsig.HMAC_SHA512,
}
TSIG_REMEDY = "Check the key name, algorithm and secret against the server's configuration."

Exchange = Callable[[dns.message.Message, str, int, float, bool], dns.message.Message]
"""``exchange(message, host, port, timeout, tcp) -> response``; tests wrap it to count updates."""


def default_exchange(
    message: dns.message.Message, host: str, port: int, timeout: float, tcp: bool
) -> dns.message.Message:
    """TCP, or UDP with a retry over TCP when the answer is truncated (a long DKIM TXT set)."""
    if tcp:
        return dns.query.tcp(message, host, port=port, timeout=timeout)
    response, _used_tcp = dns.query.udp_with_fallback(message, host, port=port, timeout=timeout)
    return response


@dataclass(frozen=True)
class TsigKey:
    """A TSIG key as configured on the server; ``secret`` is base64 and never shown."""

    name: str
    algorithm: str = "hmac-sha256"
    secret: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.algorithm.lower().rstrip(".") not in ALGORITHMS:
            raise DnsProviderError(
                ProviderErrorKind.TSIG,
                f"Unsupported TSIG algorithm {self.algorithm!r}.",
                f"Use one of {', '.join(ALGORITHMS)} (hmac-sha256 is the usual choice).",
            )
        try:
            dns.name.from_text(self.name)
            raw = base64.b64decode(self.secret.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise DnsProviderError(
                ProviderErrorKind.TSIG,
                f"The TSIG key {self.name!r} has an invalid name or a secret that is not base64.",
                "Copy the secret exactly as the server's key file shows it.",
            ) from None
        if not raw:
            raise DnsProviderError(ProviderErrorKind.TSIG, "The TSIG secret is empty.", TSIG_REMEDY)

    def dns_key(self) -> dns.tsig.Key:
        return dns.tsig.Key(
            dns.name.from_text(self.name),
            base64.b64decode(self.secret),
            ALGORITHMS[self.algorithm.lower().rstrip(".")],
        )


_PEER_TSIG = {
    "PeerBadKey": "the server does not know a key of that name and algorithm",
    "PeerBadSignature": "the signature did not verify, so the secret or algorithm differs",
    "PeerBadTime": "the server's clock and this machine's differ by more than 5 minutes",
    "PeerBadTruncation": "the server refused the truncated signature",
}


def _tsig_error(kind: str, where: str) -> DnsProviderError:
    detail = _PEER_TSIG.get(kind, "its signature check failed")
    return DnsProviderError(
        ProviderErrorKind.TSIG,
        f"TSIG key rejected by {where}: {detail}.",
        TSIG_REMEDY,
    )


def exchange_error(exc: Exception, where: str, timeout: float, zone: str) -> DnsProviderError:
    """What a failed exchange means, in words (never echoing key material)."""
    if isinstance(exc, dns.tsig.PeerError | dns.tsig.BadSignature | dns.tsig.BadKey):
        return _tsig_error(type(exc).__name__, where)
    if isinstance(exc, dns.tsig.BadTime):
        return _tsig_error("PeerBadTime", where)
    if isinstance(exc, dns.message.UnknownTSIGKey):
        return DnsProviderError(
            ProviderErrorKind.TSIG, f"{where} signed its answer with another key.", TSIG_REMEDY
        )
    if isinstance(exc, dns.exception.Timeout):
        return DnsProviderError(
            ProviderErrorKind.TIMEOUT,
            f"No answer from {where} within {timeout:g} s.",
            "Check the server address and port, and that a firewall lets DNS through.",
        )
    if isinstance(exc, ConnectionRefusedError):
        return DnsProviderError(
            ProviderErrorKind.UNREACHABLE,
            f"{where} refused the connection: no DNS server listens there.",
            "Check the server address and port.",
        )
    if isinstance(exc, OSError):
        return DnsProviderError(
            ProviderErrorKind.UNREACHABLE,
            f"Cannot reach {where}: {exc.strerror or type(exc).__name__}.",
            "Check the server address, port and network.",
        )
    if isinstance(exc, dns.exception.FormError) and "TSIG" in str(exc):
        # Knot and BIND answer unsigned NOTAUTH for a zone they do not serve, so dnspython
        # fails on the missing signature before the rcode can be read.
        return DnsProviderError(
            ProviderErrorKind.NOT_AUTHORITATIVE,
            f"{where} answered the signed update without a signature: it does not serve "
            f"{zone} as a primary, or does not know the key.",
            f"Point the provider at the primary server of {zone}. {TSIG_REMEDY}",
        )
    return DnsProviderError(
        ProviderErrorKind.SERVER, f"Bad answer from {where}: {type(exc).__name__}: {exc}."
    )


def update_rcode_error(rcode: int, where: str, zone: str, signed: bool) -> DnsProviderError:
    """Why the server refused an UPDATE, by its rcode (RFC 2136 s2.2)."""
    text = dns.rcode.to_text(dns.rcode.Rcode(rcode))
    if rcode in (dns.rcode.NXRRSET, dns.rcode.YXRRSET, dns.rcode.NXDOMAIN, dns.rcode.YXDOMAIN):
        return DnsProviderError(
            ProviderErrorKind.CONFLICT,
            f"{where} rejected the update ({text}): the records at these names are not what "
            "the plan read (they changed since, or other data appeared next to a CNAME).",
            "Plan again, so that values added in the meantime are kept.",
        )
    if rcode == dns.rcode.NOTAUTH:
        if not signed:
            return DnsProviderError(
                ProviderErrorKind.TSIG,
                f"{where} refused an unsigned update (NOTAUTH).",
                "Configure the TSIG key the server's update policy names.",
            )
        return DnsProviderError(
            ProviderErrorKind.NOT_AUTHORITATIVE,
            f"{where} is not authoritative for {zone}, or did not accept the key (NOTAUTH).",
            f"Point the provider at the primary server of {zone}. {TSIG_REMEDY}",
        )
    if rcode == dns.rcode.REFUSED:
        return DnsProviderError(
            ProviderErrorKind.REFUSED,
            f"{where} refused the update of {zone} (REFUSED).",
            "Check the server's update policy: it must allow this key to update these names.",
        )
    if rcode == dns.rcode.NOTZONE:
        return DnsProviderError(
            ProviderErrorKind.NOT_AUTHORITATIVE,
            f"{where} says a name in the update is outside {zone} (NOTZONE).",
            "Check the zone name given to the provider.",
        )
    return DnsProviderError(
        ProviderErrorKind.SERVER,
        f"{where} failed the update of {zone} ({text}).",
        "Look at the server's log for the reason.",
    )

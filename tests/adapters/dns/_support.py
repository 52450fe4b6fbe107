"""Zone data and server helpers shared by the live-DNS engine tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sesdmarc_tui.dns.query import Server, ServerKind
from tests.support.knot import KnotServer
from tests.support.latency_dns import LatencyDNS

LatencyFactory = Callable[..., Awaitable[LatencyDNS]]
"""``await latency_dns(lines, latency=0.05, authoritative=True) -> LatencyDNS`` (a fixture)."""

ORIGIN = "example.test."
LONG = "p=" + "A" * 400  # a 2048-bit DKIM key is about this long: two character-strings
BIG = [f"v{i:02d}=" + chr(ord("a") + i) * 394 for i in range(12)]  # 12 x 398 chars: > 512 octets


def _strings(value: str) -> str:
    return " ".join(f'"{value[i : i + 255]}"' for i in range(0, len(value), 255))


ZONE = [
    "tok1._domainkey 1800 IN CNAME tok1.dkim.amazonses.com.",
    # The zone appended to the target by a DNS UI.
    "tok2._domainkey 1800 IN CNAME tok2.dkim.amazonses.com.example.test.",
    # The zone appended to the name by a DNS UI.
    "tok3._domainkey.example.test.example.test. 1800 IN CNAME tok3.dkim.amazonses.com.",
    "prox._domainkey 300 IN A 104.16.1.1",
    "prox._domainkey 300 IN A 104.16.1.2",
    'txtd._domainkey 300 IN TXT "txtd.dkim.amazonses.com"',
    f"byo._domainkey 300 IN TXT {_strings(LONG)}",
    "mail 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
    'mail 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    'mail 300 IN TXT "google-site-verification=abc"',
    "mail2 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
    "mail2 300 IN MX 20 mx.other.test.",
    'mail2 300 IN TXT "v=spf1 include:amazonses.com ~all"',
    'mail2 300 IN TXT "v=spf1 include:_spf.google.com ~all"',
    '_dmarc 300 IN TXT "v=DMARC1;p=none;rua=mailto:d@example.test"',
    '_dmarc.sub 300 IN TXT "v=DMARC1; p=none"',
    '_dmarc.sub 300 IN TXT "v=DMARC1; p=reject"',
    "host 300 IN A 192.0.2.1",
    *[f"big 300 IN TXT {_strings(v)}" for v in BIG],
]


def auth(server: KnotServer | LatencyDNS, label: str = "") -> Server:
    return Server(server.host, server.port, ServerKind.AUTHORITATIVE, label)


def recursive(server: KnotServer | LatencyDNS, label: str = "") -> Server:
    return Server(server.host, server.port, ServerKind.RECURSIVE, label)

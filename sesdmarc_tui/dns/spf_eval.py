"""RFC 7208 ``check_host()`` for one client IP, by pyspf, with DNS through our ``Lookup``.

pyspf resolves through the module global ``spf.DNSLookup(name, qtype, strict, timeout)``; we
swap in a function that asks our lookup and answers in pyspf's shape. The swap is process-wide,
so a lock serialises evaluations and the original is always put back. This module is outside
``core`` because importing pyspf imports ``dns.resolver``.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable
from typing import Any

from sesdmarc_tui.core.lookup import AnswerKind, Lookup

_LOCK = threading.Lock()
# RFC 7208 4.6.4: allow at least 20 seconds for the whole evaluation.
DEFAULT_TIMEOUT = 20.0

PySpfAnswer = list[tuple[tuple[str, str], Any]]


def _txt_bytes(value: str) -> bytes:
    # Our lookup hands TXT over as text; pyspf wants the raw octets to apply its own ASCII rule.
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace")


def _mx(value: str) -> tuple[int, str] | None:
    preference, _, host = value.strip().partition(" ")
    try:
        return int(preference), host.strip().rstrip(".")
    except ValueError:
        return None


def pyspf_dns(lookup: Lookup) -> Callable[..., PySpfAnswer]:
    """A replacement for ``spf.DNSLookup`` answering from ``lookup``."""
    import spf

    def dns_lookup(
        name: str, qtype: str, strict: object = True, timeout: object = None
    ) -> PySpfAnswer:
        answer = lookup(name, qtype)
        if answer.kind is AnswerKind.ERROR:
            raise spf.TempError(f"DNS {answer.error or 'error'}")
        if answer.kind is not AnswerKind.OK:
            return []
        key = (name, qtype)
        result: PySpfAnswer = []
        for value in answer.values:
            if qtype in ("TXT", "SPF"):
                result.append((key, [_txt_bytes(value)]))
            elif qtype == "MX":
                mx = _mx(value)
                if mx is not None:
                    result.append((key, mx))
            elif qtype == "PTR":
                result.append((key, value.rstrip(".")))
            elif qtype in ("A", "AAAA"):
                result.append((key, value))
        return result

    return dns_lookup


def evaluate_spf_detail(
    ip: str, sender: str, helo: str, lookup: Lookup, *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[str, str]:
    """``(result, explanation)`` of RFC 7208 evaluation; raises ``ValueError`` for a bad IP.

    ``sender`` is the MAIL FROM address (empty for bounces: the HELO identity is checked).
    """
    ipaddress.ip_address(ip)
    import spf

    with _LOCK:
        saved = spf.DNSLookup
        spf.DNSLookup = pyspf_dns(lookup)
        try:
            query = spf.query(i=ip, s=sender, h=helo, timeout=timeout, querytime=0)
            result, _code, explanation = query.check()
        except (spf.TempError, spf.PermError) as exc:
            return ("temperror" if isinstance(exc, spf.TempError) else "permerror"), str(exc)
        except (AssertionError, RecursionError, ValueError, UnicodeError) as exc:
            # pyspf asserts on runaway recursion and trips on odd data in places; a receiver
            # running it would fail the same message permanently.
            return "permerror", f"evaluation failed: {exc}"
        finally:
            spf.DNSLookup = saved
    return str(result), str(explanation)


def evaluate_spf(ip: str, sender: str, helo: str, lookup: Lookup) -> str:
    """The RFC 7208 result: pass, fail, softfail, neutral, none, permerror or temperror."""
    return evaluate_spf_detail(ip, sender, helo, lookup)[0]

"""The sandbox's receiving mail server: checks what arrives, says so in Authentication-Results.

Its verdicts are computed, not asserted: every DKIM signature is verified with dkimpy against
the sandbox's DNS, SPF is evaluated (pyspf through ``dns.spf_eval``) for the address SES sends
from, and DMARC by ``core.dmarc.evaluate_dmarc``. It asks its own simulated recursive resolver,
so, as at a real receiver, a DMARC record looked up before it was published stays missing
until the negative TTL has passed on the demo clock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parseaddr

from sesdmarc_tui.core.dmarc import evaluate_dmarc
from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.names import DomainError, normalize_domain

AUTHSERV_ID = "mx.sandbox.sesdmarc.test"
_TAG = re.compile(rb"(?:^|;)\s*([a-z]+)\s*=\s*([^;]*)", re.IGNORECASE)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DkimResult:
    domain: str
    selector: str
    result: str
    b_prefix: str

    def resinfo(self) -> str:
        return (
            f"dkim={self.result} header.i=@{self.domain} header.s={self.selector} "
            f"header.b={self.b_prefix}"
        )


@dataclass(frozen=True)
class Verdict:
    dkim: tuple[DkimResult, ...]
    spf: str
    dmarc: str
    policy_comment: str | None
    from_domain: str | None
    mail_from: str
    client_ip: str = ""

    def header_value(self, authserv_id: str = AUTHSERV_ID) -> str:
        domain = self.mail_from.rpartition("@")[2]
        dkim = [d.resinfo() for d in self.dkim] or ["dkim=none"]
        parts = [authserv_id, *dkim]
        parts.append(
            f"spf={self.spf} ({authserv_id}: {_spf_comment(self.spf, domain, self.client_ip)}) "
            f"smtp.mailfrom={self.mail_from}"
        )
        comment = f" ({self.policy_comment})" if self.policy_comment else ""
        parts.append(f"dmarc={self.dmarc}{comment} header.from={self.from_domain or 'unknown'}")
        return ";\r\n       ".join(parts)


def _spf_comment(result: str, domain: str, ip: str) -> str:
    if result == "pass":
        return f"domain of {domain} designates {ip} as permitted sender"
    if result in ("fail", "softfail"):
        return f"domain of {domain} does not designate {ip} as permitted sender"
    return f"{result} for {domain} and {ip}"


def key_fetcher(lookup: Lookup) -> Callable[..., bytes | None]:
    """dkimpy's ``dnsfunc``: the TXT key record at a name (CNAMEs followed by the resolver)."""

    def dnsfunc(name: bytes, timeout: float = 5) -> bytes | None:
        answer = lookup(name.decode("ascii", "replace").rstrip(".") + ".", "TXT")
        if answer.kind is not AnswerKind.OK or not answer.values:
            return None
        keys = [v for v in answer.values if "p=" in v]
        return (keys or list(answer.values))[0].encode("utf-8")

    return dnsfunc


def _signature_tags(message: bytes) -> list[dict[bytes, bytes]]:
    import dkim

    headers = dkim.rfc822_parse(message)[0]
    found = []
    for name, value in headers:
        if name.lower() == b"dkim-signature":
            tags = {k.lower(): b"".join(v.split()) for k, v in _TAG.findall(value)}
            found.append(tags)
    return found


def check_dkim(message: bytes, lookup: Lookup) -> tuple[DkimResult, ...]:
    import dkim

    results = []
    verifier = dkim.DKIM(message, minkey=1024)
    for index, tags in enumerate(_signature_tags(message)):
        try:
            passed = bool(verifier.verify(idx=index, dnsfunc=key_fetcher(lookup)))
        except Exception as exc:  # dkimpy raises several types for malformed signatures
            _log.debug("DKIM signature %d failed to verify: %s", index, exc)
            passed = False
        results.append(
            DkimResult(
                tags.get(b"d", b"").decode("ascii", "replace").lower(),
                tags.get(b"s", b"").decode("ascii", "replace"),
                "pass" if passed else "fail",
                tags.get(b"b", b"")[:8].decode("ascii", "replace"),
            )
        )
    return tuple(results)


def _domain(address: str) -> str | None:
    try:
        return normalize_domain(parseaddr(address)[1].rpartition("@")[2])
    except DomainError:
        return None


def judge(message: bytes, *, mail_from: str, client_ip: str, helo: str, lookup: Lookup) -> Verdict:
    from email.parser import BytesHeaderParser

    from sesdmarc_tui.dns.spf_eval import evaluate_spf

    headers = BytesHeaderParser().parsebytes(message)
    from_domain = _domain(str(headers.get("From", "")))
    dkim_results = check_dkim(message, lookup)
    spf = evaluate_spf(client_ip, mail_from, helo, lookup)
    dmarc, comment = "none", None
    mail_from_domain = _domain(mail_from)
    if from_domain and mail_from_domain:
        evaluation = evaluate_dmarc(
            from_domain, mail_from_domain, spf, [(d.domain, d.result) for d in dkim_results], lookup
        )
        dmarc = evaluation.dmarc
        at = evaluation.discovery.policy_at
        effective = at.record.effective if at is not None and at.record is not None else None
        if effective is not None:
            comment = (
                f"p={effective.p.upper()} sp={effective.sp.upper()} "
                f"dis={(evaluation.disposition or 'none').upper()}"
            )
    return Verdict(dkim_results, spf, dmarc, comment, from_domain, mail_from, client_ip)


def receive(
    message: bytes,
    *,
    mail_from: str,
    client_ip: str,
    helo: str,
    lookup: Lookup,
    when: float,
    recipients: Sequence[str],
    authserv_id: str = AUTHSERV_ID,
) -> tuple[bytes, Verdict]:
    """The message as the receiver stores it: Return-Path, Authentication-Results, Received."""
    verdict = judge(message, mail_from=mail_from, client_ip=client_ip, helo=helo, lookup=lookup)
    stamp = format_datetime(datetime.fromtimestamp(when, UTC))
    received = (
        f"from {helo} ({helo} [{client_ip}])\r\n        by {authserv_id} with ESMTPS "
        f"for <{recipients[0] if recipients else 'undisclosed'}>;\r\n        {stamp}"
    )
    trace = (
        f"Return-Path: <{mail_from}>\r\n"
        f"Authentication-Results: {verdict.header_value(authserv_id)}\r\n"
        f"Received: {received}\r\n"
    ).encode()
    return trace + message, verdict

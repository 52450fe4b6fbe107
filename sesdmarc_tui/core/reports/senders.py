"""Who sent the mail in a report row: SES for this identity, another known sender, or unknown.

SES is recognised by what it puts on every message (email-auth.md s2): the envelope sender is
the identity's custom MAIL FROM domain, or ``<region>.amazonses.com`` without one, and SPF
passes for it from SES's own addresses; every message also carries a ``d=amazonses.com``
signature next to the identity's ``d=<domain>`` one. A row with those marks whose SPF did not
pass came through someone else (a forwarder or a list): it is a known sender, labelled as
forwarded SES mail. Other known senders are the ones the operator names (by network or by
domain), any other service that authenticates as the domain (DMARC passes), and forwarders the
receiver itself recognised. Everything else is unknown.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.reports.model import Row

Group = Literal["ses", "known", "unknown"]
GROUPS: tuple[Group, ...] = ("ses", "known", "unknown")
GROUP_TITLES: dict[Group, str] = {
    "ses": "SES for this identity",
    "known": "Other known senders",
    "unknown": "Unknown",
}
SES_DOMAIN = "amazonses.com"
FORWARD_REASONS = frozenset({"forwarded", "mailing_list", "trusted_forwarder"})


@dataclass(frozen=True)
class Identity:
    """The SES identity whose mail the reports should show."""

    domain: str
    mail_from_domain: str | None = None

    def ses_envelope(self, domain: str) -> bool:
        if not domain:
            return False
        return domain in (self.mail_from_domain, SES_DOMAIN) or domain.endswith("." + SES_DOMAIN)


@dataclass(frozen=True)
class KnownSender:
    """A sender the operator vouches for, by network (``192.0.2.0/24``) or domain."""

    name: str
    networks: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def matches(self, row: Row) -> bool:
        if self.networks:
            address = ipaddress.ip_address(row.source_ip)
            for network in self.networks:
                try:
                    if address in ipaddress.ip_network(network, strict=False):
                        return True
                except ValueError:
                    continue
        found = {d.domain for d in row.dkim if d.result == "pass"} | {row.envelope_from}
        found |= {s.domain for s in row.spf if s.result == "pass"}
        return any(_under(domain, wanted) for domain in found for wanted in self.domains)


def _under(domain: str, parent: str) -> bool:
    parent = parent.lower().rstrip(".")
    return bool(domain) and (domain == parent or domain.endswith("." + parent))


def parse_known(text: str) -> KnownSender:
    """``NAME=192.0.2.0/24,forwarder.example`` -> a :class:`KnownSender`; ``ValueError``."""
    name, _, spec = text.partition("=")
    items = [i.strip() for i in spec.split(",") if i.strip()]
    if not name.strip() or not items:
        raise ValueError(f"{text!r} is not NAME=NETWORK|DOMAIN[,...].")
    networks, domains = [], []
    for item in items:
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            if "." not in item or "/" in item:
                raise ValueError(f"{item!r} is neither a network nor a domain.") from None
            domains.append(item.lower().rstrip("."))
    return KnownSender(name.strip(), tuple(networks), tuple(domains))


def _ses(row: Row, identity: Identity) -> tuple[bool, bool]:
    """(sent by SES directly, carries SES's marks).

    With the MAIL FROM domain unknown, a passing ``d=amazonses.com`` signature next to SPF
    passing for a subdomain of the identity is taken as SES's custom MAIL FROM (SES requires
    the MAIL FROM domain to be a subdomain of the identity).
    """
    signed = any(d.domain == SES_DOMAIN and d.result == "pass" for d in row.dkim)

    def ses_envelope(domain: str) -> bool:
        if identity.ses_envelope(domain):
            return True
        inferred = signed and not identity.mail_from_domain and domain != identity.domain
        return inferred and _under(domain, identity.domain)

    spf_marked = [s for s in row.spf if ses_envelope(s.domain)]
    direct = any(s.result == "pass" for s in spf_marked)
    if not row.spf and signed and (not row.envelope_from or ses_envelope(row.envelope_from)):
        direct = True  # a report without SPF detail: the SES signature and envelope decide
    marked = bool(spf_marked) or signed or identity.ses_envelope(row.envelope_from)
    return direct, marked


def classify(row: Row, identity: Identity, known: Sequence[KnownSender] = ()) -> tuple[Group, str]:
    """The group and a short label saying why."""
    direct, marked = _ses(row, identity)
    if direct:
        envelope = next((s.domain for s in row.spf if s.result == "pass"), row.envelope_from)
        default = identity.ses_envelope(envelope) and envelope != identity.mail_from_domain
        return "ses", f"Amazon SES ({'default MAIL FROM' if default else 'MAIL FROM ' + envelope})"
    for sender in known:
        if sender.matches(row):
            return "known", sender.name
    if marked:
        return "known", "Forwarded SES mail"
    if row.aligned:
        signer = next((d.domain for d in row.dkim if d.result == "pass"), "")
        via = f"d={signer}" if row.dkim_aligned and signer else f"SPF {row.envelope_from}"
        return "known", f"Authenticates as the domain ({via})"
    if FORWARD_REASONS.intersection(row.reasons):
        return "known", "Forwarder or mailing list (says the receiver)"
    return "unknown", "Unknown"

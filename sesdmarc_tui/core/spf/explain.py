"""One plain sentence per SPF term, for the human output of ``spf check`` and the wizard."""

from __future__ import annotations

from sesdmarc_tui.core.spf.parse import Term

_LEAD = {
    "+": "Pass",
    "-": "Fail (receivers may reject)",
    "~": "Softfail (accepted but marked suspicious)",
    "?": "Neutral (neither pass nor fail)",
}


def _cidr(term: Term) -> str:
    parts = []
    if term.cidr4 is not None:
        parts.append(f"the /{term.cidr4} IPv4 network")
    if term.cidr6 is not None:
        parts.append(f"the /{term.cidr6} IPv6 network")
    return f" ({' and '.join(parts)} around each address)" if parts else ""


def explain_term(term: Term, domain: str | None = None) -> str:
    """What a receiver does with ``term``; ``domain`` is the record's owner, for a and mx."""
    if term.error is not None:
        return f"Invalid: {term.error}. Receivers return permerror for every message."
    own = domain or "this domain"
    target = term.target or own
    lead = _LEAD[term.effective_qualifier]
    if term.kind == "modifier":
        if term.name == "redirect":
            return (
                f"If nothing else matched, use the SPF record of {target} instead "
                "(1 DNS lookup; ignored when the record has an all term)."
            )
        if term.name == "exp":
            return f"Receivers that reject may quote the explanation text published at {target}."
        return f"Unknown modifier {term.name}=; receivers ignore it."
    name = term.name
    if name == "all":
        if term.effective_qualifier == "+":
            return "Pass for every other server: anyone on the internet can send as this domain."
        outcome = _LEAD[term.effective_qualifier]
        return f"Every server not matched before this term gets {outcome[0].lower()}{outcome[1:]}."
    if name == "include":
        return (
            f"{lead} for servers that {target}'s SPF record passes "
            f"(1 DNS lookup, plus the lookups inside {target})."
        )
    if name == "a":
        return f"{lead} for the addresses (A/AAAA) of {target}{_cidr(term)} (1 DNS lookup)."
    if name == "mx":
        return (
            f"{lead} for the mail servers (MX) of {target}{_cidr(term)} "
            "(1 DNS lookup; at most 10 MX names)."
        )
    if name == "ptr":
        return (
            f"{lead} for servers whose verified reverse DNS name ends in {target} "
            "(1 DNS lookup; discouraged by RFC 7208)."
        )
    if name == "exists":
        return f"{lead} if {target} has an A record, usually built from macros (1 DNS lookup)."
    if name in ("ip4", "ip6"):
        size = term.cidr4 if name == "ip4" else term.cidr6
        network = f"{term.target}/{size}" if size is not None else f"the address {term.target}"
        return f"{lead} for servers in {network} (no DNS lookup)."
    return f"{lead} for {term.text}."

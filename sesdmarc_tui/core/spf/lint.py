"""Warnings about a single SPF record: legal, but probably not what the owner meant."""

from __future__ import annotations

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.spf import findings as f
from sesdmarc_tui.core.spf.parse import SpfRecord


def _where(domain: str | None) -> str:
    return f"The SPF record of {domain}" if domain else "The SPF record"


def record_warnings(record: SpfRecord, domain: str | None, *, top: bool) -> list[Finding]:
    """Warnings for one record; ``top`` marks the checked domain's own record (not an include)."""
    if not record.is_spf:
        return []
    where = _where(domain)
    warnings: list[Finding] = []
    ptrs = [t.text for t in record.evaluated_mechanisms if t.name == "ptr" and t.valid]
    if ptrs:
        warnings.append(
            Finding(
                f.PTR_MECHANISM_DISCOURAGED,
                f"{where} uses {', '.join(ptrs)}: RFC 7208 says ptr SHOULD NOT be used (slow, "
                "unreliable, skipped by some receivers). Replace it with ip4:, ip6: or a: terms.",
            )
        )
    all_term = record.all_term
    after = record.terms_after_all
    if all_term is not None and after:
        shown = ", ".join(t.text for t in after[:5]) + (" ..." if len(after) > 5 else "")
        warnings.append(
            Finding(
                f.TERMS_AFTER_ALL_IGNORED,
                f"{where} has terms after {all_term.text!r} ({shown}) that receivers never "
                f"evaluate. Move them before {all_term.text!r}.",
            )
        )
    redirect = record.redirect
    if all_term is not None and redirect is not None:
        warnings.append(
            Finding(
                f.REDIRECT_IGNORED_WITH_ALL,
                f"{where} has both {all_term.text!r} and {redirect.text!r}: receivers ignore "
                "redirect= when an all term is present. Remove one of the two.",
            )
        )
    octets = len(record.text.encode("utf-8", "surrogatepass"))
    if octets > f.UDP_RECORD_OCTETS:
        warnings.append(
            Finding(
                f.RECORD_TOO_LONG_FOR_UDP,
                f"{where} is {octets} octets long; over about {f.UDP_RECORD_OCTETS} octets the "
                "answer may not fit a 512-octet UDP response and some receivers fail. Shorten "
                "it, for example by moving ip4:/ip6: ranges into an include of your own.",
            )
        )
    if all_term is not None and all_term.valid and all_term.effective_qualifier == "+":
        warnings.append(
            Finding(
                f.PLUS_ALL_ALLOWS_EVERYONE,
                f"{where} contains {all_term.text!r}, which makes every server on the internet "
                "pass SPF" + (f" for {domain}" if domain else "") + ". Use ~all or -all.",
            )
        )
    if top and all_term is None and record.redirect is None:
        warnings.append(
            Finding(
                f.NO_ALL_MECHANISM,
                f"{where} has no all term and no redirect=, so unlisted servers get neutral "
                "(neither pass nor fail). End the record with ~all (or -all once every sender "
                "is listed).",
            )
        )
    return warnings

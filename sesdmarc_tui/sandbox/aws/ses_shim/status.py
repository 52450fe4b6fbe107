"""DKIM and MAIL FROM status, read from the sandbox's authoritative DNS as SES reads public DNS.

The expected records come from ``core.records`` (the same builders the wizard publishes with)
and the comparison from ``core.records.record_matches``, so the sandbox and the product agree
on what "right" means; the answers come from the product's own ``make_lookup`` pointed at the
sandbox's authoritative server. ``ErrorType`` follows SES's ``VerificationInfo`` vocabulary.
"""

from __future__ import annotations

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.records import dkim_records, normalize_value, record_matches
from sesdmarc_tui.core.regions import mail_from_mx_host
from sesdmarc_tui.sandbox.aws.ses_shim.identities import Identity
from sesdmarc_tui.sandbox.aws.ses_shim.verification import Check

# Worst first: the error SES reports when several records fail at once.
_ERROR_RANK = ("DNS_SERVER_ERROR", "HOST_NOT_FOUND", "TYPE_NOT_FOUND", "INVALID_VALUE")


def _error_type(kind: AnswerKind, matched: bool) -> str | None:
    if matched:
        return None
    if kind is AnswerKind.ERROR:
        return "DNS_SERVER_ERROR"
    if kind is AnswerKind.NXDOMAIN:
        return "HOST_NOT_FOUND"
    if kind is AnswerKind.NODATA:
        return "TYPE_NOT_FOUND"
    return "INVALID_VALUE"


def dkim_check(identity: Identity, lookup: Lookup) -> tuple[Check, str | None]:
    """All three ``<token>._domainkey`` CNAMEs must point at ``<token>.<SigningHostedZone>``."""
    if not identity.tokens:
        return Check.MISSING, "TYPE_NOT_FOUND"
    records = dkim_records(identity.domain, identity.tokens, identity.region, identity.signing_zone)
    errors: list[str] = []
    for record in records:
        answer = lookup(record.name, "CNAME")
        matched = answer.kind is AnswerKind.OK and record_matches(record, answer.values).ok
        error = _error_type(answer.kind, matched)
        if error is not None:
            errors.append(error)
    if not errors:
        return Check.OK, None
    return Check.MISSING, min(errors, key=_ERROR_RANK.index)


def mail_from_check(domain: str, region: str, lookup: Lookup) -> tuple[Check, str | None]:
    """Exactly one MX, to ``feedback-smtp.<region>.amazonses.com``; a second MX fails the setup."""
    answer = lookup(domain, "MX")
    if answer.kind is not AnswerKind.OK:
        return Check.MISSING, _error_type(answer.kind, False)
    if len(answer.values) > 1:
        return Check.BROKEN, "INVALID_VALUE"
    host = normalize_value("MX", answer.values[0]).partition(" ")[2]
    if host != mail_from_mx_host(region):
        return Check.MISSING, "INVALID_VALUE"
    return Check.OK, None


def dkim_status(identity: Identity, lookup: Lookup, now: float) -> tuple[str, str | None]:
    """(SES status word, ErrorType or None) after looking at DNS now."""
    if identity.kind == "EMAIL_ADDRESS" or identity.dkim is None:
        return "NOT_STARTED", None
    check, error = dkim_check(identity, lookup)
    status = identity.dkim.observe(check, now)
    return status, (None if status == "SUCCESS" else error)


def mail_from_status(identity: Identity, lookup: Lookup, now: float) -> str | None:
    """The MAIL FROM status word, or None when no custom MAIL FROM is set."""
    if identity.mail_from is None:
        return None
    check, _ = mail_from_check(identity.mail_from.domain, identity.region, lookup)
    return identity.mail_from.verification.observe(check, now)

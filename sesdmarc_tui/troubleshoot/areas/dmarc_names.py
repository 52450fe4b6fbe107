"""DMARC published where receivers do not look, or in a form they discard.

Receivers read only TXT at ``_dmarc.<domain>``, select the strings that start exactly with
``v=DMARC1`` and follow a CNAME there. Everything else is invisible to them: a copy at the
apex, a name with the zone appended twice, a record with leading whitespace or a missing ``;``,
an SPF record pasted into ``_dmarc``, and a TXT next to a CNAME (RFC 1034 s3.6.2 forbids it,
and which one a resolver returns decides the policy).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.dmarc.lint import lint_dmarc
from sesdmarc_tui.core.dmarc.record import parse_dmarc
from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.names import doubled_name, is_subdomain
from sesdmarc_tui.core.spf.parse import is_spf_text
from sesdmarc_tui.dns.query import QueryResult

_LOOKS_DMARC = re.compile(r"v\s*=\s*dmarc", re.IGNORECASE)
_NO_SEMICOLON = re.compile(r"^v\s*=\s*DMARC1\s+[^;\s]", re.IGNORECASE)


def looks_like_dmarc(text: str) -> bool:
    return bool(_LOOKS_DMARC.search(text[:40]))


def discarded_items(domain: str, discarded: Sequence[str]) -> list[CheckItem]:
    """TXT strings at ``_dmarc`` that were meant as DMARC but that receivers discard."""
    where = f"_dmarc.{domain}"
    items: list[CheckItem] = []
    for text in discarded:
        if is_spf_text(text):
            items.append(
                _error(
                    "dmarc_spf_at_dmarc_name",
                    f"An SPF record is published at {where}",
                    "Receivers discard it there: SPF belongs at the domain (or the MAIL FROM "
                    "name), DMARC at _dmarc.",
                    f"Move the SPF record to {domain} and publish a v=DMARC1 record at {where}.",
                    text,
                )
            )
        elif looks_like_dmarc(text):
            items.append(_discarded(where, text))
    return items


def _discarded(where: str, text: str) -> CheckItem:
    message = next((f.message for f in lint_dmarc(text).errors), "")
    if text != text.lstrip():
        return _error(
            "dmarc_leading_whitespace",
            f"The DMARC record at {where} starts with whitespace",
            message,
            "Remove the spaces before v=DMARC1.",
            text,
        )
    if _NO_SEMICOLON.match(text):
        return _error(
            "dmarc_missing_semicolon",
            f"A ';' is missing after v=DMARC1 at {where}",
            message,
            "Separate the tags with ';', as in v=DMARC1; p=none; rua=mailto:...",
            text,
        )
    return _error(
        "dmarc_not_selected",
        f"Receivers discard the DMARC-like record at {where}",
        message,
        "Publish the record starting exactly with v=DMARC1; (upper-case DMARC1).",
        text,
    )


def _error(item_id: str, title: str, detail: str, fix: str, text: str) -> CheckItem:
    return CheckItem(Area.DMARC, item_id, Severity.ERROR, title, detail, fix, (text,))


def apex_copies(domain: str, lookup: Lookup) -> tuple[str, ...]:
    """DMARC records published at the domain itself instead of at ``_dmarc``."""
    return tuple(v for v in lookup(domain, "TXT").values if parse_dmarc(v.strip()).is_dmarc)


def doubled_copies(domain: str, zone: str, lookup: Lookup) -> tuple[str, str]:
    """``(name, record)`` of a DMARC record under the doubled zone name, or ``("", "")``."""
    name = f"_dmarc.{domain}"
    if not is_subdomain(name, zone):
        return "", ""
    doubled = doubled_name(name, zone)
    found = [v for v in lookup(doubled, "TXT").values if looks_like_dmarc(v)]
    return (doubled, found[0]) if found else ("", "")


def misplaced_items(domain: str, zone: str, lookup: Lookup, *, has_record: bool) -> list[CheckItem]:
    """Copies at the apex or under a doubled name: errors when they are all there is."""
    severity = Severity.WARNING if has_record else Severity.ERROR
    where = f"_dmarc.{domain}"
    items: list[CheckItem] = []
    apex = apex_copies(domain, lookup)
    if apex:
        effect = (
            "receivers ignore this copy, and it misleads whoever edits the zone"
            if has_record
            else "receivers never look there, so the domain has no DMARC policy"
        )
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_at_apex",
                severity,
                f"A DMARC record is published at {domain} itself",
                f"DMARC lives at {where} only: {effect}.",
                f"Publish the record at {where} and delete the copy at {domain}."
                if not has_record
                else f"Delete the DMARC copy at {domain}.",
                apex,
            )
        )
    doubled, record = doubled_copies(domain, zone, lookup)
    if doubled:
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_doubled_zone",
                severity,
                f"A DMARC record is published at {doubled}",
                f"The DNS provider appended {zone} to a name that already ended in it; "
                f"receivers only read {where}.",
                f"Rename the record to {where}: type only _dmarc (or end the name with a dot).",
                (doubled, record),
            )
        )
    return items


def server_items(domain: str, answers: Sequence[QueryResult]) -> list[CheckItem]:
    """TXT and CNAME at ``_dmarc`` side by side, or name servers that disagree on the record."""
    where = f"_dmarc.{domain}"
    cnames = [a for a in answers if a.rdtype == "CNAME" and a.ok]
    txts = [a for a in answers if a.rdtype == "TXT" and a.ok and not a.cname_chain]
    items: list[CheckItem] = []
    if cnames and txts:
        targets = sorted({v for a in cnames for v in a.values})
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_txt_and_cname",
                Severity.ERROR,
                f"{where} has both a TXT record and a CNAME",
                f"A CNAME may not share its name with other records (RFC 1034 s3.6.2); "
                f"resolvers return either the TXT or the CNAME to {', '.join(targets)}, so "
                "receivers disagree on the policy.",
                f"Keep one: delete the CNAME at {where}, or delete the TXT record there.",
                tuple(targets) + tuple(v for a in txts for v in a.values),
            )
        )
        return items
    txt_answers = [a for a in answers if a.rdtype == "TXT"]
    # A name server answering "no such record" disagrees with one that has it just as much as one
    # with another text: receivers asking it find no policy.
    definite = [a for a in txt_answers if a.ok or (a.is_missing and a.server.authoritative)]
    texts = {frozenset(a.values) for a in definite}
    if len(texts) > 1:
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_servers_disagree",
                Severity.WARNING,
                f"The name servers return different records at {where}",
                "; ".join(f"{a.server.name}: {' | '.join(a.values) or 'none'}" for a in definite),
                "Wait a few minutes for the provider to sync; if it persists, correct the "
                "record on the server that serves the old one.",
            )
        )
    failed = [a for a in txt_answers if a.kind is AnswerKind.ERROR and a.server.authoritative]
    if failed:
        items.append(
            CheckItem(
                Area.DMARC,
                "dmarc_unchecked",
                Severity.WARNING,
                f"The record at {where} could not be read from every server",
                "; ".join(f"{a.server.name}: {a.error}" for a in failed),
                "Run the check again; if a server keeps failing, ask the DNS provider about "
                "it: receivers that ask it get no policy.",
            )
        )
    return items

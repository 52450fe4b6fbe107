"""Records as the operator copies them: BIND zone lines, CSV, one-line DNS-UI text, Route 53 values.

Zone files and CSV use absolute names with the trailing dot, so a snippet pasted under any
``$ORIGIN`` still means the same names. The DNS-UI line uses the host relative to the zone,
because UIs append the zone themselves; that is how ``x._domainkey.example.com.example.com``
gets published (``reference/email-auth.md`` s7).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sesdmarc_tui.core.names import (
    DomainError,
    absolute,
    has_doubled_zone,
    is_subdomain,
    normalize_domain,
    relative_name,
)
from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.core.txt import (
    RecordError,
    escape_octets,
    join_character_strings,
    parse_character_strings,
    split_txt,
    txt_presentation,
)

ROUTE53_MAX_VALUE_CHARS = 4000  # R53 ResourceRecordTypes: TXT value limit


def _absolute_value(record: DnsRecord, value: str) -> str:
    if record.rtype in ("CNAME", "NS"):
        return absolute(value)
    if record.rtype == "MX":
        pref, _, host = value.partition(" ")
        return f"{pref} {'.' if host == '.' else absolute(host)}"
    return value


def zone_value(record: DnsRecord, value: str) -> str:
    """One value in zone-file form: absolute targets, TXT quoted and split."""
    if record.rtype == "TXT":
        return txt_presentation(value)
    return _absolute_value(record, value)


def _zone(zone: str) -> str:
    try:
        return normalize_domain(zone)
    except DomainError as exc:
        raise RecordError(f"Zone: {exc.message}", exc.hint) from None


def _check_in_zone(record: DnsRecord, zone: str) -> None:
    if has_doubled_zone(record.name, zone):
        raise RecordError(
            f"{record.name} contains the zone {zone} twice.",
            "Fix the record name before publishing it.",
        )
    if not is_subdomain(record.name, zone):
        raise RecordError(f"{record.name} is not inside the zone {zone}.")


def to_zone_lines(records: Iterable[DnsRecord], origin: str | None = None) -> list[str]:
    """A BIND zone-file snippet, one line per value; with ``origin`` a ``$ORIGIN`` line first.

    Names stay absolute even under ``$ORIGIN``; the origin only checks that every record lies
    inside it and is not the doubled-zone mistake.
    """
    recs = list(records)
    lines: list[str] = []
    if origin is not None:
        zone = _zone(origin)
        for rec in recs:
            _check_in_zone(rec, zone)
        lines.append(f"$ORIGIN {absolute(zone)}")
    width = max((len(absolute(r.name)) for r in recs), default=0)
    ttl_width = max((len(str(r.ttl)) for r in recs), default=0)
    for rec in recs:
        for value in rec.values:
            lines.append(
                f"{absolute(rec.name):<{width}} {rec.ttl:<{ttl_width}} IN {rec.rtype:<5} "
                f"{zone_value(rec, value)}"
            )
    return lines


def to_csv(records: Iterable[DnsRecord]) -> str:
    """``name,type,ttl,value`` rows (RFC 4180, CRLF), one per value; TXT as its joined text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "type", "ttl", "value"])
    for rec in records:
        for value in rec.values:
            writer.writerow([absolute(rec.name), rec.rtype, rec.ttl, _absolute_value(rec, value)])
    return out.getvalue()


def copy_text(record: DnsRecord, zone: str) -> str:
    """Host, type, value and TTL, tab-separated, as typed into a provider's DNS form.

    The host is relative to ``zone`` (``@`` at the apex) and targets carry no trailing dot, as
    the SES console shows them. A record with several values gives one line per value.
    """
    z = _zone(zone)
    _check_in_zone(record, z)
    host = relative_name(record.name, z)
    return "\n".join(f"{host}\t{record.rtype}\t{v}\t{record.ttl}" for v in record.values)


def _escape_octal(data: bytes) -> str:
    return escape_octets(data, octal=True)


def route53_txt_value(value: str) -> str:
    """A Route 53 API/console TXT ``Value``: quoted strings of at most 255 octets.

    Route 53 wants ``\\"`` for quotes and three-digit *octal* escapes for octets outside printable
    ASCII (R53 ResourceRecordTypes#TXTFormat), unlike the decimal ``\\DDD`` of zone files. Text is
    encoded as UTF-8 first, so ``ä`` becomes ``\\303\\244``. Spaces stay literal inside the quotes,
    as in the Route 53 examples.
    """
    rendered = " ".join(f'"{_escape_octal(c.encode("utf-8"))}"' for c in split_txt(value))
    if len(rendered) > ROUTE53_MAX_VALUE_CHARS:
        raise RecordError(
            f"The TXT value needs {len(rendered)} characters in Route 53 form.",
            f"Route 53 accepts at most {ROUTE53_MAX_VALUE_CHARS} per value.",
        )
    return rendered


def parse_route53_txt_value(value: str) -> str:
    """The joined text of a Route 53 TXT ``Value`` (octal escapes)."""
    return join_character_strings(parse_character_strings(value, base=8), value)


def route53_values(record: DnsRecord) -> tuple[str, ...]:
    """``ResourceRecords`` values for ``change_resource_record_sets``.

    Route 53 takes every name as fully qualified, so targets go without the trailing dot.
    """
    if record.rtype == "TXT":
        return tuple(route53_txt_value(v) for v in record.values)
    return record.values

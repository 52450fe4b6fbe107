"""Operator mistakes that DNS answers reveal (email-auth reference, section 7).

Each detector reads answers the board already has, so recognising a mistake costs no extra
round trip: the doubled-zone name and the A/TXT probes at a CNAME name are part of the burst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.core.spf.parse import is_spf_text
from sesdmarc_tui.dns.classify import Cell, CellStatus, is_dmarc_text
from sesdmarc_tui.dns.query import QueryResult


class HintKind(StrEnum):
    DOUBLED_ZONE = "doubled_zone"
    PROXIED = "proxied"
    TXT_INSTEAD_OF_CNAME = "txt_instead_of_cname"
    MULTIPLE_SPF = "multiple_spf"
    MULTIPLE_DMARC = "multiple_dmarc"
    EXTRA_MX = "extra_mx"
    NOT_AT_DELEGATED_SERVERS = "not_at_delegated_servers"


@dataclass(frozen=True)
class Hint:
    kind: HintKind
    name: str  # where the mistake shows, which is not always the expected name
    message: str
    found: tuple[str, ...] = ()
    servers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "name": self.name,
            "message": self.message,
            "found": list(self.found),
            "servers": list(self.servers),
        }


def _hint(kind: HintKind, result: QueryResult, message: str, found: Iterable[str] = ()) -> Hint:
    return Hint(kind, _bare(result.name), message, tuple(found), (result.server.name,))


def _bare(name: str) -> str:
    """Hints name places the way ``DnsRecord`` does: no trailing dot."""
    return name.rstrip(".")


def answer_hints(expected: DnsRecord, result: QueryResult) -> list[Hint]:
    """Mistakes visible in the answer for the expected name and type itself."""
    if not result.ok:
        return []
    where = _bare(result.name)
    hints: list[Hint] = []
    if expected.rtype == "TXT":
        spf = [v for v in result.values if is_spf_text(v)]
        if len(spf) > 1:
            message = (
                f"{len(spf)} SPF records at {where}: receivers return permerror for all "
                "mail. Merge them into one record (add the new include: to the existing one)."
            )
            hints.append(_hint(HintKind.MULTIPLE_SPF, result, message, spf))
        dmarc = [v for v in result.values if is_dmarc_text(v)]
        if len(dmarc) > 1:
            message = (
                f"{len(dmarc)} DMARC records at {where}: receivers ignore DMARC for the "
                "domain entirely. Keep one."
            )
            hints.append(_hint(HintKind.MULTIPLE_DMARC, result, message, dmarc))
    if expected.rtype == "MX" and len(result.values) > 1:
        message = (
            f"{len(result.values)} MX records at the MAIL FROM name {where}: SES needs "
            f"exactly one ({', '.join(expected.values)}), or the custom MAIL FROM setup fails. "
            "Delete the others; this name must not receive mail."
        )
        hints.append(_hint(HintKind.EXTRA_MX, result, message, result.values))
    return hints


def doubled_zone_hint(expected: DnsRecord, zone: str, result: QueryResult) -> Hint | None:
    """``result`` is the answer for ``<expected name>.<zone>``: any name there is the mistake."""
    if not result.name_exists:
        return None
    zone = zone.rstrip(".").lower()
    message = (
        f"{_bare(result.name)} exists: the DNS provider appended {zone} to a name that already "
        f"ended in it. Rename the record to {expected.name} (type only the part before "
        f".{zone}, or end the name with a dot)."
    )
    return _hint(HintKind.DOUBLED_ZONE, result, message, result.values)


def cname_probe_hints(
    expected: DnsRecord, a_result: QueryResult | None, txt_result: QueryResult | None
) -> list[Hint]:
    """A and TXT answers at a name that should be a CNAME, given directly rather than through it.

    An answer reached through a CNAME carries the chain, so only chain-less values count.
    """
    hints: list[Hint] = []
    if a_result is not None and a_result.ok and not a_result.cname_chain:
        message = (
            f"{expected.name} answers A records ({', '.join(a_result.values)}) instead of the "
            f"CNAME to {expected.values[0]}: the record is proxied (Cloudflare orange cloud?). "
            "Switch it to DNS only."
        )
        hints.append(_hint(HintKind.PROXIED, a_result, message, a_result.values))
    if txt_result is not None and txt_result.ok and not txt_result.cname_chain:
        message = (
            f"{expected.name} holds a TXT record where a CNAME belongs. Delete the TXT and "
            f"create a CNAME record pointing to {expected.values[0]}."
        )
        hints.append(_hint(HintKind.TXT_INSTEAD_OF_CNAME, txt_result, message, txt_result.values))
    return hints


def probe_cell(cell: Cell, hints: Iterable[Hint]) -> Cell:
    """Show what stands in place of a missing CNAME, so the cell reads "wrong", not "missing"."""
    if cell.status is not CellStatus.MISSING:
        return cell
    shown = {HintKind.PROXIED: "A", HintKind.TXT_INSTEAD_OF_CNAME: "TXT"}
    instead = [h for h in hints if h.kind in shown]
    if not instead:
        return cell
    found = tuple(f"{shown[h.kind]} {v}" for h in instead for v in h.found)
    detail = " ".join(h.message for h in instead)
    return replace(cell, status=CellStatus.WRONG_VALUE, found=found, detail=detail, missing=None)


def not_published_hint(expected: DnsRecord, servers: Iterable[str]) -> Hint:
    names = tuple(servers)
    message = (
        f"{expected.name} is missing on every name server the zone is delegated to. If it was "
        "added more than a few minutes ago, check that it went to the DNS provider these name "
        "servers belong to (not the registrar's panel or another hosted zone)."
    )
    return Hint(HintKind.NOT_AT_DELEGATED_SERVERS, expected.name, message, (), names)


def merge_hints(hints: Iterable[Hint]) -> tuple[Hint, ...]:
    """One hint per kind and name, listing every server that showed it."""
    merged: dict[tuple[HintKind, str], Hint] = {}
    for hint in hints:
        key = (hint.kind, hint.name)
        seen = merged.get(key)
        if seen is None:
            merged[key] = hint
            continue
        servers = tuple(dict.fromkeys((*seen.servers, *hint.servers)))
        found = tuple(dict.fromkeys((*seen.found, *hint.found)))
        merged[key] = replace(seen, servers=servers, found=found)
    return tuple(merged.values())

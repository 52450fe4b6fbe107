"""How desired TXT values combine with the TXT values already at a name.

Every provider writes a whole TXT set at once (Route 53 UPSERT and RFC 2136 replace both swap
the full RRset), so the set to write is computed here from what exists:

- values of no known kind stay (``google-site-verification=...``, ``_amazonses`` tokens...);
- SPF (``v=spf1``) is merged through ``core.spf.merge_spf``, never published twice;
- another versioned kind (``v=DMARC1``, ``v=DKIM1``, ``v=STSv1``...) replaces the values of
  that kind, because two records of one kind at a name void both (RFC 9989 s4.10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.spf import is_spf_text, merge_spf, parse_spf
from sesdmarc_tui.core.spf.findings import LOOKUP_COUNT_IS_LOWER_BOUND

_VERSION = re.compile(r"^\s*v\s*=\s*([A-Za-z0-9]+)\s*(?:;|$)")


@dataclass(frozen=True)
class TxtMerge:
    """The TXT set to publish; ``error`` (with ``remedy``) when no safe set exists."""

    values: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    remedy: str = ""


def txt_kind(value: str) -> str | None:
    """``"spf1"``, ``"DMARC1"``, ``"DKIM1"``... or None for a value of no versioned kind."""
    if is_spf_text(value):
        return "spf1"
    match = _VERSION.match(value)
    if match is None:
        return None
    # DMARC and DKIM versions are case-sensitive tokens; keying on the exact text would let
    # "v=dmarc1" survive next to "v=DMARC1", and receivers would see two policies.
    return match.group(1).upper()


def _desired_kinds(desired: Sequence[str]) -> str | None:
    seen: dict[str, str] = {}
    for value in desired:
        kind = txt_kind(value)
        if kind is None:
            continue
        if kind in seen:
            return f"two desired {kind} values at one name: {seen[kind][:40]!r} and {value[:40]!r}"
        seen[kind] = value
    return None


def _spf_terms(value: str) -> list[str]:
    record = parse_spf(value)
    return [t.text for t in record.terms if t.kind == "mechanism" and t.name != "all"]


def _merge_spf_value(existing: Sequence[str], desired: str) -> tuple[str | None, list[str], str]:
    """(merged SPF or None, notes, error). Each desired mechanism goes into the existing record."""
    values = list(existing)
    notes: list[str] = []
    current: str | None = None
    for term in _spf_terms(desired):
        result = merge_spf(values, term)
        if result.record is None:
            return None, notes, result.message
        # Without DNS the count is a lower bound by construction; the CLI's wording of that
        # note ("use --resolve") means nothing in a plan.
        notes.extend(n.message for n in result.notes if n.kind != LOOKUP_COUNT_IS_LOWER_BOUND)
        current = result.record
        values = [v for v in values if not is_spf_text(v)] + [current]
    return current, list(dict.fromkeys(notes)), ""


def merge_txt(existing: Sequence[str], desired: Sequence[str]) -> TxtMerge:
    """Combine ``desired`` TXT values (joined text) with the ``existing`` ones at one name."""
    problem = _desired_kinds(desired)
    if problem is not None:
        return TxtMerge(error=problem, remedy="Publish one record of each kind per name.")
    result = list(existing)
    added: list[str] = []
    removed: list[str] = []
    notes: list[str] = []
    for value in desired:
        if value in result:
            continue
        kind = txt_kind(value)
        same_kind = [v for v in result if kind is not None and txt_kind(v) == kind]
        if kind == "spf1" and same_kind:
            merged, spf_notes, error = _merge_spf_value(result, value)
            if merged is None:
                return TxtMerge(
                    error=f"cannot merge the SPF record: {error}",
                    remedy="Fix the existing SPF record at this name, then plan again.",
                )
            notes.extend(spf_notes)
            if merged in result:
                continue
            new_value = merged
        else:
            new_value = value
        # The replacement takes the place of the first value of its kind, so a diff of the
        # set reads as "this value became that one".
        position = result.index(same_kind[0]) if same_kind else len(result)
        result = [v for v in result if v not in same_kind]
        result.insert(min(position, len(result)), new_value)
        removed.extend(same_kind)
        added.append(new_value)
    kept = tuple(v for v in existing if v in result)
    return TxtMerge(tuple(result), tuple(added), tuple(removed), kept, tuple(notes))

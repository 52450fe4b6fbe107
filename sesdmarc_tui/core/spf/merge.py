"""Merge one term (by default ``include:amazonses.com``) into the SPF record at a name.

The algorithm is that of the reference (email-auth.md 3.4): refuse when the name already has
two SPF records (it is permerror and the owner must choose), do nothing when the term is
present, insert before the first ``all`` keeping the owner's qualifier, else before
``redirect=``, else append; then refuse if the result needs more than 10 DNS lookups. The
owner's text is kept as written: the term is inserted, nothing else is rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.spf import findings as f
from sesdmarc_tui.core.spf.count import count_lookups
from sesdmarc_tui.core.spf.parse import Term, is_spf_text, parse_spf, parse_term, select_spf_records

DEFAULT_TERM = "include:amazonses.com"
TXT_STRING_OCTETS = 255


@dataclass(frozen=True)
class MergeResult:
    record: str | None
    changed: bool
    error_kind: str | None
    dns_lookups: int
    recursive: bool = False
    message: str = ""
    notes: tuple[Finding, ...] = ()
    existing: tuple[str, ...] = ()

    @property
    def strings(self) -> list[str]:
        """The record as TXT character-strings ready to publish (each at most 255 octets)."""
        return split_txt_strings(self.record) if self.record is not None else []

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "changed": self.changed,
            "error_kind": self.error_kind,
            "dns_lookups": self.dns_lookups,
        }


def check_merge_term(text: str) -> str | None:
    """Why ``text`` cannot be merged as one SPF term, or None when it can.

    Accepted: one mechanism other than ``all`` (any qualifier), e.g. ``include:amazonses.com``
    or ``ip4:192.0.2.0/24``. Refused: ``all`` (the owner's policy is kept), modifiers
    (``redirect=``/``exp=`` may appear once per record, and unknown ones do nothing), the
    version, and anything that is not exactly one valid term.
    """
    if not text.strip():
        return "the term is empty; give one SPF term such as include:amazonses.com"
    if is_spf_text(text.strip()):
        return "give only the term to add (such as include:amazonses.com), not a whole record"
    if any(c in text.strip() for c in " \t\r\n"):
        joined = "".join(text.split())
        return f"{text.strip()!r} is more than one term; no spaces inside a term (write {joined})"
    term = parse_term(text.strip())
    if term.error is not None:
        return f"{text.strip()!r} is not a valid SPF term: {term.error}"
    if term.kind == "modifier":
        return (
            f"{term.text!r} is a modifier; only mechanisms can be merged (a record holds at most "
            "one redirect= and one exp=, and the owner's ones are kept)"
        )
    if term.name == "all":
        return "the all term is the record owner's policy and is kept as it is; add a mechanism"
    return None


def split_txt_strings(record: str, limit: int = TXT_STRING_OCTETS) -> list[str]:
    """Split a record into TXT character-strings, each ending just after a space when possible.

    Receivers join the strings without adding spaces (RFC 7208 3.3), so every split point is
    correct; splitting after a space keeps each string readable and safe with tools that do add
    spaces when they join.
    """
    strings: list[str] = []
    rest = record
    while len(rest.encode("utf-8", "surrogatepass")) > limit:
        window = rest[:limit]
        cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = limit
        strings.append(rest[:cut])
        rest = rest[cut:]
    strings.append(rest)
    return strings


def _present(record_terms: tuple[Term, ...], new: Term) -> Term | None:
    return next((t for t in record_terms if t.valid and t.same_as(new)), None)


def _insert(text: str, new: str, before: Term | None) -> str:
    if before is None:
        return f"{text.rstrip(' ')} {new}"
    return f"{text[: before.start]}{new} {text[before.start :]}"


def merge_spf(
    existing_txt_values: Iterable[str],
    term: str = DEFAULT_TERM,
    lookup: Lookup | None = None,
    *,
    domain: str | None = None,
) -> MergeResult:
    """Merge ``term`` into the SPF record among ``existing_txt_values`` (non-SPF TXT ignored).

    Without ``lookup`` the 10-lookup check counts the merged record's own terms (a lower bound);
    with it, include and redirect targets are followed through DNS.
    """
    values = list(existing_txt_values)
    notes = [
        Finding(
            f.NOT_SELECTED_AS_SPF,
            f"Ignored {v[:60]!r}: it looks like SPF but receivers do not select it (it must "
            "start with exactly v=spf1 followed by a space).",
        )
        for v in values
        if not is_spf_text(v) and v.strip().lower().startswith("v=spf")
    ]
    spf = tuple(select_spf_records(values))
    problem = check_merge_term(term)
    if problem is not None:
        return MergeResult(None, False, f.SYNTAX, 0, message=problem, existing=spf)
    new = parse_term(term.strip())
    if len(spf) > 1:
        return MergeResult(
            None,
            False,
            f.MULTIPLE_SPF_RECORDS,
            0,
            message=f"The name has {len(spf)} SPF records, which is already a permerror for "
            "every message. Merge them into one by hand (the all qualifier is the owner's "
            "choice), then add the term.",
            notes=tuple(notes),
            existing=spf,
        )
    if not spf:
        merged, changed = f"v=spf1 {new.text} ~all", True
        message = "No SPF record exists at the name: publish this new record."
    else:
        record = parse_spf(spf[0])
        if not record.valid:
            return MergeResult(
                None,
                False,
                f.SYNTAX,
                0,
                message="The existing SPF record has syntax errors, so receivers return "
                f"permerror already: {'; '.join(record.errors[:3])}. Fix it first.",
                notes=tuple(notes),
                existing=spf,
            )
        found = _present(record.terms, new)
        if found is not None:
            merged, changed = spf[0], False
            message = f"The record already contains {found.text}; nothing to change."
            if found.effective_qualifier != new.effective_qualifier:
                notes.append(
                    Finding(
                        f.TERM_PRESENT_WITH_OTHER_QUALIFIER,
                        f"The record has {found.text!r}, which gives {found.result} instead of "
                        f"{new.result} for these senders. Change it by hand if that is not "
                        "intended.",
                    )
                )
        else:
            anchor = record.all_term or record.redirect
            merged, changed = _insert(spf[0], new.text, anchor), True
            where = f"before {anchor.text}" if anchor is not None else "at the end"
            message = f"Added {new.text} {where}."
    count = count_lookups(merged, lookup, domain=domain)
    notes.extend(
        w for w in count.warnings if w.kind in (f.DNS_ERROR_WARNING, f.RECORD_TOO_LONG_FOR_UDP)
    )
    # Problems of the existing record or of the term's target (e.g. an include of a name with
    # no SPF record) do not block the merge but must be seen before publishing.
    notes.extend(e for e in count.errors if e.kind != f.TOO_MANY_DNS_LOOKUPS or not changed)
    if lookup is None:
        notes.append(
            Finding(
                f.LOOKUP_COUNT_IS_LOWER_BOUND,
                f"{count.dns_lookups} DNS lookups counted in the record itself; includes may "
                "add more. Use --resolve to count through DNS.",
            )
        )
    if changed and count.dns_lookups > f.DNS_LOOKUP_LIMIT:
        return MergeResult(
            None,
            False,
            f.TOO_MANY_DNS_LOOKUPS,
            count.dns_lookups,
            recursive=count.recursive,
            message=f"With {new.text} the record needs {count.dns_lookups} DNS lookups, over "
            f"the limit of {f.DNS_LOOKUP_LIMIT}. Use a dedicated MAIL FROM subdomain (such as "
            "mail.example.com) whose record is just v=spf1 include:amazonses.com ~all.",
            notes=tuple(notes),
            existing=spf,
        )
    return MergeResult(
        merged,
        changed,
        None,
        count.dns_lookups,
        recursive=count.recursive,
        message=message,
        notes=f.dedupe(notes),
        existing=spf,
    )

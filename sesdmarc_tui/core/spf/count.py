"""Static DNS-lookup and void-lookup counting (RFC 7208 4.6.4), recursive through includes.

Receivers evaluate lazily and stop at the first match, so a record can work for one sender and
give permerror for another. A checker must count every term a receiver could reach: here each
include and redirect target is fetched and walked, whatever the sending IP.

What counts: include, a, mx, ptr, exists, and redirect when no ``all`` makes it ignored. Terms
after ``all`` are never reached and do not count. Void lookups (NXDOMAIN or an empty answer)
are counted for include/redirect targets and for the names of literal a, mx and exists terms;
an ``a`` name is void when it has neither A nor AAAA (a lower bound: an IPv4 client also gets a
void lookup for an IPv6-only name). MX host addresses and PTR names depend on the client and are
not resolved. A DNS error is reported as a warning and never taken for a void lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.lookup import Answer, AnswerKind, Lookup
from sesdmarc_tui.core.spf import findings as f
from sesdmarc_tui.core.spf.findings import dedupe, first_error_kind
from sesdmarc_tui.core.spf.lint import record_warnings
from sesdmarc_tui.core.spf.macro import is_queryable_name
from sesdmarc_tui.core.spf.parse import SpfRecord, Term, is_spf_text, parse_spf, select_spf_records

# Beyond these a receiver has long given permerror; stop walking so hostile DNS cannot make
# the checker query forever (pyspf stops at 4 x 10 lookups and 20 levels, too).
FOLLOW_LOOKUP_CAP = 4 * f.DNS_LOOKUP_LIMIT
MAX_DEPTH = 20


@dataclass
class LookupNode:
    """One record in the include tree: where it came from and what it costs."""

    domain: str | None
    via: str
    record: str | None = None
    lookups: int = 0
    children: list[LookupNode] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "via": self.via,
            "record": self.record,
            "lookups": self.lookups,
            "error": self.error,
            "children": [c.to_json() for c in self.children],
        }


@dataclass(frozen=True)
class LookupCount:
    dns_lookups: int
    void_lookups: int
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    tree: LookupNode
    recursive: bool
    truncated: bool = False
    records: tuple[str, ...] = ()
    record: SpfRecord | None = None

    @property
    def error_kind(self) -> str | None:
        return first_error_kind(self.errors)


def _name(target: str) -> str:
    return target.rstrip(".").lower()


class _Counter:
    def __init__(self, lookup: Lookup | None) -> None:
        self.lookup = lookup
        self.cache: dict[tuple[str, str], Answer] = {}
        self.lookups = 0
        self.voids = 0
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.truncated = False

    def query(self, name: str, rdtype: str) -> Answer:
        assert self.lookup is not None
        key = (name, rdtype)
        if key not in self.cache:
            try:
                self.cache[key] = self.lookup(name + ".", rdtype)
            except Exception as exc:  # a Lookup must not raise; if one does, it is a DNS error
                self.cache[key] = Answer(name, rdtype, AnswerKind.ERROR, error=str(exc))
        return self.cache[key]

    def dns_failed(self, answer: Answer, why: str) -> None:
        self.warnings.append(
            Finding(
                f.DNS_ERROR_WARNING,
                f"The {answer.rdtype} lookup of {answer.name.rstrip('.')} ({why}) failed: "
                f"{answer.error or 'no answer'}. The counts may be incomplete; check again later.",
            )
        )

    def walk(
        self,
        record: SpfRecord,
        domain: str | None,
        node: LookupNode,
        path: tuple[str, ...],
        *,
        top: bool = False,
    ) -> None:
        self.warnings.extend(record_warnings(record, domain, top=top))
        for term in record.evaluated_mechanisms:
            if not term.valid or not term.causes_lookup:
                continue
            self.count_and_resolve(term, domain, node, path)
        redirect = record.redirect
        if redirect is not None and redirect.valid and record.redirect_used:
            self.count_and_resolve(redirect, domain, node, path)

    def count_and_resolve(
        self, term: Term, domain: str | None, node: LookupNode, path: tuple[str, ...]
    ) -> None:
        self.lookups += 1
        node.lookups += 1
        if self.lookup is None:
            return
        if self.lookups > FOLLOW_LOOKUP_CAP:
            # The verdict is already permerror; a hostile record must not cost thousands of
            # queries. Counting goes on, resolving (and void counting) stops.
            self.truncated = True
            return
        self.resolve(term, domain, node, path)

    def resolve(
        self, term: Term, domain: str | None, node: LookupNode, path: tuple[str, ...]
    ) -> None:
        target = term.target if term.target else domain
        if target is None or term.name == "ptr":
            return
        if term.has_macro:
            if term.name in ("include", "redirect"):
                self.warnings.append(
                    Finding(
                        f.MACRO_TARGET_NOT_FOLLOWED,
                        f"{term.text!r} depends on each message (macros), so the lookups inside "
                        "it are not counted. The real count may be higher.",
                    )
                )
            return
        name = _name(target)
        if term.name in ("include", "redirect"):
            self.follow(name, term, node, path)
        elif term.name == "a":
            self.address(name, term)
        elif term.name == "mx":
            self.mx(name, term)
        elif term.name == "exists":
            answer = self.checked(name, "A", term)
            if answer is not None and answer.is_void:
                self.voids += 1

    def checked(self, name: str, rdtype: str, term: Term) -> Answer | None:
        """The answer, or None after reporting a DNS error (never a void lookup)."""
        if not is_queryable_name(name):
            return Answer(name, rdtype, AnswerKind.NXDOMAIN)
        answer = self.query(name, rdtype)
        if answer.kind is AnswerKind.ERROR:
            self.dns_failed(answer, f"for {term.text}")
            return None
        return answer

    def address(self, name: str, term: Term) -> None:
        answer = self.checked(name, "A", term)
        if answer is None:
            return
        if answer.kind is AnswerKind.NODATA:
            answer6 = self.checked(name, "AAAA", term)
            if answer6 is None:
                return
            answer = answer6
        if answer.is_void:
            self.voids += 1

    def mx(self, name: str, term: Term) -> None:
        answer = self.checked(name, "MX", term)
        if answer is None:
            return
        if answer.is_void:
            self.voids += 1
        elif len(answer.values) > f.MX_NAME_LIMIT:
            self.warnings.append(
                Finding(
                    f.MX_TOO_MANY_NAMES,
                    f"{term.text!r}: {name} has {len(answer.values)} MX records; receivers "
                    f"look at no more than {f.MX_NAME_LIMIT} and return permerror when this "
                    "term is evaluated. List the servers with ip4:/ip6: instead.",
                )
            )

    def follow(self, name: str, term: Term, node: LookupNode, path: tuple[str, ...]) -> None:
        via = term.name
        child = LookupNode(name, term.text)
        node.children.append(child)
        if name in path:
            loop = " -> ".join((*path[path.index(name) :], name))
            child.error = f"loop: {loop}"
            self.errors.append(
                Finding(
                    f.TOO_MANY_DNS_LOOKUPS,
                    f"{term.text!r} loops back ({loop}); receivers follow it until they pass "
                    f"{f.DNS_LOOKUP_LIMIT} lookups and return permerror. Remove the loop.",
                )
            )
            return
        if len(path) >= MAX_DEPTH:
            self.truncated = True
            child.error = "not followed: the limit is already far exceeded"
            return
        answer = self.checked(name, "TXT", term)
        if answer is None:
            child.error = "DNS lookup failed"
            return
        if answer.is_void:
            self.voids += 1
        records = select_spf_records(answer.values) if answer.kind is AnswerKind.OK else []
        if not records:
            reason = "does not exist" if answer.kind is AnswerKind.NXDOMAIN else "has no SPF record"
            child.error = reason
            self.errors.append(
                Finding(
                    f.INCLUDE_TARGET_HAS_NO_SPF,
                    f"{term.text!r}: {name} {reason}; receivers return permerror when they "
                    f"reach this {via}. Fix the name or remove the term.",
                )
            )
            return
        if len(records) > 1:
            child.error = f"{len(records)} SPF records"
            self.errors.append(
                Finding(
                    f.MULTIPLE_SPF_RECORDS,
                    f"{term.text!r}: {name} publishes {len(records)} SPF records, so receivers "
                    f"return permerror when they reach this {via}. Its owner must merge them.",
                )
            )
            return
        record = parse_spf(records[0])
        child.record = records[0]
        if not record.valid:
            child.error = "syntax error"
            self.errors.append(
                Finding(
                    f.SYNTAX,
                    f"The SPF record of {name} (reached by {term.text!r}) has syntax errors: "
                    f"{'; '.join(record.errors[:3])}. Receivers return permerror.",
                )
            )
        self.walk(record, name, child, (*path, name))

    def top_record(self, domain: str) -> tuple[tuple[str, ...], SpfRecord | None, LookupNode]:
        node = LookupNode(domain, "domain")
        answer = self.query(domain, "TXT")
        if answer.kind is AnswerKind.ERROR:
            node.error = "DNS lookup failed"
            self.errors.append(
                Finding(
                    f.DNS_ERROR,
                    f"The TXT lookup of {domain} failed: {answer.error or 'no answer'}. "
                    "Nothing could be checked; check the name servers and try again.",
                )
            )
            return (), None, node
        records = tuple(select_spf_records(answer.values))
        if not records:
            node.error = "no SPF record"
            self.errors.append(
                Finding(
                    f.NO_SPF_RECORD,
                    f"{domain} has no SPF record"
                    + (" (the name does not exist)" if answer.kind is AnswerKind.NXDOMAIN else "")
                    + ", so receivers return none. Publish one TXT record starting with v=spf1.",
                )
            )
            return records, None, node
        if len(records) > 1:
            node.error = f"{len(records)} SPF records"
            self.errors.append(
                Finding(
                    f.MULTIPLE_SPF_RECORDS,
                    f"{domain} has {len(records)} SPF records; receivers return permerror for "
                    "every message. Merge them into one record and delete the others.",
                )
            )
            return records, None, node
        node.record = records[0]
        return records, parse_spf(records[0]), node

    def finish(self) -> tuple[list[Finding], tuple[Finding, ...]]:
        errors = list(self.errors)
        if self.lookups > f.DNS_LOOKUP_LIMIT:
            errors.append(
                Finding(
                    f.TOO_MANY_DNS_LOOKUPS,
                    f"Evaluating this record needs {self.lookups}"
                    + (" or more" if self.truncated else "")
                    + f" DNS lookups; receivers stop at {f.DNS_LOOKUP_LIMIT} and return "
                    "permerror. Remove includes you no longer use, replace a/mx with ip4:/ip6:, "
                    "or move some senders to a dedicated subdomain.",
                )
            )
        if self.voids > f.VOID_LOOKUP_LIMIT:
            errors.append(
                Finding(
                    f.TOO_MANY_VOID_LOOKUPS,
                    f"{self.voids} lookups return no answer (NXDOMAIN or empty); receivers "
                    f"allow {f.VOID_LOOKUP_LIMIT} and then return permerror. Remove terms that "
                    "name hosts or domains that no longer exist.",
                )
            )
        return errors, dedupe(self.warnings)


def count_lookups(
    domain_or_record: str, lookup: Lookup | None = None, *, domain: str | None = None
) -> LookupCount:
    """Count the DNS and void lookups receivers would need for a domain or a record text.

    A text starting with ``v=spf1`` is a record (``domain`` then names its owner, used for a
    and mx without a target); anything else is a domain whose TXT records are fetched. Without
    ``lookup`` the count is static: every lookup-causing term counts once and nothing is
    followed, which is a lower bound.
    """
    counter = _Counter(lookup)
    record: SpfRecord | None
    if is_spf_text(domain_or_record):
        records: tuple[str, ...] = (domain_or_record,)
        record = parse_spf(domain_or_record)
        owner = _name(domain) if domain else None
        tree = LookupNode(owner, "record", domain_or_record)
    else:
        if lookup is None:
            raise ValueError("counting the lookups of a domain needs a DNS lookup")
        owner = _name(domain_or_record)
        records, record, tree = counter.top_record(owner)
    if record is not None:
        if not record.valid:
            counter.errors.append(
                Finding(
                    f.SYNTAX,
                    "The SPF record has syntax errors, so receivers return permerror for every "
                    f"message: {'; '.join(record.errors[:5])}.",
                )
            )
        counter.walk(record, owner, tree, (owner,) if owner else (), top=True)
    errors, warnings = counter.finish()
    return LookupCount(
        dns_lookups=counter.lookups,
        void_lookups=counter.voids,
        errors=dedupe(errors),
        warnings=warnings,
        tree=tree,
        recursive=lookup is not None,
        truncated=counter.truncated,
        records=records,
        record=record,
    )

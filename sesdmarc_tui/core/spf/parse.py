"""SPF record selection and parsing (RFC 7208 sections 4.5, 4.6 and 12).

``parse_spf`` never raises: every problem becomes an entry in ``SpfRecord.errors``, because a
syntax error anywhere in a record makes receivers return permerror for every message, and the
operator needs to see all of them at once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from sesdmarc_tui.core.spf.macro import (
    MacroSyntaxError,
    check_domain_spec,
    describe_char,
    has_macro,
    tokenize_macro_string,
)

QUALIFIER_RESULTS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
LOOKUP_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})
VERSION = "v=spf1"

_VERSION_RE = re.compile(r"^v=spf1(?: |$)", re.IGNORECASE)
_MODIFIER_RE = re.compile(r"^([A-Za-z][A-Za-z0-9\-_.]*)=")
_NAME_RE = re.compile(r"^([^:/]*)(.*)$", re.DOTALL)
_CIDR6_RE = re.compile(r"//([0-9]+)$")
_CIDR4_RE = re.compile(r"/([0-9]+)$")
_QNUM = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_IP4_RE = re.compile(rf"^{_QNUM}(?:\.{_QNUM}){{3}}$")
_IP6_CHARS_RE = re.compile(r"^[0-9A-Fa-f:.]+$")
# Names people type for mechanisms that do not exist, with what they meant.
_MISTAKES = {
    "ip": "ip4",
    "ipv4": "ip4",
    "ipv6": "ip6",
    "prt": "ptr",
    "inlcude": "include",
    "incude": "include",
    "includes": "include",
    "exist": "exists",
    "redirect": "redirect=",
    "exp": "exp=",
    "all.": "all",
}

TermKind = Literal["mechanism", "modifier"]


@dataclass(frozen=True)
class Term:
    """One directive or modifier as written, with its parts and its syntax error, if any."""

    text: str
    start: int
    kind: TermKind
    name: str
    qualifier: str = ""
    target: str | None = None
    cidr4: int | None = None
    cidr6: int | None = None
    error: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def effective_qualifier(self) -> str:
        return self.qualifier or "+"

    @property
    def result(self) -> str:
        """The RFC 7208 result this mechanism gives when it matches."""
        return QUALIFIER_RESULTS[self.effective_qualifier]

    @property
    def is_mechanism(self) -> bool:
        return self.kind == "mechanism"

    @property
    def causes_lookup(self) -> bool:
        """Counts toward the limit of 10 (RFC 7208 4.6.4); redirect only when it is used."""
        if self.kind == "mechanism":
            return self.name in LOOKUP_MECHANISMS
        return self.name == "redirect"

    @property
    def has_macro(self) -> bool:
        return self.target is not None and has_macro(self.target)

    def same_as(self, other: Term) -> bool:
        """Same mechanism and target, compared as receivers do (case, trailing dot ignored)."""
        return (
            self.kind == other.kind
            and self.name == other.name
            and _norm_target(self.target) == _norm_target(other.target)
            and self.cidr4 == other.cidr4
            and self.cidr6 == other.cidr6
        )


def _norm_target(target: str | None) -> str | None:
    if target is None:
        return None
    return target.lower().rstrip(".") if not target.endswith("..") else target.lower()


@dataclass(frozen=True)
class SpfRecord:
    """A parsed record. ``is_spf`` is False for text that receivers do not select as SPF."""

    text: str
    is_spf: bool
    terms: tuple[Term, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return self.is_spf and not self.errors

    @property
    def mechanisms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind == "mechanism")

    @property
    def all_term(self) -> Term | None:
        return next((t for t in self.terms if t.kind == "mechanism" and t.name == "all"), None)

    def modifier(self, name: str) -> Term | None:
        return next((t for t in self.terms if t.kind == "modifier" and t.name == name), None)

    @property
    def redirect(self) -> Term | None:
        return self.modifier("redirect")

    @property
    def redirect_used(self) -> bool:
        """RFC 7208 5.1: an ``all`` anywhere in the record makes receivers ignore redirect=."""
        return self.redirect is not None and self.all_term is None

    @property
    def terms_after_all(self) -> tuple[Term, ...]:
        """Mechanisms after the first ``all``: receivers never reach them (RFC 7208 5.1)."""
        first = self.all_term
        if first is None:
            return ()
        return tuple(t for t in self.terms if t.start > first.start and t.kind == "mechanism")

    @property
    def evaluated_mechanisms(self) -> tuple[Term, ...]:
        """The mechanisms a receiver can evaluate: everything up to and including ``all``."""
        first = self.all_term
        return tuple(t for t in self.mechanisms if first is None or t.start <= first.start)


def is_spf_text(text: str) -> bool:
    """RFC 7208 4.5: exactly ``v=spf1`` (any case) followed by a space or the end."""
    return bool(_VERSION_RE.match(text))


def select_spf_records(txt_values: Iterable[str]) -> list[str]:
    """Keep the TXT values that receivers treat as SPF records, in order."""
    return [value for value in txt_values if is_spf_text(value)]


def parse_spf(text: str) -> SpfRecord:
    """Parse one record; never raises, whatever the input."""
    if not is_spf_text(text):
        return SpfRecord(
            text,
            False,
            (),
            ("not an SPF record: it must start with v=spf1 followed by a space or the end",),
        )
    tokens = [(m.group(0), m.start()) for m in re.finditer(r"[^ ]+", text[len(VERSION) :])]
    terms = [parse_term(token, start + len(VERSION)) for token, start in tokens]
    terms = _explain_split_terms(terms)
    errors = [f"{t.text!r}: {t.error}" for t in terms if t.error]
    for name in ("redirect", "exp"):
        if sum(1 for t in terms if t.kind == "modifier" and t.name == name) > 1:
            errors.append(f"{name}= appears more than once; a record may hold it at most once")
    return SpfRecord(text, True, tuple(terms), tuple(errors))


def _explain_split_terms(terms: list[Term]) -> list[Term]:
    """``include: x`` is two terms to a receiver; say so instead of two puzzling errors."""
    result = list(terms)
    for i, term in enumerate(terms[:-1]):
        if term.error and term.text.endswith((":", "=")) and terms[i + 1].error:
            joined = term.text + terms[i + 1].text
            result[i] = replace(
                term,
                error=f"{term.error}; there is a space after {term.text[-1]!r}: write {joined}",
            )
    return result


def parse_term(text: str, start: int = 0) -> Term:
    """Parse one term (no spaces inside); syntax problems go to ``Term.error``."""
    bad = next((c for c in text if not 0x21 <= ord(c) <= 0x7E), None)
    modifier = _MODIFIER_RE.match(text)
    if modifier:
        term = _parse_modifier(text, start, modifier.group(1))
    else:
        term = _parse_mechanism(text, start)
    if bad is not None:
        # The character is the real problem; an "unknown mechanism" error would hide it.
        term = replace(term, error=f"it contains {describe_char(bad)}")
    return term


def _parse_modifier(text: str, start: int, name: str) -> Term:
    lname = name.lower()
    value = text[len(name) + 1 :]
    error: str | None
    if lname in ("redirect", "exp"):
        error = check_domain_spec(value)
        if error is not None:
            error = f"{lname}= needs a domain: {error}"
    else:
        try:
            tokenize_macro_string(value)
            error = None
        except MacroSyntaxError as exc:
            error = f"invalid value for the modifier {name}=: {exc}"
    return Term(text, start, "modifier", lname, "", value, error=error)


def _parse_mechanism(text: str, start: int) -> Term:
    qualifier = text[0] if text[:1] in QUALIFIER_RESULTS else ""
    body = text[len(qualifier) :]
    match = _NAME_RE.match(body)
    raw_name, rest = (match.group(1), match.group(2)) if match else (body, "")
    name = raw_name.lower()

    def term(
        target: str | None = None,
        cidr4: int | None = None,
        cidr6: int | None = None,
        error: str | None = None,
    ) -> Term:
        return Term(text, start, "mechanism", name, qualifier, target, cidr4, cidr6, error)

    if name not in MECHANISMS:
        return term(error=_unknown_mechanism(raw_name, qualifier))
    if name == "all":
        return term(error="all takes no argument" if rest else None)
    if name in ("include", "exists"):
        if not rest.startswith(":"):
            return term(error=f"{name} needs a domain: write {name}:example.com")
        target = rest[1:]
        if _CIDR4_RE.search(target) and check_domain_spec(target):
            return term(target, error=f"{name} takes no CIDR length")
        return term(target, error=_domain_error(name, target))
    if name == "ptr":
        if not rest:
            return term()
        if not rest.startswith(":"):
            return term(error="ptr takes no CIDR length")
        return term(rest[1:], error=_domain_error(name, rest[1:]))
    if name in ("a", "mx"):
        return _parse_a_mx(name, rest, term)
    return _parse_ip(name, rest, term)


def _unknown_mechanism(raw_name: str, qualifier: str) -> str:
    lname = raw_name.lower()
    if not raw_name:
        return "empty mechanism name" if qualifier else "not a mechanism or modifier"
    hint = _MISTAKES.get(lname)
    if hint and hint.endswith("="):
        return f"{lname} is a modifier: write {hint}domain"
    if hint:
        return f"unknown mechanism {raw_name!r}; did you mean {hint}?"
    if lname[:1] in QUALIFIER_RESULTS:
        return f"{raw_name!r} has two qualifiers"
    return f"unknown mechanism {raw_name!r}"


def _domain_error(name: str, target: str) -> str | None:
    problem = check_domain_spec(target)
    return f"{name} needs a valid domain: {problem}" if problem else None


def _cidr(digits: str, maximum: int) -> int | None:
    if digits != "0" and digits.startswith("0"):
        return None
    value = int(digits)
    return value if value <= maximum else None


def _parse_a_mx(name: str, rest: str, make: _TermMaker) -> Term:
    cidr4: int | None = None
    cidr6: int | None = None
    m6 = _CIDR6_RE.search(rest)
    if m6:
        cidr6 = _cidr(m6.group(1), 128)
        if cidr6 is None:
            return make(error=f"invalid IPv6 CIDR length //{m6.group(1)} (0-128, no leading zero)")
        rest = rest[: m6.start()]
    m4 = _CIDR4_RE.search(rest)
    if m4:
        cidr4 = _cidr(m4.group(1), 32)
        if cidr4 is None:
            return make(error=f"invalid IPv4 CIDR length /{m4.group(1)} (0-32, no leading zero)")
        rest = rest[: m4.start()]
    if not rest:
        return make(None, cidr4, cidr6)
    if not rest.startswith(":"):
        return make(error="invalid CIDR length: use /N for IPv4 and //N for IPv6")
    target = rest[1:]
    error = _domain_error(name, target)
    return make(target, cidr4, cidr6, error)


def _parse_ip(name: str, rest: str, make: _TermMaker) -> Term:
    if not rest.startswith(":") or len(rest) == 1:
        return make(
            error=f"{name} needs an address: write {name}:"
            + ("192.0.2.0/24" if name == "ip4" else "2001:db8::/32")
        )
    value = rest[1:]
    if "//" in value:
        return make(value, error=f"{name} takes a single CIDR length (/N), not a dual one")
    cidr: int | None = None
    maximum = 32 if name == "ip4" else 128
    m = _CIDR4_RE.search(value)
    if m:
        cidr = _cidr(m.group(1), maximum)
        if cidr is None:
            return make(
                value, error=f"invalid CIDR length /{m.group(1)} (0-{maximum}, no leading zero)"
            )
        value = value[: m.start()]
    if name == "ip4":
        if not _IP4_RE.match(value):
            return make(
                value, error=f"{value!r} is not a complete IPv4 address (four numbers 0-255)"
            )
        return make(value, cidr4=cidr)
    if not _IP6_CHARS_RE.match(value):
        return make(value, error=f"{value!r} is not an IPv6 address")
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return make(value, error=f"{value!r} is not an IPv6 address")
    return make(value, cidr6=cidr)


class _TermMaker(Protocol):
    """The shape of the local ``term`` factory in ``_parse_mechanism``."""

    def __call__(
        self,
        target: str | None = None,
        cidr4: int | None = None,
        cidr6: int | None = None,
        error: str | None = None,
    ) -> Term: ...

"""Domain names: normalisation, record-name building, subdomain tests, organizational domains.

Everything returns names in one canonical form: lower-case A-labels without the trailing dot.
The RFC 9989 tree walk needs DMARC record parsing, so it lives in ``core.dmarc.discover``;
this module supplies the list of names that walk queries (``tree_walk_names``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import idna
from publicsuffixlist import PublicSuffixList

MAX_NAME_OCTETS = 253  # RFC 1035 255 on the wire = 253 in text without the root dot
MAX_LABEL_OCTETS = 63
_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# RFC 2181 s11 allows any octet in a DNS label; service labels such as _dmarc, _domainkey and
# SES tokens use underscores and hyphens only, which is all we accept beyond LDH.
_UNDERSCORE_LABEL = re.compile(r"^_?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$")
_ACE_PREFIX = "xn--"
# A pasted name can be megabytes long; messages quote the start of it, not all of it.
_SHOWN_CHARS = 80
# Above this no input can normalise to 253 octets (allowing for characters UTS 46 drops);
# refusing it first keeps the work per keystroke or pasted value small.
_MAX_TYPED_CHARS = 4 * MAX_NAME_OCTETS


class DomainError(ValueError):
    """A name the operator typed is not a usable domain; ``message`` says why, ``hint`` the fix."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


@dataclass(frozen=True)
class _Limits:
    allow_underscore: bool
    min_labels: int


def shown(text: str) -> str:
    """``text`` quoted for a message, cut short when it is too long to read."""
    if len(text) <= _SHOWN_CHARS:
        return repr(text)
    return f"{text[:_SHOWN_CHARS]!r}... ({len(text)} characters)"


def _to_alabel(label: str, original: str) -> str:
    if label.isascii():
        return label.lower()
    if len(label) > MAX_NAME_OCTETS:
        # No Unicode label this long fits in 63 octets; stop before IDNA reads all of it.
        raise DomainError(
            f"A label in {shown(original)} is {len(label)} characters long.",
            "A DNS label holds at most 63 characters.",
        )
    try:
        return idna.encode(label, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError as exc:
        raise DomainError(
            f"{shown(original)} is not a valid internationalised domain name "
            f"({str(exc)[:_SHOWN_CHARS]}).",
            "Check the spelling, or type the A-label form (xn--...).",
        ) from None


def _check_ace_label(label: str, original: str) -> None:
    """An ``xn--`` label must be the A-label of a valid IDNA 2008 U-label, exactly.

    Anything else (``xn--zz``, a label that decodes to a disallowed code point) is no name a
    registry hands out: SES would verify an identity no one can reach, and the U-label form of
    the same text is refused too.
    """
    try:
        ulabel = idna.decode(label)
        if idna.encode(ulabel).decode("ascii") != label:
            raise idna.IDNAError("not the canonical A-label of its Unicode form")
    except (idna.IDNAError, UnicodeError) as exc:
        raise DomainError(
            f"{shown(original)} has the label {label!r}, which starts with xn-- but is not a "
            f"valid internationalised (Punycode) label ({exc}).",
            "Type the name in its Unicode form, or copy the xn-- form exactly as the registrar "
            "shows it.",
        ) from None


def _check_label(label: str, original: str, limits: _Limits) -> None:
    if not label:
        raise DomainError(
            f"{shown(original)} has an empty label (two dots in a row).", "Remove the extra dot."
        )
    if len(label) > MAX_LABEL_OCTETS:
        raise DomainError(
            f"The label {label[:20]!r}... in {shown(original)} is {len(label)} characters long.",
            "A DNS label holds at most 63 characters.",
        )
    if _LDH_LABEL.match(label):
        return
    if limits.allow_underscore and _UNDERSCORE_LABEL.match(label):
        return
    if "_" in label and not limits.allow_underscore:
        raise DomainError(
            f"{shown(original)} contains an underscore in {label!r}.",
            "Host names use letters, digits and hyphens only; underscores belong in record names.",
        )
    if label.startswith("-") or label.endswith("-"):
        raise DomainError(
            f"The label {label!r} in {shown(original)} starts or ends with a hyphen.",
            "Labels must start and end with a letter or digit.",
        )
    bad = sorted({c for c in label if not (c.isalnum() or c in "-_")})
    chars = "".join(bad) if bad else label
    raise DomainError(
        f"{shown(original)} contains characters not allowed in a domain name: {chars!r}.",
        "Use letters, digits, hyphens and dots (no spaces, @ or URL parts).",
    )


def normalize_domain(text: str, *, allow_underscore: bool = False, min_labels: int = 1) -> str:
    """Return the canonical form of a typed domain, or raise ``DomainError`` saying why not.

    Accepts any case, surrounding spaces, one trailing dot and U-labels (converted to A-labels
    per UTS 46 non-transitional, as browsers and registries do).
    """
    if not isinstance(text, str):
        raise DomainError("A domain name must be text.")
    original = text
    name = text.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise DomainError(f"{shown(original)} contains control characters.", "Type the name again.")
    if not name or name == ".":
        raise DomainError("The domain name is empty.", "Type a name such as example.com.")
    if len(name) > _MAX_TYPED_CHARS:
        raise DomainError(
            f"{shown(original)} is far longer than a domain name.",
            "A domain name holds at most 253 characters.",
        )
    if "://" in name or "/" in name or "@" in name or " " in name:
        raise DomainError(
            f"{shown(original)} is not a bare domain name.",
            "Type only the domain, for example example.com (no scheme, path, spaces or @).",
        )
    # Full-width and ideographic dots are label separators under UTS 46.
    name = re.sub("[\u3002\uff0e\uff61]", ".", name)
    if name.endswith("."):
        name = name[:-1]
    if name.startswith("."):
        raise DomainError(f"{shown(original)} starts with a dot.", "Remove the leading dot.")
    limits = _Limits(allow_underscore=allow_underscore, min_labels=min_labels)
    labels = [_to_alabel(label, original) for label in name.split(".")]
    for label in labels:
        _check_label(label, original, limits)
        if label.startswith(_ACE_PREFIX):
            _check_ace_label(label, original)
    result = ".".join(labels)
    if len(result) > MAX_NAME_OCTETS:
        raise DomainError(
            f"{shown(original)} is {len(result)} characters long in DNS form.",
            "A domain name holds at most 253 characters.",
        )
    if labels[-1].isdigit():
        raise DomainError(
            f"{shown(original)} looks like an IP address or ends in a numeric label.",
            "Type a domain name, not an address.",
        )
    if len(labels) < min_labels:
        raise DomainError(
            f"{shown(original)} has only {len(labels)} label(s).",
            "Type a full domain such as example.com.",
        )
    return result


def is_valid_domain(text: str, *, allow_underscore: bool = False) -> bool:
    try:
        normalize_domain(text, allow_underscore=allow_underscore)
    except DomainError:
        return False
    return True


def absolute(name: str) -> str:
    """The name with exactly one trailing dot, for DNS queries (never through a search list)."""
    return name.rstrip(".") + "."


def is_subdomain(child: str, parent: str, *, strict: bool = False) -> bool:
    """True when ``child`` equals or sits below ``parent`` (only below when ``strict``)."""
    c = child.rstrip(".").lower()
    p = parent.rstrip(".").lower()
    if c == p:
        return not strict
    return c.endswith("." + p)


def has_doubled_zone(name: str, zone: str) -> bool:
    """True for names such as ``x._domainkey.example.com.example.com`` (the zone appended twice)."""
    n = name.rstrip(".").lower()
    z = zone.rstrip(".").lower()
    return n.endswith(f".{z}.{z}") or n == f"{z}.{z}"


def doubled_name(name: str, zone: str) -> str:
    """The name a DNS UI produces when it appends the zone to an already complete name."""
    return f"{name.rstrip('.').lower()}.{zone.rstrip('.').lower()}"


def record_fqdn(name: str, zone: str) -> str:
    """Build the full name of a record in ``zone`` from a relative or complete ``name``.

    ``@`` or an empty name means the apex. A name already ending in the zone is kept as is; a
    name carrying the zone twice is refused, because publishing it is the classic mistake that
    leaves SES verification PENDING.
    """
    z = normalize_domain(zone)
    raw = name.strip()
    if raw in ("", "@"):
        return z
    n = normalize_domain(raw, allow_underscore=True)
    if has_doubled_zone(n, z):
        raise DomainError(
            f"{raw!r} contains the zone {z} twice.",
            f"Use {n[: -(len(z) + 1)]} (the zone must appear once).",
        )
    if is_subdomain(n, z):
        return n
    full = f"{n}.{z}"
    if len(full) > MAX_NAME_OCTETS:
        raise DomainError(f"{full!r} is longer than 253 characters.")
    return full


def relative_name(fqdn: str, zone: str) -> str:
    """The owner name relative to the zone (``@`` for the apex), as DNS UIs want it typed."""
    n = fqdn.rstrip(".").lower()
    z = zone.rstrip(".").lower()
    if n == z:
        return "@"
    if not n.endswith("." + z):
        raise DomainError(f"{fqdn!r} is not inside the zone {z}.")
    return n[: -(len(z) + 1)]


def parent_names(domain: str) -> list[str]:
    """``a.b.example.com`` -> ``[a.b.example.com, b.example.com, example.com, com]``."""
    labels = domain.rstrip(".").lower().split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def tree_walk_names(domain: str) -> list[str]:
    """Names the RFC 9989 s4.10.1 DNS tree walk queries, in order (at most 8).

    The author domain first; then, if it has 8 or more labels, jump to its last 7 labels;
    then one label less at a time down to the top-level domain.
    """
    labels = domain.rstrip(".").lower().split(".")
    names = [".".join(labels)]
    count = len(labels)
    start = count - 7 if count >= 8 else 1
    for i in range(start, count):
        names.append(".".join(labels[i:]))
    return names


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def public_suffix(domain: str) -> str:
    """The longest public suffix of ``domain`` by the bundled Public Suffix List."""
    d = domain.rstrip(".").lower()
    suffix = _psl().publicsuffix(d)
    return suffix if suffix else d.rsplit(".", 1)[-1]


def is_public_suffix(domain: str) -> bool:
    return bool(_psl().is_public(domain.rstrip(".").lower()))


def org_domain_psl(domain: str) -> str:
    """RFC 7489 s3.2 organizational domain: the public suffix plus one label.

    A name that is itself a public suffix is its own organizational domain.
    """
    d = domain.rstrip(".").lower()
    private = _psl().privatesuffix(d)
    return private if private else d

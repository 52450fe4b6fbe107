"""DNS records the wizard asks the operator to publish: model, validation, comparison, builders.

A ``DnsRecord`` always holds canonical data: the owner name and CNAME/NS/MX targets as lower-case
A-labels without the trailing dot, MX as ``"<pref> <host>"``, A/AAAA in ``ipaddress`` form and TXT
as the joined text of its character-strings (what a receiver parses, RFC 7208 s3.3 and RFC 9989
s4.5). Presentation forms (quoted zone-file strings, Route 53 values) exist only at the edges:
the TXT codec in ``core.txt`` (re-exported here) and the renderers in ``core.render``.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, cast, get_args

from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.core.regions import (
    Region,
    UnknownRegionError,
    dkim_target_zone,
    mail_from_mx_host,
    normalize_dkim_token,
    ses_region,
)
from sesdmarc_tui.core.txt import (
    RecordError,
    parse_txt_presentation,
    split_txt,
    txt_octets,
    txt_presentation,
)

__all__ = [
    "MAX_TTL",
    "RECORD_TYPES",
    "SES_MAIL_FROM_MX_PREFERENCE",
    "SES_MAIL_FROM_SPF",
    "DnsRecord",
    "MatchKind",
    "RecordError",
    "RecordMatch",
    "RecordType",
    "TxtForm",
    "describe_difference",
    "dkim_records",
    "dmarc_record",
    "mail_from_records",
    "make_record",
    "normalize_value",
    "parse_txt_presentation",
    "record_matches",
    "same_values",
    "split_txt",
    "txt_presentation",
]

RecordType = Literal["CNAME", "MX", "TXT", "A", "AAAA", "NS"]
RECORD_TYPES: tuple[RecordType, ...] = get_args(RecordType)
# How TXT values to compare are written: lookups return joined text, operators paste quotes.
TxtForm = Literal["auto", "joined", "presentation"]
MAX_TTL = 2**31 - 1  # RFC 2181 s8
MAX_RDATA_OCTETS = 65535

SES_MAIL_FROM_SPF = "v=spf1 include:amazonses.com ~all"
SES_MAIL_FROM_MX_PREFERENCE = 10


@dataclass(frozen=True)
class DnsRecord:
    """One RRset. Build it with ``make_record``; direct construction must already be canonical."""

    name: str
    rtype: RecordType
    values: tuple[str, ...]
    ttl: int

    def __post_init__(self) -> None:
        canonical = _canonical_parts(self.name, self.rtype, self.values, self.ttl)
        if canonical != (self.name, self.rtype, self.values, self.ttl):
            raise RecordError(
                f"DnsRecord({self.name!r}, {self.rtype!r}, ...) is not in canonical form.",
                "Build records with make_record().",
            )


def _wrap_domain_error(what: str, exc: DomainError) -> RecordError:
    return RecordError(f"{what}: {exc.message}", exc.hint)


def _strict_target(value: str, what: str) -> str:
    try:
        return normalize_domain(value, allow_underscore=True)
    except DomainError as exc:
        raise _wrap_domain_error(what, exc) from None


def _strict_mx(value: str) -> str:
    parts = value.split()
    if len(parts) != 2:
        raise RecordError(
            f"The MX value {value!r} must be a preference and a host.",
            "Write it as, for example, 10 feedback-smtp.us-east-1.amazonses.com.",
        )
    pref_text, host = parts
    if not pref_text.isascii() or not pref_text.isdigit() or int(pref_text) > 65535:
        raise RecordError(
            f"The MX preference {pref_text!r} is not a number from 0 to 65535.",
            "SES uses 10.",
        )
    # RFC 7505 null MX: "0 ." says the domain accepts no mail; keep it representable.
    target = "." if host == "." else _strict_target(host, "MX host")
    return f"{int(pref_text)} {target}"


def _strict_txt(value: str) -> str:
    data = txt_octets(value)
    if len(data) + len(split_txt(value)) > MAX_RDATA_OCTETS:
        raise RecordError(f"The TXT value is {len(data)} octets long; DNS allows about 65,000.")
    return value


def _strict_value(rtype: RecordType, value: str) -> str:
    if not isinstance(value, str):
        raise RecordError(f"A {rtype} value must be text, not {type(value).__name__}.")
    if rtype == "TXT":
        return _strict_txt(value)
    text = value.strip()
    if rtype in ("CNAME", "NS"):
        return _strict_target(text, f"{rtype} target")
    if rtype == "MX":
        return _strict_mx(text)
    try:
        if rtype == "A":
            return str(ipaddress.IPv4Address(text))
        return str(ipaddress.IPv6Address(text))
    except ValueError:
        family = "IPv4" if rtype == "A" else "IPv6"
        raise RecordError(f"{value!r} is not an {family} address.") from None


def _canonical_parts(
    name: str, rtype: str, values: Iterable[str], ttl: int
) -> tuple[str, RecordType, tuple[str, ...], int]:
    if not isinstance(rtype, str) or rtype.upper() not in RECORD_TYPES:
        raise RecordError(
            f"Unsupported record type {rtype!r}.", f"Use one of {', '.join(RECORD_TYPES)}."
        )
    rt = cast(RecordType, rtype.upper())
    if not isinstance(name, str):
        raise RecordError("A record name must be text.")
    try:
        owner = normalize_domain(name, allow_underscore=True)
    except DomainError as exc:
        raise _wrap_domain_error("Record name", exc) from None
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL:
        raise RecordError(f"The TTL {ttl!r} is not a whole number of seconds from 0 to 2147483647.")
    if isinstance(values, str):
        # A bare string would iterate as characters: almost certainly a caller mistake.
        values = (values,)
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(_strict_value(rt, v), None)
    canon = tuple(seen)
    if not canon:
        raise RecordError(f"The {rt} record {owner} has no value.")
    if rt == "CNAME" and len(canon) != 1:
        raise RecordError(
            f"The CNAME {owner} has {len(canon)} values.",
            "A CNAME has exactly one target (RFC 1034 s3.6.2).",
        )
    return owner, rt, canon, ttl


def make_record(name: str, rtype: str, values: Iterable[str] | str, ttl: int = 300) -> DnsRecord:
    """Validate and canonicalise a record; ``RecordError`` says what is wrong.

    TXT values are taken literally (the joined text); use ``parse_txt_presentation`` first for a
    quoted zone-file value. Duplicate values collapse, because a DNS RRset is a set.
    """
    return DnsRecord(*_canonical_parts(name, rtype, values, ttl))


# --- comparison --------------------------------------------------------------------------------


def _looks_like_presentation(value: str) -> bool:
    s = value.strip()
    return len(s) >= 2 and s.startswith('"') and s.endswith('"')


def _lenient_target(value: str) -> str:
    text = value.strip()
    try:
        return normalize_domain(text, allow_underscore=True)
    except DomainError:
        return text.rstrip(".").lower()


def normalize_value(rtype: str, value: str, *, txt_form: TxtForm = "auto") -> str:
    """A value in the form used for comparison; never raises on odd data from the wire.

    TXT: ``txt_form="auto"`` reads a value that starts and ends with ``"`` as presentation form
    (``"a" "b"``) and anything else as the joined text; ``"joined"`` takes the value literally,
    which is right for lookup answers, where literal quotes are a publishing mistake to report.
    """
    rt = rtype.upper()
    if rt == "TXT":
        if txt_form == "presentation" or (txt_form == "auto" and _looks_like_presentation(value)):
            try:
                return parse_txt_presentation(value)
            except RecordError:
                return value
        return value
    if rt in ("CNAME", "NS"):
        return _lenient_target(value)
    if rt == "MX":
        parts = value.split()
        if len(parts) == 2 and parts[0].isascii() and parts[0].isdigit():
            host = "." if parts[1] == "." else _lenient_target(parts[1])
            return f"{int(parts[0])} {host}"
        return " ".join(parts).lower()
    if rt in ("A", "AAAA"):
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            return value.strip().lower()
    return value.strip()


def same_values(rtype: str, a: Iterable[str], b: Iterable[str]) -> bool:
    """True when the two value lists hold the same normalised values, as sets."""
    return {normalize_value(rtype, v) for v in a} == {normalize_value(rtype, v) for v in b}


class MatchKind(StrEnum):
    MATCH = "match"
    MISSING = "missing"  # nothing published
    WRONG_VALUE = "wrong_value"  # an expected value is absent, something else is there
    EXTRA_VALUES = "extra_values"  # every expected value is there, plus others


@dataclass(frozen=True)
class RecordMatch:
    kind: MatchKind
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.kind is MatchKind.MATCH


def describe_difference(rtype: str, expected: str, found: str) -> str:
    """One sentence on how a published value differs from the expected one."""
    rt = rtype.upper()
    if rt == "TXT":
        if _looks_like_presentation(found) and normalize_value("TXT", found) == expected:
            return (
                "The published text contains literal quotation marks: the quotes were typed "
                "inside the value field, so receivers see them as part of the record."
            )
        if found.lower() == expected.lower():
            return "The text differs only in letter case; TXT values are compared exactly."
        if " ".join(found.split()) == " ".join(expected.split()):
            return "The text differs in spacing (a split record may have lost a space)."
        if expected.startswith(found):
            return f"The text stops after character {len(found)}; the rest is missing."
        if found.startswith(expected):
            extra = found[len(expected) :][:30]
            return f"The text goes on after character {len(expected)}: {extra!r}."
        pos = next(
            (i for i, (x, y) in enumerate(zip(expected, found, strict=False)) if x != y),
            min(len(expected), len(found)),
        )
        return f"The text differs from character {pos + 1} on: found {found[pos : pos + 30]!r}."
    e, f = normalize_value(rt, expected), normalize_value(rt, found, txt_form="joined")
    if rt in ("CNAME", "NS"):
        if f.startswith(e + "."):
            return (
                f"The target {f} has {f[len(e) + 1 :]} appended: the DNS UI added the zone. "
                "Enter the target with a trailing dot."
            )
        return f"The target is {f} instead of {e}."
    if rt == "MX":
        ep, _, eh = e.partition(" ")
        fp, _, fh = f.partition(" ")
        if eh == fh:
            return f"The MX preference is {fp} instead of {ep}."
        return f"The MX host is {fh or f} instead of {eh}."
    return f"The value is {f} instead of {e}."


def record_matches(
    expected: DnsRecord, found_values: Iterable[str], *, txt_form: TxtForm = "joined"
) -> RecordMatch:
    """Compare a record with the values a lookup returned for its name and type.

    Found TXT values are lookup answers (joined text) by default; pass ``txt_form="auto"`` for
    values an operator pasted.
    """
    found = list(dict.fromkeys(found_values))
    if not found:
        return RecordMatch(MatchKind.MISSING, missing=expected.values)
    norm_found = {normalize_value(expected.rtype, v, txt_form=txt_form): v for v in found}
    missing = tuple(v for v in expected.values if v not in norm_found)
    unexpected = tuple(raw for norm, raw in norm_found.items() if norm not in expected.values)
    if not missing and not unexpected:
        return RecordMatch(MatchKind.MATCH)
    if not missing:
        return RecordMatch(MatchKind.EXTRA_VALUES, unexpected=unexpected)
    details: list[str] = []
    for want in missing:
        if not unexpected:
            break
        closest = max(
            unexpected,
            key=lambda raw: difflib.SequenceMatcher(
                None, want, normalize_value(expected.rtype, raw, txt_form=txt_form)
            ).ratio(),
        )
        details.append(describe_difference(expected.rtype, want, closest))
    return RecordMatch(MatchKind.WRONG_VALUE, missing, unexpected, tuple(details))


# --- the SES records ---------------------------------------------------------------------------


def _domain(domain: str, what: str) -> str:
    try:
        return normalize_domain(domain, min_labels=2)
    except DomainError as exc:
        raise _wrap_domain_error(what, exc) from None


def _region(region: str | Region) -> Region:
    try:
        return ses_region(region)
    except UnknownRegionError as exc:
        raise RecordError(exc.message, exc.hint) from None


def dkim_records(
    domain: str,
    tokens: Iterable[str],
    region: str | Region,
    signing_hosted_zone: str | None = None,
    ttl: int = 1800,
) -> tuple[DnsRecord, ...]:
    """The Easy DKIM CNAMEs ``<token>._domainkey.<domain> -> <token>.<zone>``.

    The zone is ``signing_hosted_zone`` (SES's ``DkimAttributes.SigningHostedZone``) when given,
    else the region's entry in ``core.regions``.
    """
    d = _domain(domain, "DKIM domain")
    toks = [tokens] if isinstance(tokens, str) else list(tokens)
    if not 1 <= len(toks) <= 3:
        raise RecordError(
            f"Got {len(toks)} DKIM tokens.", "Easy DKIM gives three tokens per identity and region."
        )
    ses = _region(region)
    try:
        zone = dkim_target_zone(ses, signing_hosted_zone)
    except DomainError as exc:
        raise _wrap_domain_error("DKIM target", exc) from None
    records: list[DnsRecord] = []
    seen: set[str] = set()
    for token in toks:
        try:
            t = normalize_dkim_token(token)
        except ValueError as exc:
            raise RecordError(str(exc), "Copy the tokens from the SES console or API.") from None
        if t in seen:
            raise RecordError(f"The DKIM token {t} is listed twice.")
        seen.add(t)
        records.append(make_record(f"{t}._domainkey.{d}", "CNAME", [f"{t}.{zone}"], ttl))
    return tuple(records)


def mail_from_records(
    mail_from_domain: str, region: str | Region, ttl: int = 300
) -> tuple[DnsRecord, DnsRecord]:
    """The MX and SPF TXT that a custom MAIL FROM domain needs (DG: mail-from)."""
    d = _domain(mail_from_domain, "MAIL FROM domain")
    host = mail_from_mx_host(_region(region))
    mx = make_record(d, "MX", [f"{SES_MAIL_FROM_MX_PREFERENCE} {host}"], ttl)
    txt = make_record(d, "TXT", [SES_MAIL_FROM_SPF], ttl)
    return mx, txt


def dmarc_record(domain: str, value: str, ttl: int = 300) -> DnsRecord:
    """The TXT at ``_dmarc.<domain>``; ``value`` is checked by ``core.dmarc``, not here."""
    if isinstance(domain, str) and domain.strip().lower().startswith("_dmarc."):
        raise RecordError(
            f"{domain!r} already starts with _dmarc.",
            "Give the domain itself; the _dmarc label is added for you.",
        )
    d = _domain(domain, "DMARC domain")
    if not isinstance(value, str) or not value:
        raise RecordError("The DMARC record value is empty.")
    return make_record(f"_dmarc.{d}", "TXT", [value], ttl)

"""Parsing a DMARC record and judging it under RFC 9989 and RFC 7489 side by side.

``parse_dmarc`` never raises. It reports what is wrong with the *text* (grammar, values,
URIs, canonical form); operational advice (no rua, strict alignment with SES...) is added by
``lint.lint_dmarc``. See ``findings`` for the error-versus-warning rule.

Validity is judged per RFC:
- ``valid`` (RFC 9989): a selected DMARC record whose tag-list follows the grammar, with no
  duplicate tag and valid values for the tags RFC 9989 defines. A missing ``p`` and a ``p``
  that is not second are fine here (9989 s4.7: a missing p reads as p=none).
- ``valid_rfc7489``: the same for the tags RFC 7489 defines, plus ``p`` present as the
  second tag (7489 s6.4 ABNF).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sesdmarc_tui.core.dmarc import findings as k
from sesdmarc_tui.core.dmarc.findings import shown
from sesdmarc_tui.core.dmarc.tokens import RawTag, TagList, tokenize
from sesdmarc_tui.core.dmarc.uris import ReportUri, parse_uri, split_uri_list
from sesdmarc_tui.core.dmarc.values import (
    DEFAULTS,
    ENUMERATED_TAGS,
    KNOWN_TAGS,
    POLICY_TAGS,
    URI_TAGS,
    Validity,
    check_value,
)
from sesdmarc_tui.core.findings import Finding

TagValue = str | tuple[str, ...]

_NO_POLICY_HINT = (
    "Receivers then act as if p=none when rua holds a valid address, and apply no DMARC "
    "at all otherwise: so this typo silently disables the policy."
)


@dataclass(frozen=True)
class Effective:
    """The policy an RFC 9989 receiver applies, after defaults and error fallbacks."""

    p: str
    sp: str
    np: str
    adkim: str
    aspf: str
    fo: str
    t: str
    psd: str
    # An invalid p, sp or np makes receivers fall back to p=none (9989 s4.10.1).
    fallback: bool = False
    # False when receivers apply no DMARC at all (that fallback without a valid rua, or a
    # tag-list made invalid by a duplicate tag).
    applies: bool = True

    def to_json(self) -> dict[str, str]:
        return {
            "p": self.p,
            "sp": self.sp,
            "np": self.np,
            "adkim": self.adkim,
            "aspf": self.aspf,
            "fo": self.fo,
            "t": self.t,
            "psd": self.psd,
        }


@dataclass(frozen=True)
class DmarcRecord:
    text: str
    is_dmarc: bool
    tags: Mapping[str, TagValue] | None
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    valid: bool
    valid_rfc7489: bool
    effective: Effective | None
    order: tuple[str, ...] = ()  # tag names in record order, first occurrences, v included
    uris: Mapping[str, tuple[ReportUri, ...]] = field(default_factory=dict)
    invalid_tags: frozenset[str] = frozenset()  # tags whose value is invalid under either RFC
    duplicates: frozenset[str] = frozenset()

    def tag(self, name: str) -> str | None:
        """A single-valued tag's value (lower case for enumerated tags), if present."""
        value = (self.tags or {}).get(name)
        return value if isinstance(value, str) else None

    def has_valid(self, name: str) -> bool:
        return self.tags is not None and name in self.tags and name not in self.invalid_tags

    @property
    def has_valid_rua(self) -> bool:
        return any(u.valid for u in self.uris.get("rua", ()))

    def tags_json(self) -> dict[str, Any] | None:
        if self.tags is None:
            return None
        return {n: list(v) if isinstance(v, tuple) else v for n, v in self.tags.items()}


@dataclass
class _State:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    tags: dict[str, TagValue] = field(default_factory=dict)
    uris: dict[str, tuple[ReportUri, ...]] = field(default_factory=dict)
    invalid_9989: set[str] = field(default_factory=set)
    invalid_7489: set[str] = field(default_factory=set)
    case_notes: list[str] = field(default_factory=list)
    whitespace: list[str] = field(default_factory=list)


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse ``text`` (the TXT strings already joined); never raises."""
    tokens = tokenize(text)
    if not tokens.is_dmarc:
        return DmarcRecord(text, False, None, tuple(tokens.errors), (), False, False, None)
    state = _State(errors=list(tokens.errors))
    first, duplicates = _first_occurrences(tokens, state)
    for tag in first:
        _read_tag(tag, state)
    _check_p(first, state)
    _report_style(tokens, state)
    syntax_ok = not any(f.kind in (k.SYNTAX, k.DUPLICATE_TAG) for f in state.errors)
    p_ok_7489 = not any(f.kind in (k.MISSING_P, k.P_NOT_SECOND_TAG) for f in state.errors)
    invalid = frozenset(state.invalid_9989 | state.invalid_7489)
    valid_tags = {n: v for n, v in state.tags.items() if n not in invalid}
    has_valid_rua = any(u.valid for u in state.uris.get("rua", ()))
    return DmarcRecord(
        text=text,
        is_dmarc=True,
        tags=MappingProxyType(state.tags),
        errors=tuple(state.errors),
        warnings=tuple(state.warnings),
        valid=syntax_ok and not state.invalid_9989,
        valid_rfc7489=syntax_ok and p_ok_7489 and not state.invalid_7489,
        effective=_effective(valid_tags, state.invalid_9989, bool(duplicates), has_valid_rua),
        order=tuple(t.name for t in first),
        uris=MappingProxyType(state.uris),
        invalid_tags=invalid,
        duplicates=frozenset(duplicates),
    )


def _first_occurrences(tokens: TagList, state: _State) -> tuple[list[RawTag], set[str]]:
    seen: dict[str, RawTag] = {}
    duplicates: set[str] = set()
    for tag in tokens.tags:
        if tag.name in seen:
            if tag.name not in duplicates:
                state.errors.append(
                    Finding(
                        k.DUPLICATE_TAG,
                        f"The tag {tag.name} appears more than once, which makes the whole "
                        "record invalid (RFC 6376 s3.2 tag-list rules); receivers may ignore "
                        f"it entirely. Keep a single {tag.name}=.",
                    )
                )
            duplicates.add(tag.name)
            continue
        seen[tag.name] = tag
    return list(seen.values()), duplicates


def _read_tag(tag: RawTag, state: _State) -> None:
    if tag.raw_name != tag.name:
        state.case_notes.append(f"tag name {shown(tag.raw_name, 20)}")
    if tag.name == "v":
        state.tags["v"] = "DMARC1"
        return
    if tag.name not in KNOWN_TAGS:
        _read_unknown(tag, state)
        return
    if tag.name in URI_TAGS:
        _read_uris(tag, state)
        return
    value = tag.value.lower() if tag.name in ENUMERATED_TAGS else tag.value
    if tag.name in ENUMERATED_TAGS and tag.value != value:
        state.case_notes.append(f"value {tag.name}={shown(tag.value, 20)}")
    state.tags[tag.name] = value
    if tag.name == "fo" and any(c in tag.value for c in " \t"):
        state.whitespace.append("spaces in fo")
    validity = check_value(tag.name, tag.value)
    if validity.rfc9989 and validity.rfc7489:
        return
    if not validity.rfc9989:
        state.invalid_9989.add(tag.name)
    if not validity.rfc7489:
        state.invalid_7489.add(tag.name)
    state.errors.append(Finding(k.INVALID_TAG_VALUE, _invalid_message(tag, validity)))


def _invalid_message(tag: RawTag, validity: Validity) -> str:
    written = f"{tag.name}={shown(tag.value, 40)}" if tag.value else f"{tag.name}= (empty)"
    which = ""
    if validity.rfc9989 and not validity.rfc7489:
        which = " under RFC 7489"
    elif validity.rfc7489 and not validity.rfc9989:
        which = " under RFC 9989"
    message = f"{written} is not valid{which}: expected {validity.expected}."
    if tag.name in ("p", "sp", "np") and not validity.rfc9989:
        return f"{message} {_NO_POLICY_HINT}"
    default = DEFAULTS.get(tag.name)
    if default is not None and not validity.rfc9989:
        return f"{message} Receivers use the default {tag.name}={default} instead."
    return f"{message} Receivers ignore the tag."


def _read_unknown(tag: RawTag, state: _State) -> None:
    # Unknown tags are dropped from ``tags``, but their text must still follow the grammar.
    if not tag.value or not all(0x20 <= ord(c) <= 0x7E for c in tag.value):
        problem = "has no value" if not tag.value else "contains characters not allowed in DMARC"
        state.errors.append(
            Finding(
                k.SYNTAX,
                f"The unknown tag {shown(tag.raw_name, 20)} {problem}; receivers ignore it. "
                "Remove it.",
            )
        )
        return
    state.warnings.append(
        Finding(
            k.UNKNOWN_TAG,
            f"{shown(tag.raw_name, 20)} is not a DMARC tag; receivers ignore it. Check the "
            "spelling (p, sp, np, adkim, aspf, fo, rua, ruf, t, psd) or remove it.",
        )
    )


def _read_uris(tag: RawTag, state: _State) -> None:
    if not tag.value:
        state.tags[tag.name] = ()
        state.uris[tag.name] = ()
        state.invalid_9989.add(tag.name)
        state.invalid_7489.add(tag.name)
        state.errors.append(
            Finding(
                k.INVALID_URI,
                f"{tag.name}= has no address. Write {tag.name}=mailto:name@domain, or remove "
                "the tag.",
            )
        )
        return
    items, spaced = split_uri_list(tag.value)
    uris = tuple(parse_uri(item) for item in items)
    state.uris[tag.name] = uris
    state.tags[tag.name] = tuple(u.uri for u in uris)
    if spaced:
        state.whitespace.append(f"spaces around ',' in {tag.name}")
    for uri in uris:
        if not uri.valid:
            state.invalid_9989.add(tag.name)
            state.invalid_7489.add(tag.name)
            state.errors.append(
                Finding(
                    k.INVALID_URI,
                    f"{tag.name}: {uri.problem}. Receivers skip it; write each address as "
                    "mailto:name@domain, separated by commas.",
                )
            )
        elif uri.size is not None:
            state.warnings.append(
                Finding(
                    k.OBSOLETE_SIZE,
                    f"{tag.name}: the size limit !{uri.size} in {shown(uri.uri)} is obsolete; "
                    "RFC 9989 reporters ignore it. Remove it.",
                )
            )
        if uri.valid and not uri.is_mailto:
            state.warnings.append(
                Finding(
                    k.NON_MAILTO,
                    f"{tag.name}: {shown(uri.uri)} is not a mailto: URI; receivers only have to "
                    "support mailto:, so most will send nothing there. Use mailto:.",
                )
            )


def _check_p(first: list[RawTag], state: _State) -> None:
    names = [t.name for t in first]
    if "p" not in names:
        state.errors.append(
            Finding(
                k.MISSING_P,
                "There is no p tag. RFC 7489 receivers require it (the record is invalid "
                "there) and RFC 9989 reads it as p=none. Add p=none (monitor), or the stage "
                "you mean, straight after v=DMARC1.",
            )
        )
        return
    p_tag = next(t for t in first if t.name == "p")
    if p_tag.position != 1:
        state.errors.append(
            Finding(
                k.P_NOT_SECOND_TAG,
                "p is not the second tag. RFC 9989 accepts that, but RFC 7489 requires "
                "v=DMARC1; p=... in that order, so older receivers may discard the record. "
                "Move p straight after v=DMARC1.",
            )
        )


def _report_style(tokens: TagList, state: _State) -> None:
    spacing = tokens.whitespace + state.whitespace
    if spacing:
        notes = ", ".join(dict.fromkeys(spacing))
        state.warnings.append(
            Finding(
                k.NONCANONICAL_WS,
                f"The record has {notes}. Receivers accept it, but write it in canonical "
                "form: tag=value pairs separated by '; '.",
            )
        )
    if state.case_notes:
        notes = ", ".join(state.case_notes[:5])
        state.warnings.append(
            Finding(
                k.NONCANONICAL_CASE,
                f"Upper case in {notes}. Tag names and values are case-insensitive (only "
                "DMARC1 is case-sensitive), but some receivers compare them literally: use "
                "lower case.",
            )
        )


def _effective(
    tags: Mapping[str, TagValue], invalid_9989: set[str], duplicates: bool, has_valid_rua: bool
) -> Effective:
    def value(name: str) -> str | None:
        found = tags.get(name)
        return found if isinstance(found, str) else None

    p = value("p") or "none"
    sp = value("sp") or p
    np = value("np") or value("sp") or p
    fallback = any(n in invalid_9989 for n in POLICY_TAGS)
    applies = not duplicates
    if fallback:
        p = sp = np = "none"
        applies = applies and has_valid_rua
    return Effective(
        p=p,
        sp=sp,
        np=np,
        adkim=value("adkim") or DEFAULTS["adkim"],
        aspf=value("aspf") or DEFAULTS["aspf"],
        fo=value("fo") or DEFAULTS["fo"],
        t=value("t") or DEFAULTS["t"],
        psd=value("psd") or DEFAULTS["psd"],
        fallback=fallback,
        applies=applies,
    )

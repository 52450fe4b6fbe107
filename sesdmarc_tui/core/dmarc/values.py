"""Value rules per tag, judged under RFC 9989 (s4.8, Table 2) and RFC 7489 (s6.4) separately.

A tag that one RFC does not define is an unknown tag there, which receivers ignore: its value
cannot make the record invalid under that RFC (``np``, ``t``, ``psd`` for RFC 7489; ``pct``,
``rf``, ``ri`` for RFC 9989).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

POLICIES: Final = ("none", "quarantine", "reject")
POLICY_RANK: Final = {"none": 0, "quarantine": 1, "reject": 2}
ALIGNMENT_MODES: Final = ("r", "s")
YES_NO: Final = ("y", "n")
PSD_VALUES: Final = ("y", "n", "u")
FO_VALUES: Final = ("0", "1", "d", "s")

POLICY_TAGS: Final = ("p", "sp", "np")
ENUMERATED_TAGS: Final = ("p", "sp", "np", "adkim", "aspf", "t", "psd", "fo")
URI_TAGS: Final = ("rua", "ruf")
RFC9989_TAGS: Final = frozenset(
    {"v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "t", "psd"}
)
RFC7489_TAGS: Final = frozenset(
    {"v", "p", "sp", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri"}
)
KNOWN_TAGS: Final = RFC9989_TAGS | RFC7489_TAGS
# RFC 9989 default values (s4.7); sp and np default to other tags, resolved in record.py.
DEFAULTS: Final = {"adkim": "r", "aspf": "r", "fo": "0", "t": "n", "psd": "u"}

_UINT32_MAX: Final = 2**32 - 1
_KEYWORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class Validity:
    rfc9989: bool
    rfc7489: bool
    expected: str  # what a valid value looks like, for the message


def check_value(name: str, value: str) -> Validity:
    """Whether ``value`` is valid for tag ``name`` (case-insensitive where the ABNF is)."""
    # Non-ASCII never matches: str.lower() would fold e.g. the Kelvin sign into "k".
    v = value.lower() if value.isascii() else "\x00"
    if name in ("p", "sp"):
        ok = v in POLICIES
        return Validity(ok, ok, "none, quarantine or reject")
    if name == "np":
        return Validity(v in POLICIES, True, "none, quarantine or reject")
    if name in ("adkim", "aspf"):
        ok = v in ALIGNMENT_MODES
        return Validity(ok, ok, "r (relaxed) or s (strict)")
    if name == "t":
        return Validity(v in YES_NO, True, "y or n")
    if name == "psd":
        return Validity(v in PSD_VALUES, True, "y, n or u")
    if name == "fo":
        return Validity(
            fo_valid_rfc9989(v),
            fo_valid_rfc7489(v),
            "0, 1, d or s joined by ':', each once, and not both 0 and 1 (e.g. 1:d)",
        )
    if name == "pct":
        return Validity(True, pct_value(value) is not None, "a whole number from 0 to 100")
    if name == "ri":
        ok = value.isascii() and value.isdigit() and int(value) <= _UINT32_MAX
        return Validity(True, ok, "a number of seconds, such as 86400")
    if name == "rf":
        parts = [p.strip(" \t") for p in value.split(":")]
        ok = all(_KEYWORD.fullmatch(p) for p in parts)
        return Validity(True, ok, "afrf")
    return Validity(True, True, "")


def fo_parts(value: str) -> list[str]:
    return [p.strip(" \t") for p in value.split(":")]


def fo_valid_rfc7489(value: str) -> bool:
    """RFC 7489: any colon-separated combination of 0, 1, d, s."""
    return all(p in FO_VALUES for p in fo_parts(value.lower()))


def fo_valid_rfc9989(value: str) -> bool:
    """RFC 9989 ``dmarc-fo``: 0 and 1 mutually exclusive, each value at most once."""
    parts = fo_parts(value.lower())
    if not all(p in FO_VALUES for p in parts):
        return False
    if len(set(parts)) != len(parts):
        return False
    return not ("0" in parts and "1" in parts)


def pct_value(value: str) -> int | None:
    if value.isascii() and value.isdigit() and len(value) <= 3:
        number = int(value)
        if number <= 100:
            return number
    return None


def lower_policy(policy: str) -> str:
    """One level lower (RFC 9989 t=y, RFC 7489 pct sampling): reject->quarantine->none."""
    return {"reject": "quarantine", "quarantine": "none"}.get(policy, "none")

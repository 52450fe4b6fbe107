"""The canonical DMARC record builder (reference s0 item 2).

Canonical form: ``v=DMARC1; p=<policy>; ...`` with ``p`` second (RFC 7489 needs it there),
lower case, no spaces around ``=``, ``; `` between tags, no trailing separator. Some receivers
match the literal prefix ``v=DMARC1``, so nothing else is ever emitted. The builder refuses any
value the linter would call an error, so what it returns always lints without errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sesdmarc_tui.core.dmarc.record import DmarcRecord
from sesdmarc_tui.core.dmarc.uris import parse_uri
from sesdmarc_tui.core.dmarc.values import (
    ALIGNMENT_MODES,
    POLICIES,
    PSD_VALUES,
    YES_NO,
    fo_valid_rfc9989,
)

# p first (after v), then the policy modifiers, then reporting, then RFC 7489 leftovers.
TAG_ORDER = ("p", "sp", "np", "t", "pct", "adkim", "aspf", "psd", "fo", "rua", "ruf", "rf", "ri")


def build_dmarc(
    p: str = "none",
    *,
    sp: str | None = None,
    np: str | None = None,
    adkim: str | None = None,
    aspf: str | None = None,
    t: str | bool | None = None,
    psd: str | None = None,
    fo: str | None = None,
    rua: Sequence[str] = (),
    ruf: Sequence[str] = (),
    pct: int | None = None,
    rf: str | None = None,
    ri: int | None = None,
) -> str:
    """Return the canonical record; raise ``ValueError`` naming the first bad argument.

    ``rua``/``ruf`` entries may be bare addresses (``dmarc@example.com``): ``mailto:`` is added.
    ``t`` takes ``"y"``/``"n"`` or a bool. Tags left as ``None`` (or empty lists) are omitted.
    """
    tags: dict[str, str] = {"p": _choice("p", p, POLICIES)}
    if sp is not None:
        tags["sp"] = _choice("sp", sp, POLICIES)
    if np is not None:
        tags["np"] = _choice("np", np, POLICIES)
    if t is not None:
        tags["t"] = ("y" if t else "n") if isinstance(t, bool) else _choice("t", t, YES_NO)
    if pct is not None:
        if isinstance(pct, bool) or not isinstance(pct, int) or not 0 <= pct <= 100:
            raise ValueError(f"pct must be a whole number from 0 to 100, not {pct!r}")
        tags["pct"] = str(pct)
    if adkim is not None:
        tags["adkim"] = _choice("adkim", adkim, ALIGNMENT_MODES)
    if aspf is not None:
        tags["aspf"] = _choice("aspf", aspf, ALIGNMENT_MODES)
    if psd is not None:
        tags["psd"] = _choice("psd", psd, PSD_VALUES)
    if fo is not None:
        value = str(fo).lower()
        if not fo_valid_rfc9989(value) or " " in value or "\t" in value:
            raise ValueError(f"fo must be 0, 1, d or s joined by ':' (not both 0 and 1): {fo!r}")
        tags["fo"] = value
    for name, given in (("rua", rua), ("ruf", ruf)):
        uris = [given] if isinstance(given, str) else list(given)
        if uris:
            tags[name] = ",".join(_uri(name, u) for u in uris)
    if rf is not None:
        if str(rf).lower() != "afrf":
            raise ValueError(f"rf only takes afrf, not {rf!r}")
        tags["rf"] = "afrf"
    if ri is not None:
        if isinstance(ri, bool) or not isinstance(ri, int) or not 0 <= ri < 2**32:
            raise ValueError(f"ri must be a number of seconds, not {ri!r}")
        tags["ri"] = str(ri)
    return _join(tags)


def canonical_dmarc(record: DmarcRecord) -> str | None:
    """The record's valid, known tags rebuilt in canonical form (None if not a DMARC record).

    Invalid values are dropped, so the result is what receivers effectively read, written the
    way the wizard publishes it. A missing p becomes p=none, as RFC 9989 reads it.
    """
    if record.tags is None:
        return None
    kept: dict[str, str] = {"p": "none"}
    for name in TAG_ORDER:
        if name in record.tags and name not in record.invalid_tags:
            value = record.tags[name]
            if isinstance(value, tuple):
                # The obsolete size suffix goes: RFC 9989 reporters ignore it anyway.
                value = ",".join(
                    u.uri[: -(len(u.size) + 1)] if u.size else u.uri
                    for u in record.uris.get(name, ())
                    if u.valid
                )
                if not value:
                    continue
            kept[name] = value.replace(" ", "").replace("\t", "") if name == "fo" else value
    return _join(kept)


def _join(tags: Mapping[str, str]) -> str:
    ordered = [f"{name}={tags[name]}" for name in TAG_ORDER if name in tags]
    return "; ".join(["v=DMARC1", *ordered])


def _choice(name: str, value: str, allowed: Sequence[str]) -> str:
    text = str(value).lower()
    if text not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return text


def _uri(name: str, value: str) -> str:
    text = str(value).strip()
    if "@" in text and ":" not in text:
        text = f"mailto:{text}"
    parsed = parse_uri(text)
    if not parsed.valid:
        raise ValueError(f"{name}: {parsed.problem}")
    if parsed.size is not None:
        raise ValueError(f"{name}: the size suffix !{parsed.size} is obsolete; leave it out")
    return text

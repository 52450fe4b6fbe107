"""RFC 7208 section 7 macro strings and section 12 domain-spec syntax.

Only syntax is checked here: expansion needs the message (sender, IP, HELO) and happens in the
evaluator (pyspf). A domain-spec is validated before expansion, as RFC 7208 section 7.1 asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# macro-expand = "%{" macro-letter transformers *delimiter "}" ; letters are case-insensitive
# (upper case means URL-escape the expansion).
_MACRO_BODY = re.compile(r"^([slodiphcrtv])([0-9]*)(r?)([.\-+,/_=]*)$", re.IGNORECASE)
_EXP_ONLY_LETTERS = frozenset("crt")
_TOPLABEL = re.compile(
    r"^(?:[0-9a-z]*[a-z][0-9a-z]*|[0-9a-z]+-[0-9a-z-]*[0-9a-z])$",
    re.IGNORECASE,
)
MAX_NAME_OCTETS = 253
MAX_LABEL_OCTETS = 63


class MacroSyntaxError(ValueError):
    """A macro-string or domain-spec that receivers reject with permerror."""


@dataclass(frozen=True)
class MacroToken:
    text: str
    is_macro: bool  # True for %{...}, %%, %_ and %-


def describe_char(char: str) -> str:
    """A safe, readable name for a character that is not allowed in a record."""
    code = ord(char)
    if char == " ":
        return "a space"
    if code < 0x20 or code == 0x7F:
        return f"the control character U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return "a byte that is not valid UTF-8"
    return f"the non-ASCII character U+{code:04X}"


def tokenize_macro_string(text: str, *, explanation: bool = False) -> list[MacroToken]:
    """Split a macro-string into literals and macro-expands; raise ``MacroSyntaxError`` if bad.

    ``explanation`` allows the letters c, r and t, which RFC 7208 section 7.2 reserves for the
    explanation text fetched by ``exp=``.
    """
    tokens: list[MacroToken] = []
    literal_start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            if i > literal_start:
                tokens.append(MacroToken(text[literal_start:i], False))
            nxt = text[i + 1 : i + 2]
            if nxt in ("%", "_", "-"):
                tokens.append(MacroToken(text[i : i + 2], True))
                i += 2
            elif nxt == "{":
                end = text.find("}", i + 2)
                if end < 0:
                    raise MacroSyntaxError(
                        f"the macro starting at {text[i : i + 8]!r} has no closing '}}'"
                    )
                _check_macro_body(text[i + 2 : end], explanation)
                tokens.append(MacroToken(text[i : end + 1], True))
                i = end + 1
            else:
                raise MacroSyntaxError(
                    "a '%' must be followed by '{', '%', '_' or '-' "
                    "(write %% for a literal percent)"
                )
            literal_start = i
            continue
        if not 0x21 <= ord(char) <= 0x7E:
            raise MacroSyntaxError(f"it contains {describe_char(char)}")
        i += 1
    if literal_start < len(text):
        tokens.append(MacroToken(text[literal_start:], False))
    return tokens


def _check_macro_body(body: str, explanation: bool) -> None:
    match = _MACRO_BODY.match(body)
    if match is None:
        raise MacroSyntaxError(
            f"'%{{{body}}}' is not a valid macro (a letter from s l o d i p h v, "
            "optional digits and 'r', optional delimiters)"
        )
    letter, digits = match.group(1).lower(), match.group(2)
    if letter in _EXP_ONLY_LETTERS and not explanation:
        raise MacroSyntaxError(f"the macro letter {letter!r} is allowed only in explanation text")
    if digits and int(digits) == 0:
        raise MacroSyntaxError(f"'%{{{body}}}' asks for zero labels; the number must be nonzero")


def has_macro(text: str) -> bool:
    """True when the text expands per message (``%{...}``), not just escapes like ``%%``."""
    return "%{" in text


def check_domain_spec(text: str) -> str | None:
    """Return why ``text`` is not a valid domain-spec, or None when it is.

    domain-spec = macro-string domain-end; domain-end = ("." toplabel ["."]) / macro-expand.
    Literal names (no macros) are also held to DNS limits: RFC 7208 leaves empty or over-long
    labels undefined, and a record relying on them never matches anything useful.
    """
    if not text:
        return "the domain is empty"
    try:
        tokens = tokenize_macro_string(text)
    except MacroSyntaxError as exc:
        return str(exc)
    if tokens[-1].is_macro:
        return None
    name = text[:-1] if text.endswith(".") else text
    if "." not in name:
        example = text.rstrip(".") + ".example"
        return f"{text!r} is not a fully qualified domain (it needs a dot, e.g. {example})"
    top = name.rsplit(".", 1)[1]
    if not _TOPLABEL.match(top):
        if top.isdigit():
            return f"{text!r} ends in a numeric label; for an address use ip4: instead of a name"
        return f"{text!r} does not end in a valid top-level label ({top!r})"
    if not has_macro(text) and "%" not in text:
        labels = name.split(".")
        if any(not label for label in labels):
            return f"{text!r} has an empty label (two dots in a row or a leading dot)"
        if any(len(label) > MAX_LABEL_OCTETS for label in labels):
            return f"{text!r} has a label longer than 63 characters"
        if len(name) > MAX_NAME_OCTETS:
            return f"{text!r} is longer than 253 characters"
    return None


def is_queryable_name(name: str) -> bool:
    """True when a literal name can be sent to DNS (non-empty labels of at most 63 octets)."""
    bare = name[:-1] if name.endswith(".") else name
    if not bare or len(bare) > MAX_NAME_OCTETS:
        return False
    return all(0 < len(label) <= MAX_LABEL_OCTETS for label in bare.split("."))

"""A tolerant Authentication-Results parser (RFC 8601), for the forms receivers really write.

Handled beyond the strict grammar: Microsoft's header without an authserv-id (``spf=pass
(sender IP is ...) smtp.mailfrom=...; dkim=pass ...;dmarc=pass action=none ...``), Gmail's
``header.i=@domain``, comments anywhere (nested, with escapes), quoted strings holding
semicolons, and values containing ``=`` (base64). Nothing raises: what cannot be read is
listed in ``problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An authserv-id cannot contain "=", so "word=" first means a result without an id.
_METHOD = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(?:/[0-9]+)?$")

# Token kinds: "word", "quoted", "comment", "=".
Token = tuple[str, str]


@dataclass(frozen=True)
class ResInfo:
    method: str  # lower-case, version suffix dropped (dkim/1 -> dkim)
    result: str  # lower-case
    reason: str | None
    props: tuple[tuple[str, str], ...]  # ("header.d", "example.com"), keys lower-case
    comments: tuple[str, ...]
    extras: tuple[tuple[str, str], ...]  # key=value without a dot (Microsoft: action=none)

    def prop(self, name: str) -> str | None:
        key = name.lower()
        return next((v for k, v in self.props if k == key), None)

    def extra(self, name: str) -> str | None:
        key = name.lower()
        return next((v for k, v in self.extras if k == key), None)


@dataclass(frozen=True)
class AuthResults:
    position: int  # among the Authentication-Results fields, top first
    header_index: int  # among all header fields
    authserv_id: str | None  # None for Microsoft's form
    version: str | None
    results: tuple[ResInfo, ...]
    problems: tuple[str, ...]

    def of(self, method: str) -> tuple[ResInfo, ...]:
        return tuple(r for r in self.results if r.method == method)


def _scan_comment(text: str, i: int) -> tuple[str, int]:
    depth = 0
    out: list[str] = []
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if c == "(":
            depth += 1
            if depth > 1:
                out.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                return "".join(out).strip(), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out).strip(), i  # unclosed: take the rest


def _scan_quoted(text: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    return "".join(out), i


def _segments(text: str) -> list[list[Token]]:
    """Tokens split at the semicolons outside comments and quoted strings."""
    segments: list[list[Token]] = [[]]
    i = 0
    after_eq = False  # a value may contain "=" (base64), a name may not
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == ";":
            segments.append([])
            i += 1
            after_eq = False
            continue
        if c == ")":  # a stray closing parenthesis: no comment to end, skip it
            i += 1
            continue
        if c == "(":
            comment, i = _scan_comment(text, i)
            segments[-1].append(("comment", comment))
            continue
        if c == '"':
            quoted, i = _scan_quoted(text, i)
            segments[-1].append(("quoted", quoted))
            after_eq = False
            continue
        if c == "=":
            segments[-1].append(("=", "="))
            i += 1
            after_eq = True
            continue
        stops = ' \t\r\n;()"' if after_eq else ' \t\r\n;()"='
        start = i
        while i < len(text) and text[i] not in stops:
            i += 1
        segments[-1].append(("word", text[start:i]))
        after_eq = False
    return segments


def _pairs(tokens: list[Token]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """key=value pairs, the comments, and the words that belong to no pair."""
    pairs: list[tuple[str, str]] = []
    stray: list[str] = []
    comments = [value for kind, value in tokens if kind == "comment"]
    items = [t for t in tokens if t[0] != "comment"]
    i = 0
    while i < len(items):
        kind, value = items[i]
        if kind in ("word", "quoted") and i + 1 < len(items) and items[i + 1][0] == "=":
            if i + 2 < len(items) and items[i + 2][0] in ("word", "quoted"):
                pairs.append((value, items[i + 2][1]))
                i += 3
            else:
                pairs.append((value, ""))
                i += 2
            continue
        stray.append(value)
        i += 1
    return pairs, comments, stray


def _resinfo(tokens: list[Token], problems: list[str]) -> ResInfo | None:
    pairs, comments, stray = _pairs(tokens)
    if stray:
        problems.append(f"unexpected text {' '.join(stray)[:40]!r}")
    if not pairs:
        return None
    method, result = pairs[0]
    if not _METHOD.match(method):
        problems.append(f"{method[:30]!r} is not a method name")
        return None
    reason = None
    props: list[tuple[str, str]] = []
    extras: list[tuple[str, str]] = []
    for key, value in pairs[1:]:
        name = key.lower()
        if name == "reason" and reason is None:
            reason = value
        elif "." in name:
            props.append((name, value))
        else:
            extras.append((name, value))
    return ResInfo(
        method.lower().partition("/")[0],
        result.lower(),
        reason,
        tuple(props),
        tuple(comments),
        tuple(extras),
    )


def parse_authres(value: str, position: int = 0, header_index: int = 0) -> AuthResults:
    """Parse one Authentication-Results field value (the text after the colon)."""
    segments = _segments(value)
    problems: list[str] = []
    first = segments[0]
    authserv_id = version = None
    rest = segments[1:]
    if len(first) > 1 and first[1][0] == "=" and _METHOD.match(first[0][1]):
        rest = segments  # Microsoft: the header starts straight with a result
    else:
        words = [v for kind, v in first if kind in ("word", "quoted")]
        if words:
            authserv_id = words[0]
            if len(words) > 1 and words[1].isdigit():
                version = words[1]
        else:
            problems.append("no authserv-id")
    results = []
    for segment in rest:
        significant = [t for t in segment if t[0] != "comment"]
        if not significant:
            continue
        if len(significant) == 1 and significant[0][1].lower() == "none":
            continue  # RFC 8601 no-result: the receiver checked nothing
        info = _resinfo(segment, problems)
        if info is not None:
            results.append(info)
    return AuthResults(
        position, header_index, authserv_id, version, tuple(results), tuple(problems)
    )

"""Tolerant reading of DKIM tag=value lists (RFC 6376 s3.2): signatures and key records.

dkimpy rejects a malformed list as a whole; the report still wants d= and s= of a broken
signature, and the reason a key record is unusable, so this reader keeps what it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WSP = re.compile(r"\s+")

# RFC 8301 forbids rsa-sha1 for verifiers; RFC 8463 adds ed25519-sha256.
ACCEPTED_ALGORITHMS = ("rsa-sha256", "ed25519-sha256")
KEY_TYPES = ("rsa", "ed25519")


def parse_tags(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Tags (lower-case names, values with whitespace removed) and the problems met.

    A repeated tag keeps its first value and is reported, as is a part without ``=``.
    """
    tags: dict[str, str] = {}
    problems: list[str] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        key = name.strip().lower()
        if not eq or not key:
            problems.append(f"{part.strip()[:40]!r} is not tag=value")
            continue
        if key in tags:
            problems.append(f"{key}= appears twice")
            continue
        tags[key] = _WSP.sub("", value)
    return tags, tuple(problems)


@dataclass(frozen=True)
class SignatureTags:
    index: int  # among the DKIM-Signature fields, top first (dkimpy's idx)
    d: str | None
    s: str | None
    algorithm: str | None
    identity: str | None  # i=
    body_length: str | None  # l=: unsigned text may follow the signed part of the body
    problems: tuple[str, ...]


def parse_signature(index: int, value: str) -> SignatureTags:
    tags, problems = parse_tags(value)
    missing = [t for t in ("v", "a", "b", "bh", "d", "h", "s") if t not in tags]
    if missing:
        problems = (*problems, "missing " + ", ".join(f"{t}=" for t in missing))
    d = tags.get("d")
    return SignatureTags(
        index=index,
        d=d.rstrip(".").lower() if d else d,
        s=tags.get("s"),
        algorithm=tags["a"].lower() if "a" in tags else None,
        identity=tags.get("i"),
        body_length=tags.get("l"),
        problems=problems,
    )


@dataclass(frozen=True)
class KeyRecord:
    text: str
    tags: dict[str, str]
    problems: tuple[str, ...]

    @property
    def revoked(self) -> bool:
        """RFC 6376 s3.6.1: an empty p= means the key has been revoked."""
        return "p" in self.tags and self.tags["p"] == ""

    @property
    def key_type(self) -> str:
        return self.tags.get("k", "rsa").lower()

    @property
    def usable_shape(self) -> str | None:
        """Why this TXT string cannot be a DKIM key, or None when it looks like one."""
        if "p" not in self.tags:
            return "it has no p= tag, so it is not a DKIM key record"
        if "v" in self.tags and self.tags["v"] != "DKIM1":
            return f"its v= is {self.tags['v'][:20]!r}, not DKIM1"
        return None


def parse_key_record(text: str) -> KeyRecord:
    tags, problems = parse_tags(text)
    return KeyRecord(text, tags, problems)

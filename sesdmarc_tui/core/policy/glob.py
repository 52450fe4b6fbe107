"""IAM wildcard matching, for condition values, resources and action names.

IAM globs know two wildcards: ``*`` (any run of characters, ``/`` included, possibly empty) and
``?`` (exactly one character). Nothing else is special: ``.``, ``+`` and brackets are literals,
which is why a regex such as ``.*`` in a ``StringLike`` value is a mistake.
"""

from __future__ import annotations

import re
from functools import lru_cache

SEND_ACTIONS = (
    "ses:SendEmail",
    "ses:SendRawEmail",
    "ses:SendTemplatedEmail",
    "ses:SendBulkTemplatedEmail",
)


@lru_cache(maxsize=1024)
def _compile(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags)


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """Match all of ``value`` against the IAM glob ``pattern`` (case-sensitive by default)."""
    return _compile(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """IAM action names are case-insensitive; ``ses:Send*`` style globs are allowed."""
    return glob_match(pattern, action, ignore_case=True)


def canonical_send_action(action: str) -> str | None:
    """The documented spelling of an SES send action, or None when it is not one."""
    for known in SEND_ACTIONS:
        if known.lower() == action.lower():
            return known
    return None

"""``ses:FromAddress`` restrictions: exact addresses or IAM globs inside the identity's domain.

SES compares ``ses:FromAddress`` case-sensitively and ``StringLike`` is a glob (``*``, ``?``),
not a regex. The domain part is written lower-case here, so delegates must send with a
lower-case domain (``App@Example.COM`` would not match ``*@example.com``).
"""

from __future__ import annotations

import re

from sesdmarc_tui.core.names import DomainError, is_subdomain, normalize_domain
from sesdmarc_tui.core.policy.arns import IdentityArn
from sesdmarc_tui.core.policy.errors import PolicyInputError

_LOCAL_GLOB_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")
# Regex habits that are valid-looking glob text but mean something else to IAM.
_REGEX_MARKERS = (".*", ".+", "\\", "[", "]", "(", ")", "|")


def looks_like_regex(pattern: str) -> str | None:
    """The regex construct found in ``pattern``, or None."""
    for marker in _REGEX_MARKERS:
        if marker in pattern:
            return marker
    if pattern.startswith("^"):
        return "^"
    if pattern.endswith("$"):
        return "$"
    return None


def validate_from_pattern(pattern: str, identity: IdentityArn) -> str:
    """Check one ``ses:FromAddress`` value for ``identity`` and return it in canonical form.

    Accepted: ``app@example.com``, ``*@example.com``, ``news-?@example.com``,
    ``*@*.example.com`` (any subdomain) and the same under a subdomain of the identity.
    """
    field = "from_address"
    example = f"*@{identity.domain} or app@{identity.domain}"
    value = pattern.strip() if isinstance(pattern, str) else ""
    if not value:
        raise PolicyInputError(
            "The From address pattern is empty.", f"Type {example}.", field=field
        )
    if any(c.isspace() or ord(c) < 0x20 for c in value):
        raise PolicyInputError(
            f"The From address pattern {value!r} contains spaces or control characters.",
            f"Type only the address, for example {example}.",
            field=field,
        )
    marker = looks_like_regex(value)
    if marker is not None:
        raise PolicyInputError(
            f"{value!r} uses regex syntax ({marker!r}); ses:FromAddress patterns are globs.",
            "'*' already matches any run of characters and '?' one character; "
            f"write for example marketing+*@{identity.domain}.",
            field=field,
        )
    if value.count("@") != 1:
        raise PolicyInputError(
            f"{value!r} must contain exactly one '@' separating the local part and the domain.",
            f"For example {example}.",
            field=field,
        )
    local, domain = value.split("@")
    if not _LOCAL_GLOB_RE.fullmatch(local):
        raise PolicyInputError(
            f"The part before '@' in {value!r} is not a valid address local part or glob.",
            f"Use letters, digits, . + - _ and the wildcards * and ?, for example {example}.",
            field=field,
        )
    wildcard_sub = domain.startswith("*.")
    bare = domain[2:] if wildcard_sub else domain
    if "*" in bare or "?" in bare:
        raise PolicyInputError(
            f"The domain in {value!r} has a wildcard inside a label; it would also match "
            "unrelated domains that merely end the same way.",
            f"Use a whole leading label, as in *@*.{identity.domain}, or name the domain exactly.",
            field=field,
        )
    try:
        canonical = normalize_domain(bare)
    except DomainError as exc:
        raise PolicyInputError(
            f"The domain in {value!r} is not valid: {exc.message}", exc.hint, field=field
        ) from None
    if not is_subdomain(canonical, identity.domain):
        raise PolicyInputError(
            f"{canonical} is outside the identity {identity.name}; SES would refuse that From "
            "address however the policy is written.",
            f"Use the identity's domain or a subdomain of it, for example {example}.",
            field=field,
        )
    # An address identity authorizes that one address: a glob or another local part in the
    # policy would only say more than SES will ever allow.
    if not identity.is_domain and (wildcard_sub or f"{local}@{canonical}" != identity.name):
        raise PolicyInputError(
            f"{value!r} is outside the address identity {identity.name}.",
            f"An address identity only sends as itself: use {identity.name}.",
            field=field,
        )
    return f"{local}@{'*.' if wildcard_sub else ''}{canonical}"

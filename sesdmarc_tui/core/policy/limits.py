"""SES identity-policy limits: 4 KB per policy, 20 policies per identity (DG policy anatomy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sesdmarc_tui.core.policy.errors import PolicyLimitError
from sesdmarc_tui.core.policy.ids import validate_policy_name

MAX_POLICY_BYTES = 4096
MAX_POLICIES_PER_IDENTITY = 20


def policy_size(text: str) -> int:
    """Size in bytes of the JSON text as it would be sent (UTF-8)."""
    return len(text.encode("utf-8"))


def check_policy_size(text: str) -> int:
    """Return the size of ``text``; raise ``PolicyLimitError`` when it is over 4 KB."""
    size = policy_size(text)
    if size > MAX_POLICY_BYTES:
        over = size - MAX_POLICY_BYTES
        raise PolicyLimitError(
            f"The policy is {size} bytes, {over} bytes over the SES limit of "
            f"{MAX_POLICY_BYTES} bytes per policy.",
            "Pick a common parent OU and allow its whole subtree instead of listing many OUs, "
            "or split the scopes across two policies on the same identity.",
            field="policy",
        )
    return size


@dataclass(frozen=True)
class PolicyCountCheck:
    """Whether saving ``name`` fits in the 20 policies an identity may carry."""

    allowed: bool
    is_update: bool
    count_after: int
    message: str
    hint: str = ""


def check_policy_count(existing_names: Iterable[str], new_name: str) -> PolicyCountCheck:
    """Creating a 21st policy fails; writing to a name that exists is an update and always fits.

    Names compare exactly (SES policy names are case-sensitive). The caller still has to pick
    UpdateEmailIdentityPolicy for an update: CreateEmailIdentityPolicy is not an upsert.
    """
    name = validate_policy_name(new_name)
    existing = set(existing_names)
    if name in existing:
        return PolicyCountCheck(
            True,
            True,
            len(existing),
            f"A policy named {name!r} exists: it will be updated ({len(existing)} of "
            f"{MAX_POLICIES_PER_IDENTITY} policies in use).",
        )
    after = len(existing) + 1
    if after > MAX_POLICIES_PER_IDENTITY:
        return PolicyCountCheck(
            False,
            False,
            after,
            f"The identity already has {len(existing)} policies; SES allows "
            f"{MAX_POLICIES_PER_IDENTITY}, so a new one named {name!r} cannot be created.",
            "Update one of the existing policies instead (pick its name), or delete one you "
            "no longer need.",
        )
    return PolicyCountCheck(
        True,
        False,
        after,
        f"A new policy {name!r} will be created ({after} of {MAX_POLICIES_PER_IDENTITY}).",
    )


def require_policy_slot(existing_names: Iterable[str], new_name: str) -> PolicyCountCheck:
    """``check_policy_count`` that raises ``PolicyLimitError`` instead of returning a refusal."""
    check = check_policy_count(existing_names, new_name)
    if not check.allowed:
        raise PolicyLimitError(check.message, check.hint, field="policy_name")
    return check

"""DMARC identifier alignment (RFC 9989 s3.2.10, RFC 7489 s3.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

AlignmentMode = Literal["r", "s"]
OrgDomainFn = Callable[[str], str]


def _canon(name: str) -> str:
    return name.rstrip(".").lower()


def strictly_aligned(identifier: str, author_domain: str) -> bool:
    """Strict alignment: the two names are identical (case-insensitive)."""
    # Compare canonical forms: "." is empty once the root dot goes, and must not align with itself.
    return bool(_canon(identifier)) and _canon(identifier) == _canon(author_domain)


def relaxed_aligned(identifier: str, author_domain: str, org_domain: OrgDomainFn) -> bool:
    """Relaxed alignment: both names share one organizational domain.

    ``org_domain`` decides which rule applies: the PSL (RFC 7489) or the tree walk (RFC 9989).
    """
    if not _canon(identifier) or not _canon(author_domain):
        return False
    if strictly_aligned(identifier, author_domain):
        return True
    return _canon(org_domain(_canon(identifier))) == _canon(org_domain(_canon(author_domain)))


def aligned(
    identifier: str, author_domain: str, mode: AlignmentMode, org_domain: OrgDomainFn
) -> bool:
    if mode == "s":
        return strictly_aligned(identifier, author_domain)
    return relaxed_aligned(identifier, author_domain, org_domain)

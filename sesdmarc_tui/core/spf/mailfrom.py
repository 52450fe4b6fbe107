"""The two records SES needs at a custom MAIL FROM domain (reference email-auth.md section 5).

Values are plain presentation strings without quotes or trailing dots; the records module wraps
them with names, TTLs and zone-file or API formatting.
"""

from __future__ import annotations

import re

from sesdmarc_tui.core.names import normalize_domain

MAIL_FROM_SPF = "v=spf1 include:amazonses.com ~all"
MX_PREFERENCE = 10
# Loose on purpose: new regions appear (il-central-1, mx-central-1, ap-southeast-7) and the
# region table lives elsewhere. This only refuses what cannot be a region code.
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$")


class RegionError(ValueError):
    """Not an AWS region code such as us-east-1."""


def validate_region(region: str) -> str:
    """The region in canonical form (lower case, trimmed), or ``RegionError`` saying why not."""
    value = region.strip().lower() if isinstance(region, str) else ""
    if not _REGION.match(value):
        raise RegionError(
            f"{region!r} is not an AWS region code; use the form of us-east-1 or eu-west-2."
        )
    return value


def feedback_host(region: str) -> str:
    return f"feedback-smtp.{validate_region(region)}.amazonses.com"


def mail_from_records(mail_from_domain: str, region: str) -> tuple[str, str]:
    """``(mx_value, txt_value)`` for the MAIL FROM domain in ``region``.

    Raises ``DomainError`` for a bad domain and ``RegionError`` for a bad region. The domain is
    validated even though the values do not contain it, so callers cannot build records for a
    name that could never be published.
    """
    normalize_domain(mail_from_domain, min_labels=2)
    return f"{MX_PREFERENCE} {feedback_host(region)}", MAIL_FROM_SPF

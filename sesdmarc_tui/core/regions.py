"""The AWS regions where Amazon SES runs, and the per-region DNS names SES asks for.

The table is the union of the SES v2 ``DkimSigningAttributesOrigin`` (DEED) enum and the
``email`` service endpoints in botocore 1.44.8's ``endpoints.json`` (commercial and GovCloud
partitions; the ``fips-*`` pseudo-regions left out). The regional DKIM zones come from the AWS
General Reference table as rebuilt in ``reference/ses-api.md`` s1.4. Six regions that botocore
knows but that table does not cover (ap-east-2, ap-southeast-4, ap-southeast-6, ap-southeast-7,
eu-south-2, mx-central-1) carry ``dkim_zone_confirmed=False``: their zone is the documented default
only because nothing better is known, so callers should insist on ``SigningHostedZone`` there.
The European Sovereign Cloud (``eusc-de-east-1``, partition ``aws-eusc``) is left out: neither its
DKIM zone nor its feedback host is documented anywhere we can check.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from sesdmarc_tui.core.names import DomainError, normalize_domain

Partition = Literal["aws", "aws-us-gov"]

DEFAULT_DKIM_ZONE = "dkim.amazonses.com"
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
# SES Easy DKIM tokens are 32 lower-case alphanumerics; the range is wider so that a change in
# token length at AWS does not lock operators out, while pasted junk (dots, spaces) is refused.
DKIM_TOKEN_RE = re.compile(r"^[a-z0-9]{16,64}$")


class UnknownRegionError(ValueError):
    """A region name SES does not run in; ``hint`` names the closest SES regions."""

    def __init__(self, message: str, hint: str = "", suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.suggestions = suggestions

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


@dataclass(frozen=True)
class Region:
    name: str
    description: str
    partition: Partition
    dkim_zone: str
    feedback_host: str
    # False where the DKIM zone is the default by assumption, not by a documented table entry.
    dkim_zone_confirmed: bool = True

    @property
    def endpoint(self) -> str:
        """The SES API host (v1 and v2 share it) in this region."""
        return f"email.{self.name}.amazonaws.com"

    @property
    def label(self) -> str:
        """``us-east-1 (US East (N. Virginia))``, as a region picker shows it."""
        return f"{self.name} ({self.description})"


# name -> (description from botocore, regional DKIM zone?, DKIM zone confirmed?)
_TABLE: tuple[tuple[str, str, bool, bool], ...] = (
    ("us-east-1", "US East (N. Virginia)", False, True),
    ("us-east-2", "US East (Ohio)", False, True),
    ("us-west-1", "US West (N. California)", False, True),
    ("us-west-2", "US West (Oregon)", False, True),
    ("af-south-1", "Africa (Cape Town)", True, True),
    ("ap-east-2", "Asia Pacific (Taipei)", False, False),
    ("ap-south-1", "Asia Pacific (Mumbai)", False, True),
    ("ap-south-2", "Asia Pacific (Hyderabad)", True, True),
    ("ap-northeast-1", "Asia Pacific (Tokyo)", False, True),
    ("ap-northeast-2", "Asia Pacific (Seoul)", False, True),
    ("ap-northeast-3", "Asia Pacific (Osaka)", True, True),
    ("ap-southeast-1", "Asia Pacific (Singapore)", False, True),
    ("ap-southeast-2", "Asia Pacific (Sydney)", False, True),
    ("ap-southeast-3", "Asia Pacific (Jakarta)", True, True),
    ("ap-southeast-4", "Asia Pacific (Melbourne)", False, False),
    ("ap-southeast-5", "Asia Pacific (Malaysia)", True, True),
    ("ap-southeast-6", "Asia Pacific (New Zealand)", False, False),
    ("ap-southeast-7", "Asia Pacific (Thailand)", False, False),
    ("ca-central-1", "Canada (Central)", False, True),
    ("ca-west-1", "Canada West (Calgary)", True, True),
    ("eu-central-1", "Europe (Frankfurt)", False, True),
    ("eu-central-2", "Europe (Zurich)", True, True),
    ("eu-north-1", "Europe (Stockholm)", False, True),
    ("eu-south-1", "Europe (Milan)", True, True),
    ("eu-south-2", "Europe (Spain)", False, False),
    ("eu-west-1", "Europe (Ireland)", False, True),
    ("eu-west-2", "Europe (London)", False, True),
    ("eu-west-3", "Europe (Paris)", False, True),
    ("il-central-1", "Israel (Tel Aviv)", True, True),
    ("me-central-1", "Middle East (UAE)", True, True),
    ("me-south-1", "Middle East (Bahrain)", False, True),
    ("mx-central-1", "Mexico (Central)", False, False),
    ("sa-east-1", "South America (Sao Paulo)", False, True),
    ("us-gov-east-1", "AWS GovCloud (US-East)", True, True),
    ("us-gov-west-1", "AWS GovCloud (US-West)", False, True),
)

# AWS regions that exist but have no SES endpoint: a clearer message than "unknown".
_NON_SES_REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "ap-east-1": "Asia Pacific (Hong Kong)",
        "cn-north-1": "China (Beijing)",
        "cn-northwest-1": "China (Ningxia)",
        "eusc-de-east-1": "AWS European Sovereign Cloud (Germany)",
    }
)


def _build(name: str, description: str, regional: bool, confirmed: bool) -> Region:
    partition: Partition = "aws-us-gov" if name.startswith("us-gov-") else "aws"
    return Region(
        name=name,
        description=description,
        partition=partition,
        dkim_zone=f"dkim.{name}.amazonses.com" if regional else DEFAULT_DKIM_ZONE,
        feedback_host=f"feedback-smtp.{name}.amazonses.com",
        dkim_zone_confirmed=confirmed,
    )


SES_REGIONS: Mapping[str, Region] = MappingProxyType({row[0]: _build(*row) for row in _TABLE})


def ses_region_names() -> tuple[str, ...]:
    return tuple(SES_REGIONS)


def _suggest(key: str) -> tuple[str, ...]:
    close = difflib.get_close_matches(key, list(SES_REGIONS), n=3, cutoff=0.6)
    # Operators often know the city, not the code: "frankfurt" -> eu-central-1.
    if len(key) >= 3:
        by_city = [
            r.name
            for r in SES_REGIONS.values()
            if key.replace("-", " ") in r.description.lower() and r.name not in close
        ]
        close = [*by_city[:3], *close]
    return tuple(close[:3])


def ses_region(name: str | Region) -> Region:
    """The SES region called ``name`` (any case, surrounding spaces, ``_`` for ``-``)."""
    if isinstance(name, Region):
        return name
    if not isinstance(name, str):
        raise UnknownRegionError("A region name must be text.", "Type a name such as us-east-1.")
    key = name.strip().lower().replace("_", "-")
    region = SES_REGIONS.get(key)
    if region is not None:
        return region
    if not key:
        raise UnknownRegionError("The region is empty.", "Type a region such as us-east-1.")
    if key in _NON_SES_REGIONS:
        raise UnknownRegionError(
            f"Amazon SES is not available in {key} ({_NON_SES_REGIONS[key]}).",
            "Pick a region where SES runs, for example the nearest one to your users.",
        )
    suggestions = _suggest(key)
    hint = (
        f"Did you mean {', '.join(suggestions)}?"
        if suggestions
        else "SES regions look like us-east-1 or eu-west-2."
    )
    raise UnknownRegionError(
        f"{name.strip()!r} is not an AWS region where Amazon SES runs.", hint, suggestions
    )


def _signing_zone(signing_hosted_zone: str) -> str | None:
    zone = signing_hosted_zone.strip().rstrip(".")
    if not zone:
        return None
    try:
        return normalize_domain(zone)
    except DomainError as exc:
        raise DomainError(
            f"SES returned an unusable SigningHostedZone {signing_hosted_zone!r}: {exc.message}",
            "Report this; the per-region table cannot be trusted in its place.",
        ) from None


def dkim_target_zone(region: str | Region, signing_hosted_zone: str | None = None) -> str:
    """The zone that Easy DKIM CNAMEs point into.

    ``SigningHostedZone`` from SES wins over the table: it is authoritative and also covers
    regions newer than this table. An empty value counts as absent.
    """
    if signing_hosted_zone:
        zone = _signing_zone(signing_hosted_zone)
        if zone is not None:
            return zone
    return ses_region(region).dkim_zone


def normalize_dkim_token(token: str) -> str:
    """A lower-cased Easy DKIM token, or ``ValueError`` if it cannot be one."""
    t = token.strip().lower() if isinstance(token, str) else ""
    if not DKIM_TOKEN_RE.match(t):
        raise ValueError(
            f"{token!r} does not look like an Easy DKIM token "
            "(SES tokens are 32 lower-case letters and digits)."
        )
    return t


def dkim_cname_target(
    token: str, region: str | Region, signing_hosted_zone: str | None = None
) -> str:
    """``<token>.<zone>``: the value of the CNAME at ``<token>._domainkey.<domain>``."""
    return f"{normalize_dkim_token(token)}.{dkim_target_zone(region, signing_hosted_zone)}"


def mail_from_mx_host(region: str | Region) -> str:
    """The host the MAIL FROM domain's single MX must point to."""
    return ses_region(region).feedback_host


def identity_arn(region: str | Region, account: str, identity: str) -> str:
    """``arn:<partition>:ses:<region>:<account>:identity/<identity>``.

    Domains are normalised (case-insensitive in SES); an address keeps its local part as typed,
    because SES address identities are case-sensitive.
    """
    r = ses_region(region)
    acct = account.strip() if isinstance(account, str) else ""
    if not ACCOUNT_ID_RE.match(acct):
        raise ValueError(f"{account!r} is not an AWS account ID (12 digits).")
    ident = identity.strip()
    if "@" in ident:
        local, _, domain = ident.rpartition("@")
        if not local:
            raise ValueError(f"{identity!r} has no local part before the @.")
        ident = f"{local}@{normalize_domain(domain, min_labels=2)}"
    else:
        ident = normalize_domain(ident, min_labels=2)
    return f"arn:{r.partition}:ses:{r.name}:{acct}:identity/{ident}"

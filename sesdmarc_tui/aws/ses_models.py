"""Typed views of SES v2 responses, read defensively.

Real AWS omits fields the model marks required (``MailFromAttributes`` with only
``BehaviorOnMxFailure`` when no MAIL FROM is set) and moto omits more, so every field is read
with ``.get()`` and a missing one becomes ``None``, never a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

KeyLength = Literal["RSA_1024_BIT", "RSA_2048_BIT"]
MailFromBehavior = Literal["USE_DEFAULT_VALUE", "REJECT_MESSAGE"]
IdentityOutcome = Literal["created", "adopted", "read"]
Enforcement = Literal["healthy", "probation", "shutdown", "unknown"]

_ENFORCEMENT: Mapping[str, Enforcement] = MappingProxyType(
    {"HEALTHY": "healthy", "PROBATION": "probation", "SHUTDOWN": "shutdown"}
)
MAIL_FROM_BEHAVIORS: tuple[MailFromBehavior, ...] = ("USE_DEFAULT_VALUE", "REJECT_MESSAGE")


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True)
class MailFromAttributes:
    domain: str | None = None
    status: str | None = None
    behavior_on_mx_failure: str | None = None

    @property
    def configured(self) -> bool:
        return self.domain is not None


@dataclass(frozen=True)
class IdentityStatus:
    """What SES knows about one domain identity in one account and region.

    ``verification_status`` is the one to trust: AWS keeps a stale ``verification_error``
    (``HOST_NOT_FOUND``) next to ``SUCCESS``. It is ``None`` for a CreateEmailIdentity answer,
    which carries no verification status at all.
    """

    domain: str
    region: str
    outcome: IdentityOutcome = "read"
    identity_type: str | None = None
    verification_status: str | None = None
    verified_for_sending: bool = False
    verification_error: str | None = None
    dkim_status: str | None = None
    dkim_signing_enabled: bool = False
    dkim_tokens: tuple[str, ...] = ()
    signing_hosted_zone: str | None = None
    signing_origin: str | None = None
    current_key_length: str | None = None
    next_key_length: str | None = None
    mail_from: MailFromAttributes = field(default_factory=MailFromAttributes)
    policies: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    configuration_set: str | None = None

    @property
    def dkim_verified(self) -> bool:
        return self.dkim_status == "SUCCESS"

    @property
    def needs_action(self) -> bool:
        """FAILED DKIM stays failed: SES stops checking, so the operator has to act."""
        return self.dkim_status == "FAILED" or self.verification_status == "FAILED"


def parse_identity(
    domain: str, region: str, response: Mapping[str, Any], outcome: IdentityOutcome
) -> IdentityStatus:
    """Build an :class:`IdentityStatus` from a Get- or CreateEmailIdentity response."""
    dkim = response.get("DkimAttributes") or {}
    mail_from = response.get("MailFromAttributes") or {}
    info = response.get("VerificationInfo") or {}
    zone = _str(dkim.get("SigningHostedZone"))
    policies = response.get("Policies") or {}
    return IdentityStatus(
        domain=domain,
        region=region,
        outcome=outcome,
        identity_type=_str(response.get("IdentityType")),
        verification_status=_str(response.get("VerificationStatus")),
        verified_for_sending=bool(response.get("VerifiedForSendingStatus", False)),
        verification_error=_str(info.get("ErrorType")),
        dkim_status=_str(dkim.get("Status")),
        dkim_signing_enabled=bool(dkim.get("SigningEnabled", False)),
        dkim_tokens=tuple(str(t) for t in dkim.get("Tokens") or ()),
        # Stubs and some SDKs hand the zone back absolute ("dkim.amazonses.com.").
        signing_hosted_zone=zone.rstrip(".") if zone else None,
        signing_origin=_str(dkim.get("SigningAttributesOrigin")),
        current_key_length=_str(dkim.get("CurrentSigningKeyLength")),
        next_key_length=_str(dkim.get("NextSigningKeyLength")),
        mail_from=MailFromAttributes(
            domain=_str(mail_from.get("MailFromDomain")),
            status=_str(mail_from.get("MailFromDomainStatus")),
            behavior_on_mx_failure=_str(mail_from.get("BehaviorOnMxFailure")),
        ),
        policies=MappingProxyType({str(k): str(v) for k, v in policies.items()}),
        configuration_set=_str(response.get("ConfigurationSetName")),
    )


@dataclass(frozen=True)
class AccountStatus:
    """``GetAccount`` in one region: sandbox, quotas, enforcement."""

    region: str
    production_access: bool
    sending_enabled: bool
    max_24_hour_send: float | None
    max_send_rate: float | None
    sent_last_24_hours: float | None
    enforcement_status: str | None
    review_status: str | None = None
    review_case_id: str | None = None

    @property
    def in_sandbox(self) -> bool:
        return not self.production_access

    @property
    def unlimited_daily_quota(self) -> bool:
        return self.max_24_hour_send is not None and self.max_24_hour_send < 0

    @property
    def enforcement(self) -> Enforcement:
        """The documented value, lower-cased; a value AWS adds later is ``unknown``."""
        return _ENFORCEMENT.get((self.enforcement_status or "").strip().upper(), "unknown")


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def parse_account(region: str, response: Mapping[str, Any]) -> AccountStatus:
    quota = response.get("SendQuota") or {}
    review = (response.get("Details") or {}).get("ReviewDetails") or {}
    return AccountStatus(
        region=region,
        production_access=bool(response.get("ProductionAccessEnabled", False)),
        sending_enabled=bool(response.get("SendingEnabled", False)),
        max_24_hour_send=_float(quota.get("Max24HourSend")),
        max_send_rate=_float(quota.get("MaxSendRate")),
        sent_last_24_hours=_float(quota.get("SentLast24Hours")),
        enforcement_status=_str(response.get("EnforcementStatus")),
        review_status=_str(review.get("Status")),
        review_case_id=_str(review.get("CaseId")),
    )

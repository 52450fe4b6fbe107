"""Zones and a stub SES for the ``check`` tests: a healthy example.test and the pieces to break it.

``amazonses.com`` and ``other.test`` (an external DMARC report destination) get knot servers of
their own, so SPF includes and ``_report._dmarc`` authorizations resolve on loopback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.ses_models import IdentityStatus, MailFromAttributes

DOMAIN = "example.test"
ACCOUNT = "111122223333"
AMAZONSES_ZONE = ['amazonses.com. 300 IN TXT "v=spf1 ip4:199.255.192.0/22 ip4:54.240.0.0/18 -all"']
OTHER_ZONE = ['example.test._report._dmarc.other.test. 300 IN TXT "v=DMARC1;"']

APEX_SPF = 'example.test. 300 IN TXT "v=spf1 include:amazonses.com -all"'
MAIL_MX = "mail 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com."
MAIL_SPF = 'mail 300 IN TXT "v=spf1 include:amazonses.com ~all"'
DMARC = '_dmarc 300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"'
HEALTHY = [APEX_SPF, MAIL_MX, MAIL_SPF, DMARC]


def tokens(prefix: str) -> tuple[str, str, str]:
    """Three Easy-DKIM-shaped tokens (32 lower-case alphanumerics)."""
    return tuple(f"{prefix}{i}".ljust(32, "a") for i in range(1, 4))  # type: ignore[return-value]


US_TOKENS = tokens("us")
EU_TOKENS = tokens("eu")


def dkim_lines(toks: tuple[str, ...], zone: str = "dkim.amazonses.com") -> list[str]:
    return [f"{t}._domainkey 1800 IN CNAME {t}.{zone}." for t in toks]


POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"AllowOU","Effect":"Allow","Principal":"*",'
    '"Action":["ses:SendEmail","ses:SendRawEmail"],'
    f'"Resource":"arn:aws:ses:us-east-1:{ACCOUNT}:identity/example.test",'
    '"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},'
    '"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}}]}'
)


def identity(
    region: str = "us-east-1",
    toks: tuple[str, ...] = US_TOKENS,
    *,
    status: str = "SUCCESS",
    mail_from: str | None = "mail.example.test",
    mail_from_status: str = "SUCCESS",
    behaviour: str = "USE_DEFAULT_VALUE",
    policies: Mapping[str, str] | None = None,
) -> IdentityStatus:
    return IdentityStatus(
        domain=DOMAIN,
        region=region,
        identity_type="DOMAIN",
        verification_status=status,
        verified_for_sending=status == "SUCCESS",
        dkim_status=status,
        dkim_signing_enabled=True,
        dkim_tokens=tuple(toks),
        signing_hosted_zone=None,
        mail_from=MailFromAttributes(mail_from, mail_from_status if mail_from else None, behaviour),
        policies=MappingProxyType(dict(policies or {})),
    )


@dataclass
class StubSes:
    """A ``SessionFactory``: identities by region; a region not listed has no identity."""

    identities: dict[str, IdentityStatus | None] = field(default_factory=dict)
    default_region: str = "us-east-1"
    error: AwsError | None = None
    asked: list[tuple[str | None, str | None]] = field(default_factory=list)

    def __call__(self, profile: str | None, region: str | None) -> _Reader:
        self.asked.append((profile, region))
        if self.error is not None:
            raise self.error
        return _Reader(self, region or self.default_region)


@dataclass
class _Reader:
    stub: StubSes
    region: str

    def get_identity(self, domain: str) -> IdentityStatus | None:
        found = self.stub.identities.get(self.region)
        return replace(found, domain=domain) if found is not None else None

    def account_id(self) -> str | None:
        return ACCOUNT


def no_credentials() -> StubSes:
    """A reader factory failing as boto3 does on a machine without any AWS credentials."""
    return StubSes(
        error=AwsError(
            ErrorKind.NO_CREDENTIALS,
            "No AWS credentials were found.",
            "Pick a profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
        )
    )

"""Reading the SES side of a check: the domain identity in each region, never changing anything.

A check without AWS credentials is still worth running (the DNS half), so every credential or
configuration failure becomes a ``Skipped`` entry with the remedy, not an exception. Failures
that concern one region only (access denied, region disabled) become warnings for that region.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.checklist import Area, CheckItem, Severity, Skipped


class SesReader(Protocol):
    """The read-only SES calls a check needs, for one account and region."""

    @property
    def region(self) -> str: ...

    def get_identity(self, domain: str) -> IdentityStatus | None: ...

    def account_id(self) -> str | None: ...


SessionFactory = Callable[[str | None, str | None], SesReader]
"""``factory(profile, region) -> SesReader``; region ``None`` means the profile's own."""

# The same credentials serve every region: one of these ends the SES half at once.
_CREDENTIAL_KINDS = frozenset(
    {
        ErrorKind.NO_CREDENTIALS,
        ErrorKind.EXPIRED_CREDENTIALS,
        ErrorKind.INVALID_CREDENTIALS,
        ErrorKind.PROFILE_NOT_FOUND,
        ErrorKind.INVALID_CONFIG,
        ErrorKind.NO_REGION,
    }
)
SES_AREAS = (Area.SES, Area.DKIM, Area.AUTHORIZATION)


class AwsSesReader:
    """The real reader: an ``AwsSession`` for the profile and region, and the SES adapter."""

    def __init__(self, profile: str | None, region: str | None) -> None:
        from sesdmarc_tui.aws.ses import SesAdapter
        from sesdmarc_tui.aws.session import AwsSession

        self._session = AwsSession.from_profile(profile, region)
        self._ses = SesAdapter(self._session)

    @property
    def region(self) -> str:
        return self._session.region

    def get_identity(self, domain: str) -> IdentityStatus | None:
        return self._ses.get_identity(domain)

    def account_id(self) -> str | None:
        return self._session.account_id


@dataclass(frozen=True)
class SesView:
    """What SES said, per region read; ``readable`` is False when nothing could be read."""

    identities: tuple[tuple[str, IdentityStatus | None], ...] = ()
    account_id: str | None = None
    items: tuple[CheckItem, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    @property
    def readable(self) -> bool:
        return bool(self.identities)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(region for region, _ in self.identities)

    def found(self) -> list[IdentityStatus]:
        return [identity for _, identity in self.identities if identity is not None]


def _credentials_skipped(error: AwsError) -> tuple[Skipped, ...]:
    why = f"{error.message} {error.remedy}".strip()
    return (
        Skipped(Area.SES, f"SES was not read: {why}"),
        Skipped(
            Area.DKIM,
            "The DKIM CNAME names come from the tokens SES returns for the identity; without "
            "reading SES they cannot be known, so no DKIM record was checked.",
        ),
        Skipped(Area.AUTHORIZATION, "Identity policies live in SES, which was not read."),
        Skipped(
            Area.MAIL_FROM,
            "Whether SES uses the MAIL FROM domain (activation, status, behaviour on MX "
            "failure) needs SES, which was not read; only its DNS records were checked.",
        ),
    )


def _region_unreadable(region: str | None, error: AwsError) -> CheckItem:
    where = region or "the profile's region"
    return CheckItem(
        Area.SES,
        "ses_unreadable",
        Severity.WARNING,
        f"Could not read the SES identity in {where}",
        error.message,
        error.remedy or "Check the profile's permissions (ses:GetEmailIdentity) and retry.",
    )


def read_ses(
    domain: str, regions: Sequence[str], profile: str | None, factory: SessionFactory
) -> SesView:
    """Read the identity in each region (the profile's region when ``regions`` is empty)."""
    identities: list[tuple[str, IdentityStatus | None]] = []
    items: list[CheckItem] = []
    skipped: list[Skipped] = []
    account: str | None = None
    wanted: list[str | None] = [*regions] or [None]
    for region in wanted:
        try:
            reader = factory(profile, region)
            identity = reader.get_identity(domain)
        except AwsError as error:
            if error.kind in _CREDENTIAL_KINDS:
                return SesView(skipped=_credentials_skipped(error))
            items.append(_region_unreadable(region, error))
            skipped.append(Skipped(Area.DKIM, f"No DKIM tokens for {region}: SES was not read."))
            continue
        identities.append((reader.region, identity))
        if account is None and identity is not None and identity.policies:
            account = _account(reader)
    return SesView(tuple(identities), account, tuple(items), tuple(skipped))


def _account(reader: SesReader) -> str | None:
    """The owner account, for the identity ARN that policies must name (None if unknown)."""
    try:
        return reader.account_id()
    except AwsError:
        return None

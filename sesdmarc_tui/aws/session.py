"""AWS sessions: a profile or credentials, an SES region, optional endpoint, cached clients.

An :class:`AwsSession` is the only thing adapters receive. It owns the botocore client
configuration (timeouts, retries, user agent) so that every adapter behaves the same, and it
turns construction failures (unknown profile, expired SSO, no region) into ``AwsError``.
boto3 is imported inside functions only.

The offline sandbox passes an ``endpoint_url``; otherwise boto3 itself honours
``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_<SERVICE>`` and the profile's ``endpoint_url``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui import __version__
from sesdmarc_tui.aws._boto import new_boto3_session
from sesdmarc_tui.aws.errors import AwsError, ErrorKind, translate
from sesdmarc_tui.aws.profiles import ENVIRONMENT_PROFILE
from sesdmarc_tui.aws.retry_notes import watch_retries
from sesdmarc_tui.aws.sts import RENEW_MARGIN_SECONDS, check_role_request, role_credentials_fetcher
from sesdmarc_tui.core.regions import UnknownRegionError, ses_region

# Services whose throttling and retries we handle ourselves (pacing.call_with_backoff).
SELF_RETRIED_SERVICES = frozenset({"sesv2", "ses"})


@dataclass(frozen=True)
class ClientSettings:
    """botocore client knobs. SES gets a single attempt per call: botocore's standard mode
    would otherwise retry ``LimitExceededException`` silently, and our back-off reports waits."""

    max_attempts: int = 3
    self_retried_max_attempts: int = 1
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    def botocore_config(self, service: str) -> Any:
        from botocore.config import Config

        attempts = (
            self.self_retried_max_attempts
            if service in SELF_RETRIED_SERVICES
            else self.max_attempts
        )
        return Config(
            retries={"mode": "standard", "total_max_attempts": max(1, attempts)},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            user_agent_extra=f"sesdmarc/{__version__}",
        )


@dataclass(frozen=True)
class CallerIdentity:
    account: str
    arn: str
    user_id: str

    @property
    def principal(self) -> str:
        """The role or user name part of the ARN (``OrganizationAccountAccessRole``, ``alice``)."""
        tail = self.arn.split(":", 5)[-1]
        parts = tail.split("/")
        return parts[1] if len(parts) > 1 else tail


def _validated_region(region: str | None) -> str:
    if not region:
        raise AwsError(
            ErrorKind.NO_REGION,
            "No AWS region was chosen.",
            "Pick an SES region, or set `region` in the profile.",
        )
    try:
        return ses_region(region).name
    except UnknownRegionError as exc:
        raise AwsError(ErrorKind.INVALID_INPUT, exc.message, exc.hint) from None


class AwsSession:
    """A boto3 session bound to one SES region, with one cached client per service."""

    def __init__(
        self,
        boto_session: Any,
        *,
        region: str,
        profile: str | None = None,
        endpoint_url: str | None = None,
        settings: ClientSettings | None = None,
        account_id: str | None = None,
        label: str | None = None,
        renew: Callable[[], tuple[Any, float | None]] | None = None,
        expires_at: float | None = None,
    ) -> None:
        self.region = _validated_region(region)
        self.profile = profile
        self.endpoint_url = endpoint_url
        self.settings = settings or ClientSettings()
        self.label = label or (profile or "default profile")
        self._boto = boto_session
        self._account_id = account_id
        self._identity: CallerIdentity | None = None
        self._renew = renew
        self._expires_at = expires_at
        self._clients: dict[str, Any] = {}
        self._lock = threading.RLock()
        # Hears of every retry botocore makes on its own (all services but SES); set by the
        # flow so that a throttled Route 53 change says so instead of looking hung.
        self.on_retry: Callable[[str], None] | None = None
        watch_retries(self._boto, self._report_retry)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_profile(
        cls,
        profile: str | None,
        region: str | None = None,
        *,
        endpoint_url: str | None = None,
        settings: ClientSettings | None = None,
    ) -> AwsSession:
        """A session for a named profile; ``None``/``"environment"`` use the default chain."""
        name = None if profile in (None, ENVIRONMENT_PROFILE) else profile
        try:
            boto = new_boto3_session(profile_name=name, region_name=region)
            if name is not None and name not in boto.available_profiles:
                raise AwsError(
                    ErrorKind.PROFILE_NOT_FOUND,
                    f"The AWS profile {name!r} is not in the AWS config or credentials file.",
                    "Pick one of the listed profiles, or create it with "
                    "`aws configure --profile NAME`.",
                    profile=profile,
                )
            default_region = region or boto.region_name
        except Exception as exc:
            raise translate(exc, profile=profile, region=region) from exc
        return cls(
            boto,
            region=_validated_region(default_region),
            profile=profile,
            endpoint_url=endpoint_url,
            settings=settings,
        )

    @classmethod
    def from_credentials(
        cls,
        access_key_id: str,
        secret_access_key: str,
        session_token: str | None = None,
        *,
        region: str,
        endpoint_url: str | None = None,
        settings: ClientSettings | None = None,
        label: str = "explicit credentials",
    ) -> AwsSession:
        """A session from explicit keys (the offline sandbox, tests)."""
        boto = new_boto3_session(
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            aws_session_token=session_token,
            region_name=region,
        )
        return cls(boto, region=region, endpoint_url=endpoint_url, settings=settings, label=label)

    # -- clients ------------------------------------------------------------------------------

    def client(self, service: str) -> Any:
        """The cached boto3 client for ``service`` (clients are thread-safe; sessions are not,
        so creation happens under the lock)."""
        with self._lock:
            self._renew_if_due()
            cached = self._clients.get(service)
            if cached is not None:
                return cached
            try:
                made = self._boto.client(
                    service,
                    region_name=self.region,
                    endpoint_url=self.endpoint_url,
                    config=self.settings.botocore_config(service),
                )
            except Exception as exc:
                raise translate(
                    exc, service=service, profile=self.profile, region=self.region
                ) from exc
            self._clients[service] = made
            return made

    def _renew_if_due(self) -> None:
        if self._renew is None or self._expires_at is None:
            return
        if time.time() < self._expires_at - RENEW_MARGIN_SECONDS:
            return
        self._boto, self._expires_at = self._renew()
        watch_retries(self._boto, self._report_retry)
        self._clients.clear()

    def _report_retry(self, text: str) -> None:
        if self.on_retry is not None:
            self.on_retry(text)

    def call(self, service: str, operation: str, method: str, **params: Any) -> Any:
        """One API call with every failure translated (for the non-SES adapters)."""
        client = self.client(service)
        try:
            return getattr(client, method)(**params)
        except Exception as exc:
            raise translate(
                exc, operation=operation, service=service, profile=self.profile, region=self.region
            ) from exc

    def paginate(
        self,
        service: str,
        operation: str,
        method: str,
        result_key: str,
        *,
        page_size: int | None = None,
        **params: Any,
    ) -> Iterator[Any]:
        """Every item under ``result_key`` across all pages, failures translated."""
        paginator = self.client(service).get_paginator(method)
        config = {"PageSize": page_size} if page_size else {}
        try:
            for page in paginator.paginate(**params, PaginationConfig=config):
                yield from page.get(result_key) or ()
        except AwsError:
            raise
        except Exception as exc:
            raise translate(
                exc, operation=operation, service=service, profile=self.profile, region=self.region
            ) from exc

    # -- identity -----------------------------------------------------------------------------

    @property
    def known_account_id(self) -> str | None:
        """The account, if known without a network call."""
        return self._account_id or (self._identity.account if self._identity else None)

    @property
    def account_id(self) -> str:
        return self.known_account_id or self.caller_identity().account

    def caller_identity(self, *, refresh: bool = False) -> CallerIdentity:
        """``sts:GetCallerIdentity`` (needs no permission), cached."""
        with self._lock:
            if self._identity is not None and not refresh:
                return self._identity
        response = self.call("sts", "GetCallerIdentity", "get_caller_identity")
        identity = CallerIdentity(
            account=str(response["Account"]),
            arn=str(response["Arn"]),
            user_id=str(response.get("UserId", "")),
        )
        with self._lock:
            self._identity = identity
            self._account_id = identity.account
        return identity

    def pacing_key(self) -> tuple[str, str]:
        """(account, region) for SES pacing; before the account is known, the profile stands in."""
        return (self.known_account_id or f"profile:{self.label}", self.region)

    def describe(self) -> str:
        account = self.known_account_id
        return f"{self.label} ({'account ' + account + ', ' if account else ''}{self.region})"

    # -- delegation ---------------------------------------------------------------------------

    def assume_role(
        self,
        role_arn: str,
        *,
        external_id: str | None = None,
        session_name: str = "sesdmarc",
        duration_seconds: int | None = None,
        region: str | None = None,
    ) -> AwsSession:
        """A session in another account through ``sts:AssumeRole``, renewed before expiry."""
        arn, account = check_role_request(role_arn, external_id, session_name)
        target_region = region or self.region
        fetch = role_credentials_fetcher(
            self.call,
            arn,
            region=target_region,
            external_id=external_id,
            session_name=session_name,
            duration_seconds=duration_seconds,
        )
        boto, expires_at = fetch()
        return AwsSession(
            boto,
            region=target_region,
            profile=self.profile,
            endpoint_url=self.endpoint_url,
            settings=self.settings,
            account_id=account,
            label=f"{arn.rsplit('/', 1)[-1]} in {account}",
            renew=fetch,
            expires_at=expires_at,
        )


@dataclass(frozen=True)
class SessionPair:
    """The identity owner and the delegate sender, side by side, in the owner's region."""

    owner: AwsSession
    delegate: AwsSession


def owner_and_delegate(
    owner: AwsSession,
    *,
    delegate_profile: str | None = None,
    role_arn: str | None = None,
    external_id: str | None = None,
    session_name: str = "sesdmarc-delegate",
) -> SessionPair:
    """Build the delegate from a profile or by assuming a role from the owner.

    The delegate always gets the owner's region: a delegated send must reach SES where the
    owner verified the identity and attached the policy.
    """
    if (delegate_profile is None) == (role_arn is None):
        raise AwsError(
            ErrorKind.INVALID_INPUT,
            "Choose the delegate either by profile or by role ARN (exactly one).",
            "Pick the delegate's profile, or type the role ARN to assume from the owner.",
        )
    if role_arn is not None:
        delegate = owner.assume_role(role_arn, external_id=external_id, session_name=session_name)
    else:
        delegate = AwsSession.from_profile(
            delegate_profile,
            owner.region,
            endpoint_url=owner.endpoint_url,
            settings=owner.settings,
        )
    return SessionPair(owner=owner, delegate=delegate)

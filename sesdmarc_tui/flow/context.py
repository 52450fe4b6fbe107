"""Everything environment-specific the steps need, injected in one object.

The real wizard builds it with :meth:`FlowContext.from_environment` (AWS profiles, the system
resolver or ``--nameserver``, platformdirs); the offline sandbox and the tests build it with
their own endpoints, resolvers, clock and state directory. The steps never ask where they run:
there is no ``if demo`` anywhere, only different factories.

Sessions, SES adapters and DNS providers are cached here, so that a step's inspect, plan and
apply share one client (one pacing slot, one Route 53 zone lookup) and a test can hook every
client it creates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.flow.audit import AuditLog
from sesdmarc_tui.flow.lock import SessionLocks
from sesdmarc_tui.flow.store import SessionStore

if TYPE_CHECKING:
    from sesdmarc_tui.aws.access_analyzer import PolicyValidation
    from sesdmarc_tui.aws.profiles import ProfileInfo
    from sesdmarc_tui.aws.ses import SesAdapter
    from sesdmarc_tui.aws.session import AwsSession
    from sesdmarc_tui.dns.providers.base import DnsProvider
    from sesdmarc_tui.dns.query import Server

ProviderKind = Literal["route53", "rfc2136", "manual"]
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("route53", "rfc2136", "manual")
DelegateMode = Literal["profile", "role"]
TSIG_SECRET = "tsig_secret"
EXTERNAL_ID = "external_id"
# How long to wait between live status checks (SES: at least 1 s per call, and polling faster
# than SES checks DNS gains nothing).
DEFAULT_POLL_DELAYS = (2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0)


@dataclass(frozen=True)
class ProviderConfig:
    """Where and how records are published. Secrets are not here: the TSIG secret is read from
    ``FlowContext.secrets`` when the provider is built."""

    kind: ProviderKind
    profile: str | None = None  # Route 53: the profile of the account holding the zone
    region: str | None = None  # Route 53 is global; the session still needs a region
    zone_id: str | None = None  # Route 53: a hosted zone picked by ID
    server: str | None = None  # RFC 2136 primary (address)
    port: int = 53
    key_name: str | None = None
    algorithm: str = "hmac-sha256"
    zone: str | None = None  # RFC 2136 / manual: the zone apex, when not discovered


@dataclass(frozen=True)
class DelegateChoice:
    """How to act as the delegate sender: its own profile, or a role assumed from the owner."""

    mode: DelegateMode
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None


SessionFactory = Callable[["str | None", str], "AwsSession"]
DelegateFactory = Callable[["AwsSession", DelegateChoice], "AwsSession"]
ProviderFactory = Callable[["FlowContext", ProviderConfig, str], "DnsProvider"]
SesFactory = Callable[["AwsSession"], "SesAdapter"]
PolicyValidator = Callable[["AwsSession", str], "PolicyValidation"]
Mailbox = Callable[[str], "bytes | None"]
"""``mailbox(message_id)``: the received test message, when the environment can fetch it."""


def _default_session(profile: str | None, region: str) -> AwsSession:
    from sesdmarc_tui.aws.session import AwsSession

    return AwsSession.from_profile(profile, region)


def _default_delegate(owner: AwsSession, choice: DelegateChoice) -> AwsSession:
    from sesdmarc_tui.aws.session import owner_and_delegate

    pair = owner_and_delegate(
        owner,
        delegate_profile=choice.profile if choice.mode == "profile" else None,
        role_arn=choice.role_arn if choice.mode == "role" else None,
        external_id=choice.external_id,
    )
    return pair.delegate


def _default_ses(session: AwsSession) -> SesAdapter:
    from sesdmarc_tui.aws.ses import SesAdapter

    return SesAdapter(session)


def _default_provider(ctx: FlowContext, config: ProviderConfig, domain: str) -> DnsProvider:
    from sesdmarc_tui.flow.providers import build_provider

    return build_provider(ctx, config, domain)


def _default_validator(session: AwsSession, policy_json: str) -> PolicyValidation:
    from sesdmarc_tui.aws.access_analyzer import validate_policy

    return validate_policy(session, policy_json)


def _default_profiles() -> list[ProfileInfo]:
    from sesdmarc_tui.aws.profiles import list_profiles

    return list_profiles()


@dataclass
class FlowContext:
    state_dir: Path
    lookup: Lookup
    owner_session: SessionFactory = _default_session
    delegate_session: DelegateFactory = _default_delegate
    dns_provider: ProviderFactory = _default_provider
    ses_adapter: SesFactory = _default_ses
    validate_policy: PolicyValidator = _default_validator
    profiles: Callable[[], list[ProfileInfo]] = _default_profiles
    resolvers: tuple[Server, ...] = ()
    authoritative: tuple[Server, ...] | None = None
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    poll_delays: tuple[float, ...] = DEFAULT_POLL_DELAYS
    mailbox: Mailbox | None = None
    default_profile: str | None = None
    default_region: str | None = None
    check_delegation: bool = True
    # Whether the session outlives this process: False where the state directory is discarded
    # at exit (the demo's sandbox), so front ends do not promise a resume that cannot happen.
    keeps_state: bool = True
    # Who is running (shown to a second wizard refused by the session lock).
    front_end: str = ""
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    locks: SessionLocks = field(default_factory=SessionLocks, repr=False)
    cancel_event: threading.Event = field(default_factory=threading.Event, repr=False)
    # Hears every AWS retry and back-off wait ("SES throttled GetEmailIdentity ...; retrying in
    # 2 s"), so that a slow step says why; ``apply_plan`` points it at the step's progress.
    on_notice: Callable[[str], None] | None = field(default=None, repr=False)
    _sessions: dict[tuple[str | None, str], AwsSession] = field(default_factory=dict, repr=False)
    _adapters: dict[int, SesAdapter] = field(default_factory=dict, repr=False)
    _providers: dict[tuple[ProviderConfig, str], DnsProvider] = field(
        default_factory=dict, repr=False
    )
    _delegates: dict[tuple[int, DelegateChoice], AwsSession] = field(
        default_factory=dict, repr=False
    )
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def from_environment(
        cls,
        profile: str | None = None,
        region: str | None = None,
        *,
        nameservers: Sequence[tuple[str, int]] = (),
        authoritative: Sequence[tuple[str, int]] = (),
        board_resolvers: Sequence[tuple[str, int]] = (),
        endpoint_url: str | None = None,
        state_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
        mailbox: Mailbox | None = None,
    ) -> FlowContext:
        """The real environment: AWS config profiles, the system resolver (or ``nameservers``
        only), platformdirs for state. The propagation board asks ``board_resolvers``, else the
        ``nameservers``, else the public resolvers. ``endpoint_url`` points every AWS client
        elsewhere (boto3 also honours ``AWS_ENDPOINT_URL`` by itself)."""
        from sesdmarc_tui.dns.lookup import make_lookup
        from sesdmarc_tui.dns.query import Server, ServerKind
        from sesdmarc_tui.flow.store import default_data_dir

        def session(name: str | None, where: str) -> AwsSession:
            from sesdmarc_tui.aws.session import AwsSession

            return AwsSession.from_profile(name, where, endpoint_url=endpoint_url)

        if board_resolvers or nameservers:
            chosen = board_resolvers or nameservers
            resolvers = tuple(Server(h, p, ServerKind.RECURSIVE) for h, p in chosen)
        else:
            from sesdmarc_tui.dns.board import DEFAULT_RESOLVERS

            resolvers = DEFAULT_RESOLVERS
        auth = tuple(Server(h, p, ServerKind.AUTHORITATIVE) for h, p in authoritative) or None
        return cls(
            state_dir=state_dir or default_data_dir(),
            lookup=make_lookup(list(nameservers)),
            owner_session=session,
            resolvers=resolvers,
            authoritative=auth,
            clock=clock,
            mailbox=mailbox,
            default_profile=profile,
            default_region=region,
        )

    # -- services -----------------------------------------------------------------------------

    @property
    def store(self) -> SessionStore:
        return SessionStore(self.state_dir)

    @property
    def audit(self) -> AuditLog:
        return AuditLog(self.state_dir / "audit.jsonl")

    def now(self) -> float:
        return self.clock()

    def known_secrets(self) -> list[str]:
        return [v for v in self.secrets.values() if v]

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def notice(self, text: str) -> None:
        if self.on_notice is not None:
            self.on_notice(text)

    @contextmanager
    def notices_to(self, report: Callable[[str], None]) -> Iterator[None]:
        """Send AWS retry notices to ``report`` as well while the block runs."""
        previous = self.on_notice

        def both(text: str) -> None:
            report(text)
            if previous is not None:
                previous(text)

        self.on_notice = both
        try:
            yield
        finally:
            self.on_notice = previous

    def _waited(self, _seconds: float, text: str) -> None:
        # Pacing waits are routine (SES allows 1 call per second); a retry means trouble.
        if not text.startswith("pacing"):
            self.notice(text)

    def _watched(self, session: AwsSession) -> AwsSession:
        session.on_retry = self.notice
        return session

    # -- cached factories ---------------------------------------------------------------------

    def session(self, profile: str | None, region: str) -> AwsSession:
        with self._lock:
            key = (profile, region)
            if key not in self._sessions:
                self._sessions[key] = self._watched(self.owner_session(profile, region))
            return self._sessions[key]

    def ses(self, session: AwsSession) -> SesAdapter:
        with self._lock:
            key = id(session)
            if key not in self._adapters:
                adapter = self.ses_adapter(session)
                if adapter.on_wait is None:
                    adapter.on_wait = self._waited
                self._adapters[key] = adapter
            return self._adapters[key]

    def delegate(self, owner: AwsSession, choice: DelegateChoice) -> AwsSession:
        with self._lock:
            key = (id(owner), choice)
            if key not in self._delegates:
                self._delegates[key] = self._watched(self.delegate_session(owner, choice))
            return self._delegates[key]

    def provider(self, config: ProviderConfig, domain: str) -> DnsProvider:
        with self._lock:
            key = (config, domain)
            if key not in self._providers:
                self._providers[key] = self.dns_provider(self, config, domain)
            return self._providers[key]

    def forget_clients(self) -> None:
        """Drop cached sessions and providers (after the operator changes a profile)."""
        with self._lock:
            self._sessions.clear()
            self._adapters.clear()
            self._providers.clear()
            self._delegates.clear()

"""``Sandbox``: the whole offline world behind ``sesdmarc demo`` and the end-to-end tests.

It composes the DNS half (authoritative server, simulated resolvers, the zones), moto behind
the SES shim, the seeded organization and hosted zone, the profile files and the mailbox, and
hands the product only what it would get from a real setup: an endpoint, profiles, a resolver
list and a clock. moto's state is global to the process, so one sandbox runs at a time.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.names import normalize_domain
from sesdmarc_tui.core.regions import ses_region, ses_region_names
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.sandbox.aws import moto_bridge
from sesdmarc_tui.sandbox.aws.server import MotoServer
from sesdmarc_tui.sandbox.aws.ses_shim.middleware import ShimMiddleware
from sesdmarc_tui.sandbox.aws.ses_shim.route53 import mirror_zone
from sesdmarc_tui.sandbox.aws.ses_shim.state import ShimState
from sesdmarc_tui.sandbox.aws.ses_shim.verification import SES_WINDOW_SECONDS
from sesdmarc_tui.sandbox.clock import DemoClock
from sesdmarc_tui.sandbox.dns.runner import DEFAULT_RESOLVERS, ResolverSpec, SandboxDns
from sesdmarc_tui.sandbox.dns.seed import DEMO_DOMAIN
from sesdmarc_tui.sandbox.mailbox import Mailbox
from sesdmarc_tui.sandbox.profiles import DemoCredentials, DemoProfiles, write_profiles
from sesdmarc_tui.sandbox.seed import DELEGATE_ROLE, SeededWorld, seed_world

DEMO_REGION = "eu-west-1"
DEFAULT_MAIL_FROM_SPF = "v=spf1 include:amazonses.com ~all"
RECEIVER_RESOLVER = "receiver"  # the sandbox mail server's own resolver, asked by nobody else
LOOKUP_TIMEOUT = 2.0
_RUNNING = threading.Lock()


class SandboxBusyError(RuntimeError):
    """Another sandbox runs in this process; moto's state cannot hold two."""


@dataclass
class Sandbox:
    domain: str
    region: str
    clock: DemoClock
    directory: Path
    dns: SandboxDns
    server: MotoServer
    state: ShimState
    mailbox: Mailbox
    world: SeededWorld
    profiles: DemoProfiles
    owner_credentials: DemoCredentials
    tsig_key_file: Path
    _cleanup: ExitStack

    @classmethod
    def start(
        cls,
        *,
        domain: str = DEMO_DOMAIN,
        region: str = DEMO_REGION,
        speed: float = 60.0,
        verification_window: float = SES_WINDOW_SECONDS,
    ) -> Sandbox:
        """Start everything on loopback; ``speed`` demo seconds pass per real second.

        Raises ``DomainError`` or ``UnknownRegionError`` for a bad domain or region, and
        ``SandboxBusyError`` while another sandbox runs in this process.
        """
        domain = normalize_domain(domain, min_labels=2)
        region = ses_region(region).name
        if not _RUNNING.acquire(blocking=False):
            raise SandboxBusyError("A sandbox is already running in this process: stop it first.")
        with ExitStack() as stack:
            stack.callback(_RUNNING.release)
            clock = DemoClock(speed)
            directory = Path(tempfile.mkdtemp(prefix="sesdmarc-demo-"))
            stack.callback(shutil.rmtree, directory, ignore_errors=True)
            resolvers = (*DEFAULT_RESOLVERS, ResolverSpec(RECEIVER_RESOLVER))
            dns = SandboxDns.start(clock, domain=domain, resolvers=resolvers)
            stack.callback(dns.stop)
            publish_default_mail_from_spf(dns)
            mailbox = Mailbox(directory / "mailbox")
            state = ShimState(
                clock,
                make_lookup([dns.auth_address], timeout=LOOKUP_TIMEOUT),
                store=dns.store,
                mailbox=mailbox,
                receiver_lookup=make_lookup(
                    [dns.resolver(RECEIVER_RESOLVER).address], timeout=LOOKUP_TIMEOUT
                ),
                window=verification_window,
            )
            server = MotoServer.start(wrap=lambda inner: ShimMiddleware(inner, state))
            stack.callback(server.stop)
            moto_bridge.reset_state(server.endpoint_url)
            owner = DemoCredentials.generate()
            session = AwsSession.from_credentials(
                owner.access_key_id,
                owner.secret_access_key,
                region=region,
                endpoint_url=server.endpoint_url,
                label="sandbox owner",
            )
            world = seed_world(session, domain)
            profiles = write_profiles(
                directory,
                endpoint_url=server.endpoint_url,
                region=region,
                owner=owner,
                delegates=world.members,
            )
            tsig_file = _write_tsig(directory, dns)
            sandbox = cls(
                domain,
                region,
                clock,
                directory,
                dns,
                server,
                state,
                mailbox,
                world,
                profiles,
                owner,
                tsig_file,
                stack.pop_all(),
            )
        return sandbox

    # -- what the product is handed -------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        return self.server.endpoint_url

    @property
    def nameserver(self) -> tuple[str, int]:
        """The resolver ``SESDMARC_NAMESERVER`` names: the operator's "system resolver"."""
        _, host, port = self.dns.resolver_addresses[0]
        return host, port

    @property
    def resolvers(self) -> list[tuple[str, int]]:
        """The simulated resolvers the wizard's board asks (the mail server's own excluded)."""
        return [(h, p) for label, h, p in self.dns.resolver_addresses if label != RECEIVER_RESOLVER]

    @property
    def delegate_profiles(self) -> dict[str, str]:
        """Profile name -> account ID, for every member account."""
        return dict(self.profiles.delegates)

    def env(self) -> dict[str, str]:
        """The environment that points boto3, the AWS CLI and ``sesdmarc`` at the sandbox."""
        host, port = self.nameserver
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_CONFIG_FILE": str(self.profiles.config_file),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.profiles.credentials_file),
            "AWS_PROFILE": self.profiles.owner,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "SESDMARC_NAMESERVER": f"{host}:{port}",
        }

    def session(self, profile: str | None = None, region: str | None = None) -> AwsSession:
        """An ``AwsSession`` as the product builds one, without touching ``os.environ``.

        A delegate profile's session assumes ``OrganizationAccountAccessRole`` from the owner,
        as the profile file says.
        """
        owner = AwsSession.from_credentials(
            self.owner_credentials.access_key_id,
            self.owner_credentials.secret_access_key,
            region=region or self.region,
            endpoint_url=self.endpoint_url,
            label=self.profiles.owner,
        )
        if profile is None or profile == self.profiles.owner:
            return owner
        account_id = self.profiles.delegates[profile]
        return owner.assume_role(
            f"arn:aws:iam::{account_id}:role/{DELEGATE_ROLE}", session_name="sesdmarc-demo"
        )

    # -- demo controls --------------------------------------------------------------------

    def set_production(
        self, account_id: str, enabled: bool = True, region: str | None = None
    ) -> None:
        """Move an account (in one region, or all) out of the SES sandbox, or back in."""
        self.state.accounts.set_production(account_id, region, enabled)

    def mirror_hosted_zone(self, zone_id: str, name: str) -> bool:
        return mirror_zone(self.state, zone_id, name)

    # -- lifetime -------------------------------------------------------------------------

    def stop(self) -> None:
        """Close every port and thread and delete the temp files; safe to call twice."""
        self._cleanup.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def publish_default_mail_from_spf(dns: SandboxDns) -> None:
    """SPF for ``<region>.amazonses.com``, the MAIL FROM SES uses without a custom one, so the
    receiver's ``spf=pass`` (unaligned) is what real mail shows; the DNS half serves the zone.
    """
    with dns.store.batch():
        for region in ses_region_names():
            dns.store.set_rrset(f"{region}.amazonses.com", "TXT", 3600, [DEFAULT_MAIL_FROM_SPF])


def _write_tsig(directory: Path, dns: SandboxDns) -> Path:
    """The RFC 2136 key in BIND's key-file form (``nsupdate -k``), readable by its owner only."""
    import os

    tsig = dns.tsig
    path = directory / "tsig.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            f'key "{tsig.name.rstrip(".")}" {{\n\talgorithm {tsig.algorithm};\n'
            f'\tsecret "{tsig.secret}";\n}};\n'
        )
    return path

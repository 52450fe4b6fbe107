"""An in-memory world for step and engine tests: one DNS zone, SES, STS and Organizations.

The fakes sit at the adapter seam (``FlowContext`` factories), so these tests exercise every
step's real logic in milliseconds. The DNS fake is a real ``DnsProvider``: it plans with the
providers' shared ``build_plan`` (so TXT merging and MX/CNAME refusals are the real ones) and
only its storage is a dict. SES follows the documented behaviour moto lacks: tokens and
PENDING on create, DKIM SUCCESS only once the CNAMEs are in the zone, MAIL FROM SUCCESS once
the MX is.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.ses import same_policy
from sesdmarc_tui.aws.ses_models import AccountStatus, IdentityStatus, MailFromAttributes
from sesdmarc_tui.aws.session import AwsSession, CallerIdentity
from sesdmarc_tui.core.lookup import Answer, StaticLookup
from sesdmarc_tui.core.policy import parse_identity_arn
from sesdmarc_tui.core.records import DnsRecord, make_record
from sesdmarc_tui.dns.providers.base import ApplyResult, ChangePlan, ProgressFn, RecordKey, RRset
from sesdmarc_tui.dns.providers.manual import instructions_for
from sesdmarc_tui.dns.providers.plan import build_plan, check_names, keys_to_read, stale_changes
from sesdmarc_tui.flow.context import FlowContext, ProviderConfig

OWNER = "111111111111"
DELEGATE = "222222222222"
ORG_ID = "o-abcdefghij"
REGION = "eu-west-1"
DOMAIN = "example.com"


class FakeZone:
    """The authoritative data of one zone; also answers as a ``Lookup``."""

    def __init__(
        self, apex: str, extra: Mapping[tuple[str, str], Sequence[str]] | None = None
    ) -> None:
        self.apex = apex
        self.sets: dict[RecordKey, tuple[str, ...]] = {(apex, "SOA"): ("ns1 admin 1 2 3 4 5",)}
        self.extra = dict(extra or {})  # answers outside the zone (amazonses.com, other orgs)

    def put(self, name: str, rtype: str, *values: str) -> None:
        self.sets[(name, rtype)] = tuple(values)

    def lookup(self, name: str, rdtype: str) -> Answer:
        table: dict[tuple[str, str], Sequence[str]] = {**self.extra}
        table.update(self.sets)
        return StaticLookup(table)(name, rdtype)

    def has(self, name: str, rtype: str) -> bool:
        return bool(self.sets.get((name, rtype)))


class FakeProvider:
    """A ``DnsProvider`` over a :class:`FakeZone`; ``applies`` counts the write calls."""

    def __init__(self, zone: FakeZone, name: str = "route53") -> None:
        self._zone = zone
        self.name = name
        self.applies: list[ChangePlan] = []

    @property
    def zone(self) -> str:
        return self._zone.apex

    def read(self, keys: Iterable[RecordKey]) -> dict[RecordKey, RRset]:
        found: dict[RecordKey, RRset] = {}
        for key in keys:
            values = self._zone.sets.get(key)
            if values:
                found[key] = RRset(key[0], key[1], values, 300, values)
        return found

    def plan(self, desired: Sequence[DnsRecord], *, remove: Sequence[DnsRecord] = ()) -> ChangePlan:
        check_names((r.name for r in (*desired, *remove)), self.zone)
        current = self.read(keys_to_read(desired, remove))
        return build_plan(self.name, self.zone, desired, current, remove)

    def apply(self, plan: ChangePlan, on_progress: ProgressFn | None = None) -> ApplyResult:
        if self.name == "manual":
            kit = instructions_for(plan)
            return ApplyResult(self.name, self.zone, plan.writes, status="MANUAL", instructions=kit)
        assert not stale_changes(plan, self.read(c.key for c in plan.writes))
        self.applies.append(plan)
        for change in plan.writes:
            if change.new is None:
                self._zone.sets.pop(change.key, None)
            else:
                self._zone.sets[change.key] = change.new.values
        return ApplyResult(self.name, self.zone, plan.writes, status="INSYNC")

    def wait(self, applied: ApplyResult, timeout: float) -> bool:
        return True

    @property
    def writes(self) -> int:
        return sum(len(p.writes) for p in self.applies)


def token_for(domain: str, index: int) -> str:
    return hashlib.sha256(f"{domain}/{index}".encode()).hexdigest()[:32]


@dataclass
class FakeIdentity:
    domain: str
    tokens: tuple[str, ...]
    mail_from: str | None = None
    behavior: str = "USE_DEFAULT_VALUE"
    policies: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    zone: FakeZone
    identities: dict[tuple[str, str], FakeIdentity] = field(default_factory=dict)
    writes: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    sandbox: bool = False


class FakeSes:
    """The ``SesAdapter`` methods the steps use, for one account in one region."""

    on_wait: Any = None  # the adapter's back-off listener, which the context sets

    def __init__(self, world: World, account: str, region: str) -> None:
        self.world = world
        self.account = account
        self.region = region

    def _key(self, domain: str) -> tuple[str, str]:
        return (self.account, domain)

    def _status(self, ident: FakeIdentity, outcome: str) -> IdentityStatus:
        zone = self.world.zone
        cnames = all(zone.has(f"{t}._domainkey.{ident.domain}", "CNAME") for t in ident.tokens)
        dkim = "SUCCESS" if cnames else "PENDING"
        mail_from = MailFromAttributes(behavior_on_mx_failure=ident.behavior)
        if ident.mail_from:
            status = "SUCCESS" if zone.has(ident.mail_from, "MX") else "PENDING"
            mail_from = MailFromAttributes(ident.mail_from, status, ident.behavior)
        return IdentityStatus(
            domain=ident.domain,
            region=self.region,
            outcome=outcome,  # type: ignore[arg-type]
            verification_status=dkim,
            verified_for_sending=cnames,
            dkim_status=dkim,
            dkim_signing_enabled=True,
            dkim_tokens=ident.tokens,
            signing_hosted_zone="dkim.amazonses.com",
            signing_origin="AWS_SES",
            current_key_length="RSA_2048_BIT",
            mail_from=mail_from,
            policies=MappingProxyType(dict(ident.policies)),
        )

    def get_identity(self, domain: str) -> IdentityStatus | None:
        ident = self.world.identities.get(self._key(domain))
        return self._status(ident, "read") if ident else None

    def create_or_adopt_identity(self, domain: str) -> IdentityStatus:
        ident = self.world.identities.get(self._key(domain))
        if ident is not None:
            return self._status(ident, "adopted")
        self.world.writes.append("CreateEmailIdentity")
        ident = FakeIdentity(domain, tuple(token_for(domain, i) for i in range(3)))
        self.world.identities[self._key(domain)] = ident
        _private, public = dkim_key()
        for token in ident.tokens:
            self.world.zone.extra[(f"{token}.dkim.amazonses.com", "TXT")] = [
                f"v=DKIM1; k=rsa; p={public}"
            ]
        return self._status(ident, "created")

    def put_mail_from(self, domain: str, mail_from: str | None, behavior: str = "") -> None:
        self.world.writes.append("PutEmailIdentityMailFromAttributes")
        ident = self.world.identities[self._key(domain)]
        ident.mail_from, ident.behavior = mail_from, behavior

    def get_policies(self, domain: str) -> dict[str, str]:
        ident = self.world.identities.get(self._key(domain))
        if ident is None:
            raise AwsError(ErrorKind.NOT_FOUND, f"{domain} does not exist.")
        return dict(ident.policies)

    def put_policy(self, domain: str, name: str, policy_json: str) -> str:
        ident = self.world.identities[self._key(domain)]
        if name in ident.policies and same_policy(ident.policies[name], policy_json):
            return "unchanged"
        outcome = "updated" if name in ident.policies else "created"
        self.world.writes.append(f"{outcome.title()[:-1]}EmailIdentityPolicy")
        ident.policies[name] = policy_json
        return outcome

    def get_account(self) -> AccountStatus:
        return AccountStatus(
            self.region, not self.world.sandbox, True, 50000.0, 14.0, 0.0, "HEALTHY"
        )

    def send_test_email(
        self,
        *,
        from_address: str,
        to: Sequence[str] | str,
        subject: str,
        body: str,
        identity_arn: str,
        **_: Any,
    ) -> str:
        arn = parse_identity_arn(identity_arn)
        if (arn.account_id, arn.domain) not in self.world.identities:
            raise AwsError(ErrorKind.MESSAGE_REJECTED, "Email address is not verified.")
        self.world.writes.append("SendEmail")
        message_id = f"0100-{len(self.world.sent):04d}"
        self.world.sent.append(
            {
                "id": message_id,
                "from": from_address,
                "to": to,
                "account": self.account,
                "arn": identity_arn,
                "raw": signed_message(
                    self.world.identities[(arn.account_id, arn.domain)],
                    message_id,
                    from_address,
                    to,
                    subject,
                    body,
                ),
            }
        )
        return message_id


@functools.cache
def dkim_key() -> tuple[bytes, str]:
    """One RSA key for the fake SES signer: (private key PEM, public key base64 DER)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, base64.b64encode(public).decode("ascii")


def signed_message(
    ident: FakeIdentity,
    message_id: str,
    from_address: str,
    to: Sequence[str] | str,
    subject: str,
    body: str,
) -> bytes:
    """The message as a receiver gets it: Easy DKIM signature with the identity's first token."""
    import dkim

    bounce = ident.mail_from or "amazonses.com"
    recipients = to if isinstance(to, str) else ", ".join(to)
    text = (
        f"Return-Path: <{message_id}@{bounce}>\r\n"
        f"From: {from_address}\r\nTo: {recipients}\r\nSubject: {subject}\r\n"
        "Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"
        f"Message-ID: <{message_id}@email.amazonses.com>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        + body.replace("\n", "\r\n")
    ).encode("utf-8")
    private, _public = dkim_key()
    signature = dkim.sign(
        text,
        ident.tokens[0].encode(),
        ident.domain.encode(),
        private,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return bytes(signature) + text


class FakeAwsSession(AwsSession):
    """STS and Organizations answered in memory; any other client use is a test bug."""

    def __init__(self, account: str, region: str, *, org: bool = True) -> None:
        super().__init__(None, region=region, account_id=account, label=f"fake {account}")
        self.account = account
        self.org = org

    def caller_identity(self, *, refresh: bool = False) -> CallerIdentity:
        return CallerIdentity(self.account, f"arn:aws:iam::{self.account}:user/tester", "AID")

    def client(self, service: str) -> Any:
        raise AssertionError(f"the fake session has no {service} client")

    def call(self, service: str, operation: str, method: str, **params: Any) -> Any:
        if operation == "DescribeOrganization":
            if not self.org:
                raise AwsError(ErrorKind.NOT_IN_ORGANIZATION, "Not in an organization.")
            return {"Organization": {"Id": ORG_ID, "MasterAccountId": OWNER, "FeatureSet": "ALL"}}
        raise AwsError(ErrorKind.ACCESS_DENIED, f"{operation} is denied.", "Ask for access.")

    def paginate(self, service: str, operation: str, method: str, result_key: str, **_: Any) -> Any:
        raise AwsError(ErrorKind.ACCESS_DENIED, f"{operation} is denied.", "Ask for access.")


def fake_context(
    tmp_path: Path, world: World, *, provider: str = "route53"
) -> tuple[FlowContext, FakeProvider]:
    dns = FakeProvider(world.zone, provider)
    sessions: dict[str, FakeAwsSession] = {}

    def session(profile: str | None, region: str) -> AwsSession:
        account = DELEGATE if profile == "delegate" else OWNER
        return sessions.setdefault(f"{account}/{region}", FakeAwsSession(account, region))

    def delegate(owner: AwsSession, choice: Any) -> AwsSession:
        return FakeAwsSession(DELEGATE, owner.region)

    def ses(session_: AwsSession) -> Any:
        assert isinstance(session_, FakeAwsSession)
        return FakeSes(world, session_.account, session_.region)

    def no_analyzer(_session: AwsSession, _policy: str) -> Any:
        from sesdmarc_tui.aws.access_analyzer import PolicyValidation

        return PolicyValidation(False, unavailable_reason="Not available in tests.")

    def dns_factory(_ctx: FlowContext, _config: ProviderConfig, _domain: str) -> Any:
        return dns

    from sesdmarc_tui.aws.profiles import ProfileInfo

    ctx = FlowContext(
        state_dir=tmp_path / "data",
        lookup=world.zone.lookup,
        owner_session=session,
        delegate_session=delegate,
        dns_provider=dns_factory,
        ses_adapter=ses,
        validate_policy=no_analyzer,
        profiles=lambda: [
            ProfileInfo("owner", "static", REGION),
            ProfileInfo("delegate", "static"),
        ],
        clock=lambda: 1_800_000_000.0,
        sleep=lambda _s: None,
        poll_delays=(0.0,),
        mailbox=lambda message_id: next(
            (m["raw"] for m in world.sent if m["id"] == message_id), None
        ),
    )
    return ctx, dns


def dnsrec(name: str, rtype: str, *values: str) -> DnsRecord:
    return make_record(name, rtype, list(values))


__all__ = ["replace"]


def ready_wizard(ctx: FlowContext, *, provider: str = "route53", through: str = "domain") -> Any:
    """A wizard with Accounts and Domain applied (and later steps up to ``through``)."""
    from sesdmarc_tui.flow.engine import Wizard

    wizard = Wizard(ctx)
    wizard.set_inputs("accounts", {"profile": "owner", "region": REGION})
    wizard.run_step("accounts")
    wizard.set_inputs("domain", {"domain": DOMAIN, "provider": provider})
    wizard.run_step("domain")
    for step in ("dkim", "mail_from", "dmarc", "authorization"):
        if through == "domain":
            break
        wizard.run_step(step)
        if step == through:
            break
    return wizard

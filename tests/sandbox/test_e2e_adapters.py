"""The acceptance run in the sandbox, without the UI: the product's own adapters, end to end.

Domain identity, DKIM (PENDING, then SUCCESS only once the CNAMEs are published through
Route 53), custom MAIL FROM, DMARC, an identity policy for the Marketing subtree of the
organization, a test email from a delegate in the nested Campaigns OU that arrives signed
twice, and a delegate in Engineering refused with SES's error. Nothing here knows it runs in
a sandbox beyond the environment variables ``sesdmarc demo --serve`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator

import dkim
import pytest

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.organizations import OrgTree
from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.route53 import find_hosted_zone
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.aws.session import AwsSession, owner_and_delegate
from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.policy import OuSubtree, build_policy_json
from sesdmarc_tui.core.records import DnsRecord, dkim_records, dmarc_record, mail_from_records
from sesdmarc_tui.core.regions import identity_arn
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.dns.providers.route53 import Route53Provider
from sesdmarc_tui.sandbox.receiver import key_fetcher
from sesdmarc_tui.sandbox.world import Sandbox

DOMAIN = "example.com"
REGION = "eu-west-1"
MAIL_FROM = f"mail.{DOMAIN}"
DMARC = f"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@{DOMAIN}"
RECIPIENT = f"dmarc-check@{DOMAIN}"  # under the verified domain: allowed in the SES sandbox


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox.start(domain=DOMAIN, region=REGION) as sandbox:
        yield sandbox


@pytest.fixture
def owner(box: Sandbox, _no_system_dns_or_aws: None, monkeypatch: pytest.MonkeyPatch) -> AwsSession:
    """The owner's session from the profile files, after the environment --serve prints."""
    for name, value in box.env().items():
        monkeypatch.setenv(name, value)
    return AwsSession.from_profile(box.profiles.owner)


@pytest.fixture(scope="module")
def resolver(box: Sandbox) -> Lookup:
    return make_lookup([box.nameserver])


def _ses(session: AwsSession) -> SesAdapter:
    return SesAdapter(session, pacer=Pacer(0))  # SES's 1 call per second is not under test


def _publish(owner: AwsSession, resolver: Lookup, records: list[DnsRecord]) -> None:
    def public_ns(zone: str) -> list[str]:
        answer = resolver(zone, "NS")
        return list(answer.values) if answer.kind is AnswerKind.OK else []

    provider = Route53Provider(owner, domain=DOMAIN, public_ns=public_ns)
    applied = provider.apply(provider.plan(records))
    assert provider.wait(applied, timeout=5)


def test_the_whole_setup_and_a_delegated_test_email(
    box: Sandbox, owner: AwsSession, resolver: Lookup
) -> None:
    ses = _ses(owner)
    assert owner.caller_identity().account == box.world.management.id
    assert find_hosted_zone(owner, DOMAIN).zone is not None

    # Domain and DKIM: PENDING until the CNAMEs are published, SUCCESS after.
    identity = ses.create_or_adopt_identity(DOMAIN)
    assert identity.outcome == "created" and identity.dkim_status == "PENDING"
    assert identity.signing_hosted_zone == "dkim.amazonses.com"
    read = ses.get_identity(DOMAIN)
    assert read is not None and read.dkim_status == "PENDING" and not read.verified_for_sending
    assert ses.create_or_adopt_identity(DOMAIN).outcome == "adopted"
    records = dkim_records(DOMAIN, identity.dkim_tokens, REGION, identity.signing_hosted_zone)
    _publish(owner, resolver, list(records))
    verified = ses.get_identity(DOMAIN)
    assert verified is not None and verified.dkim_status == "SUCCESS"
    assert verified.verification_status == "SUCCESS" and verified.verified_for_sending

    # MAIL FROM: PENDING until exactly one MX to SES's feedback host, then SUCCESS.
    ses.put_mail_from(DOMAIN, MAIL_FROM)
    pending = ses.get_identity(DOMAIN)
    assert pending is not None and pending.mail_from.status == "PENDING"
    _publish(owner, resolver, list(mail_from_records(MAIL_FROM, REGION)))
    active = ses.get_identity(DOMAIN)
    assert active is not None and active.mail_from.status == "SUCCESS"

    # DMARC.
    _publish(owner, resolver, [dmarc_record(DOMAIN, DMARC)])
    assert resolver(f"_dmarc.{DOMAIN}", "TXT").values == (DMARC,)

    # Sending authorization for the Marketing OU and every OU below it.
    tree = OrgTree(owner)
    assert tree.load().tree_available
    (root,) = tree.roots()
    marketing = next(n for n in tree.children(root.id) if n.name == "Marketing")
    campaigns_ou = next(n for n in tree.children(marketing.id) if n.name == "Campaigns")
    arn = identity_arn(REGION, box.world.management.id, DOMAIN)
    policy = build_policy_json(arn, [OuSubtree(marketing.path)])
    assert ses.put_policy(DOMAIN, "marketing-senders", policy) == "created"
    assert ses.put_policy(DOMAIN, "marketing-senders", policy) == "unchanged"
    campaigns = box.world.account("campaigns")
    assert tree.path_of_account(campaigns.id) == campaigns_ou.path

    # A delegate in Campaigns (nested under Marketing) sends: accepted, delivered.
    pair = owner_and_delegate(owner, delegate_profile=box.profiles.delegate_for("campaigns"))
    assert pair.delegate.caller_identity().account == campaigns.id
    message_id = _ses(pair.delegate).send_test_email(
        from_address=f"test@{DOMAIN}",
        to=RECIPIENT,
        subject="sesdmarc test",
        body="Sent by a delegate in Campaigns.",
        identity_arn=arn,
    )
    delivered = box.mailbox.get(message_id)
    assert delivered.recipients == (RECIPIENT,)
    assert delivered.return_path_domain == MAIL_FROM

    # Both signatures verify with dkimpy against the sandbox's DNS: d=example.com on top.
    signatures = delivered.raw.split(b"\r\n\r\n", 1)[0].count(b"DKIM-Signature:")
    assert signatures == 2
    verifier = dkim.DKIM(delivered.raw)
    for index, domain in enumerate((DOMAIN, "amazonses.com")):
        assert verifier.verify(idx=index, dnsfunc=key_fetcher(resolver)), domain
        assert verifier.domain.decode() == domain
    assert dkim.verify(delivered.raw, dnsfunc=key_fetcher(resolver))
    assert delivered.verdict is not None
    assert (delivered.verdict.spf, delivered.verdict.dmarc) == ("pass", "pass")

    # A delegate in Engineering is refused with SES's MessageRejected.
    engineering = owner_and_delegate(
        owner, delegate_profile=box.profiles.delegate_for("engineering")
    ).delegate
    with pytest.raises(AwsError) as refused:
        _ses(engineering).send_test_email(
            from_address=f"test@{DOMAIN}",
            to=RECIPIENT,
            subject="sesdmarc test",
            body="Sent by a delegate in Engineering.",
            identity_arn=arn,
        )
    assert refused.value.kind is ErrorKind.MESSAGE_REJECTED
    assert refused.value.code == "MessageRejected"
    assert box.mailbox.messages() == [delivered]


def test_the_owner_account_is_in_the_ses_sandbox(owner: AwsSession) -> None:
    account = _ses(owner).get_account()
    assert account.in_sandbox and account.max_24_hour_send == 200

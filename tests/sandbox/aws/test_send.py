"""SendEmail in the sandbox: verification, sending authorization, sandbox recipients, MAIL FROM."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dkim
import pytest

from sesdmarc_tui.aws.errors import ErrorKind, translate
from sesdmarc_tui.core.policy import OrgPath, OuSubtree, build_policy_json
from sesdmarc_tui.core.regions import identity_arn
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.sandbox.receiver import key_fetcher
from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import (
    REGION,
    create_domain,
    error_of,
    fresh_domain,
    publish_mail_from,
    ses,
    verified_domain,
)

SUBJECT = {"Subject": {"Data": "Test"}, "Body": {"Text": {"Data": "Hello from the sandbox."}}}


def _send(
    box: Sandbox, sender: str, to: list[str], profile: str | None = None, **extra: Any
) -> str:
    message_id: str = ses(box, profile).send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": to},
        Content={"Simple": SUBJECT},
        **extra,
    )["MessageId"]
    return message_id


def _arn(box: Sandbox, domain: str, region: str = REGION) -> str:
    return identity_arn(region, box.world.management.id, domain)


def _signatures(box: Sandbox, raw: bytes) -> list[tuple[str, bool]]:
    lookup = make_lookup([box.nameserver])
    verifier = dkim.DKIM(raw)
    count = raw.split(b"\r\n\r\n", 1)[0].count(b"DKIM-Signature:")
    results = []
    for index in range(count):
        passed = bool(verifier.verify(idx=index, dnsfunc=key_fetcher(lookup)))
        results.append((verifier.domain.decode(), passed))
    return results


@pytest.fixture(scope="module")
def marketing_policy_domain(box: Sandbox) -> Iterator[str]:
    """A verified domain whose policy lets the Marketing OU and every OU below it send."""
    domain = verified_domain(box, "deleg")
    marketing = OrgPath(box.world.org_id, box.world.root_id, (box.world.ous["Marketing"],))
    policy = build_policy_json(_arn(box, domain), [OuSubtree(marketing)])
    ses(box).create_email_identity_policy(
        EmailIdentity=domain, PolicyName="marketing", Policy=policy
    )
    yield domain


def test_owner_sends_from_a_verified_domain_and_the_mail_arrives(box: Sandbox) -> None:
    domain = verified_domain(box)
    message_id = _send(box, f"Ops <ops@{domain}>", [f"inbox@{domain}"])
    stored = box.mailbox.get(message_id)
    assert stored.recipients == (f"inbox@{domain}",)
    assert stored.return_path_domain == f"{REGION}.amazonses.com"  # no custom MAIL FROM
    assert stored.path is not None and stored.path.read_bytes() == stored.raw
    assert _signatures(box, stored.raw) == [(domain, True), ("amazonses.com", True)]
    assert stored.raw.startswith(b"Return-Path: <")
    headers = stored.raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "Authentication-Results: mx.sandbox.sesdmarc.test;" in headers
    assert f"dkim=pass header.i=@{domain}" in headers and "spf=pass" in headers


def test_a_subdomain_of_a_verified_domain_may_send(box: Sandbox) -> None:
    domain = verified_domain(box)
    assert _send(box, f"news@mail.{domain}", [f"inbox@{domain}"])


def test_an_unverified_sender_is_rejected_with_ses_message(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)  # still PENDING
    code, message, http = error_of(lambda: _send(box, f"app@{domain}", [f"a@{domain}"]))
    assert (code, http) == ("MessageRejected", 400)
    assert message == (
        "Email address is not verified. The following identities failed the check in region "
        f"EU-WEST-1: app@{domain}"
    )


def test_an_address_under_a_pending_domain_is_signed_by_amazonses_only(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    ses(box).create_email_identity(EmailIdentity=f"app@{domain}")
    message_id = _send(box, f"app@{domain.upper()}", [f"app@{domain}"])  # domains: any case
    assert _signatures(box, box.mailbox.get(message_id).raw) == [("amazonses.com", True)]


def test_dkim_signing_turned_off_leaves_the_amazonses_signature(box: Sandbox) -> None:
    domain = verified_domain(box)
    ses(box).put_email_identity_dkim_attributes(EmailIdentity=domain, SigningEnabled=False)
    message_id = _send(box, f"app@{domain}", [f"app@{domain}"])
    assert _signatures(box, box.mailbox.get(message_id).raw) == [("amazonses.com", True)]
    assert (
        ses(box).get_email_identity(EmailIdentity=domain)["DkimAttributes"]["SigningEnabled"]
        is False
    )


def test_sandbox_recipients_must_be_verified(box: Sandbox) -> None:
    domain = verified_domain(box)
    code, message, _ = error_of(
        lambda: _send(box, f"app@{domain}", [f"ok@{domain}", "someone@gmail.example"])
    )
    assert code == "MessageRejected"
    assert message.endswith("in region EU-WEST-1: someone@gmail.example")
    with pytest.raises(Exception) as raised:
        _send(box, f"app@{domain}", ["someone@gmail.example"])
    error = translate(raised.value, operation="SendEmail", region=REGION, sender=f"app@{domain}")
    assert error.kind is ErrorKind.SANDBOX_RECIPIENT


def test_the_mailbox_simulator_is_accepted_and_stores_nothing(box: Sandbox) -> None:
    domain = verified_domain(box)
    before = len(box.mailbox)
    assert _send(box, f"app@{domain}", ["success+label@simulator.amazonses.com"])
    assert len(box.mailbox) == before


def test_production_accounts_send_to_anyone(box: Sandbox) -> None:
    domain = verified_domain(box)
    owner = box.world.management.id
    box.set_production(owner)
    try:
        message_id = _send(box, f"app@{domain}", ["someone@gmail.example"])
    finally:
        box.set_production(owner, enabled=False)
    assert box.mailbox.get(message_id).recipients == ("someone@gmail.example",)


def test_delegates_in_the_ou_subtree_may_send(box: Sandbox, marketing_policy_domain: str) -> None:
    domain = marketing_policy_domain
    for account in ("campaigns", "marketing"):
        message_id = _send(
            box,
            f"{account}@{domain}",
            [f"inbox@{domain}"],
            box.profiles.delegate_for(account),
            FromEmailAddressIdentityArn=_arn(box, domain),
        )
        stored = box.mailbox.get(message_id)
        assert stored.sender_account == box.world.account(account).id
        assert _signatures(box, stored.raw)[0] == (domain, True)


def test_a_delegate_outside_the_ou_is_refused(box: Sandbox, marketing_policy_domain: str) -> None:
    domain = marketing_policy_domain
    engineering = box.profiles.delegate_for("engineering")
    code, message, _ = error_of(
        lambda: _send(
            box,
            f"ci@{domain}",
            [f"inbox@{domain}"],
            engineering,
            FromEmailAddressIdentityArn=_arn(box, domain),
        )
    )
    assert code == "MessageRejected" and message.endswith(f"EU-WEST-1: ci@{domain}")


def test_a_delegate_without_the_arn_or_with_a_foreign_from_is_refused(
    box: Sandbox, marketing_policy_domain: str
) -> None:
    domain = marketing_policy_domain
    campaigns = box.profiles.delegate_for("campaigns")
    # Without the ARN SES looks in the delegate's own account, where nothing is verified.
    assert error_of(lambda: _send(box, f"a@{domain}", [f"b@{domain}"], campaigns))[0] == (
        "MessageRejected"
    )
    code, message, _ = error_of(
        lambda: _send(
            box,
            "a@other.example",
            [f"b@{domain}"],
            campaigns,
            FromEmailAddressIdentityArn=_arn(box, domain),
        )
    )
    assert code == "MessageRejected" and message.endswith("a@other.example")


def test_the_owners_region_is_where_the_identity_lives(
    box: Sandbox, marketing_policy_domain: str
) -> None:
    domain = marketing_policy_domain
    campaigns = box.profiles.delegate_for("campaigns")
    code, message, _ = error_of(
        lambda: ses(box, campaigns, region="us-east-1").send_email(
            FromEmailAddress=f"a@{domain}",
            FromEmailAddressIdentityArn=_arn(box, domain),
            Destination={"ToAddresses": [f"b@{domain}"]},
            Content={"Simple": SUBJECT},
        )
    )
    assert code == "MessageRejected" and "in region US-EAST-1" in message


def test_raw_content_is_authorized_as_send_raw_email(box: Sandbox) -> None:
    domain = verified_domain(box, "raw")
    marketing = OrgPath(box.world.org_id, box.world.root_id, (box.world.ous["Marketing"],))
    policy = build_policy_json(_arn(box, domain), [OuSubtree(marketing)], actions=["ses:SendEmail"])
    ses(box).create_email_identity_policy(EmailIdentity=domain, PolicyName="p", Policy=policy)
    raw = (
        f"From: raw@{domain}\r\nTo: inbox@{domain}\r\nSubject: Raw\r\n"
        "Message-ID: <client@example>\r\n\r\nRaw body.\r\n"
    ).encode()
    campaigns = box.session(box.profiles.delegate_for("campaigns")).client("sesv2")
    content = {"Raw": {"Data": raw}}
    code, _, _ = error_of(
        lambda: campaigns.send_email(FromEmailAddressIdentityArn=_arn(box, domain), Content=content)
    )
    assert code == "MessageRejected"  # the policy grants SendEmail, not SendRawEmail
    owner_id = ses(box).send_email(Content=content)["MessageId"]
    stored = box.mailbox.get(owner_id)
    assert b"Subject: Raw" in stored.raw and b"client@example" not in stored.raw
    assert stored.recipients == (f"inbox@{domain}",)


def test_mail_from_decides_the_return_path(box: Sandbox) -> None:
    domain = verified_domain(box, "mf")
    mail_from = f"bounce.{domain}"
    client = ses(box)
    client.put_email_identity_mail_from_attributes(
        EmailIdentity=domain, MailFromDomain=mail_from, BehaviorOnMxFailure="REJECT_MESSAGE"
    )
    code, message, _ = error_of(lambda: _send(box, f"app@{domain}", [f"a@{domain}"]))
    assert code == "MailFromDomainNotVerifiedException" and "MX record" in message
    client.put_email_identity_mail_from_attributes(EmailIdentity=domain, MailFromDomain=mail_from)
    fallback = box.mailbox.get(_send(box, f"app@{domain}", [f"a@{domain}"]))
    assert fallback.return_path_domain == f"{REGION}.amazonses.com"
    publish_mail_from(box, mail_from)
    custom = box.mailbox.get(_send(box, f"app@{domain}", [f"a@{domain}"]))
    assert custom.return_path_domain == mail_from
    assert b"spf=pass" in custom.raw and f"smtp.mailfrom={custom.mail_from}".encode() in custom.raw


def test_the_receiver_applies_the_domains_dmarc_policy(box: Sandbox) -> None:
    domain = verified_domain(box, "dm")
    box.dns.store.set_rrset(f"_dmarc.{domain}", "TXT", 300, ["v=DMARC1; p=reject"])
    stored = box.mailbox.get(_send(box, f"app@{domain}", [f"a@{domain}"]))
    assert stored.verdict is not None and stored.verdict.dmarc == "pass"
    assert f"dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from={domain}".encode() in stored.raw


def test_bad_requests(box: Sandbox) -> None:
    domain = verified_domain(box)
    client = ses(box)
    assert error_of(lambda: _send(box, f"app@{domain}", []))[0] == "BadRequestException"
    many = [f"r{n}@{domain}" for n in range(51)]
    code, message, _ = error_of(lambda: _send(box, f"app@{domain}", many))
    assert (code, message) == ("MessageRejected", "Recipient count exceeds 50.")
    code, _, _ = error_of(
        lambda: client.send_email(
            FromEmailAddress=f"app@{domain}",
            Destination={"ToAddresses": [f"a@{domain}"]},
            Content={"Template": {"TemplateName": "t", "TemplateData": "{}"}},
        )
    )
    assert code == "BadRequestException"


def test_the_daily_quota_is_enforced(box: Sandbox) -> None:
    domain = verified_domain(box)
    account = box.world.management.id
    box.state.send_log.record(account, REGION, box.clock.now(), 200)
    code, message, _ = error_of(lambda: _send(box, f"app@{domain}", [f"a@{domain}"]))
    assert (code, message) == ("LimitExceededException", "Daily message quota exceeded.")
    box.clock.advance(24 * 3600 + 1)

"""SES v2 identities in the sandbox: Easy DKIM tokens, keys in DNS, status read from DNS."""

from __future__ import annotations

from functools import partial

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.regions import DKIM_TOKEN_RE
from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.sandbox.aws.ses_shim.verification import SES_WINDOW_SECONDS
from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import (
    create_domain,
    error_of,
    fresh_domain,
    publish_dkim,
    ses,
    status,
)


def test_create_gives_three_tokens_a_signing_zone_and_pending(box: Sandbox) -> None:
    domain = fresh_domain()
    created = create_domain(box, domain)
    dkim = created["DkimAttributes"]
    assert created["IdentityType"] == "DOMAIN"
    assert created["VerifiedForSendingStatus"] is False
    assert dkim["Status"] == "PENDING" and dkim["SigningEnabled"] is True
    assert len(dkim["Tokens"]) == 3 and len(set(dkim["Tokens"])) == 3
    assert all(DKIM_TOKEN_RE.match(t) and len(t) == 32 for t in dkim["Tokens"])
    assert dkim["SigningHostedZone"] == "dkim.amazonses.com"
    assert dkim["NextSigningKeyLength"] == "RSA_1024_BIT"


def test_default_key_length_is_2048_and_tokens_differ_per_identity(box: Sandbox) -> None:
    first = ses(box).create_email_identity(EmailIdentity=fresh_domain())["DkimAttributes"]
    second = create_domain(box, fresh_domain())["DkimAttributes"]
    assert first["CurrentSigningKeyLength"] == "RSA_2048_BIT"
    assert not set(first["Tokens"]) & set(second["Tokens"])


def test_regional_signing_zone_for_a_region_with_its_own_dkim_domain(box: Sandbox) -> None:
    created = create_domain(box, fresh_domain(), region="af-south-1")
    assert created["DkimAttributes"]["SigningHostedZone"] == "dkim.af-south-1.amazonses.com"


def test_public_keys_are_served_where_the_cname_targets_point(box: Sandbox) -> None:
    dkim = create_domain(box, fresh_domain())["DkimAttributes"]
    lookup = make_lookup([box.dns.auth_address])
    for token in dkim["Tokens"]:
        answer = lookup(f"{token}.{dkim['SigningHostedZone']}", "TXT")
        assert answer.kind is AnswerKind.OK
        assert answer.values[0].startswith("p=MI")


def test_pending_until_all_three_cnames_resolve_then_success(box: Sandbox) -> None:
    domain = fresh_domain()
    created = create_domain(box, domain)
    before = status(box, domain)
    assert before["VerificationStatus"] == "PENDING"
    assert before["DkimAttributes"]["Status"] == "PENDING"
    assert before["VerifiedForSendingStatus"] is False
    assert before["VerificationInfo"]["ErrorType"] == "HOST_NOT_FOUND"
    assert before["MailFromAttributes"] == {"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"}

    dkim = created["DkimAttributes"]
    first, *_ = dkim["Tokens"]
    box.dns.store.set_rrset(
        f"{first}._domainkey.{domain}", "CNAME", 300, [f"{first}.dkim.amazonses.com"]
    )
    assert status(box, domain)["DkimAttributes"]["Status"] == "PENDING"  # one of three

    publish_dkim(box, domain, created)
    after = status(box, domain)
    assert after["VerificationStatus"] == "SUCCESS"
    assert after["DkimAttributes"]["Status"] == "SUCCESS"
    assert after["VerifiedForSendingStatus"] is True
    assert "ErrorType" not in after["VerificationInfo"]
    assert after["VerificationInfo"]["LastSuccessTimestamp"]


def test_a_wrong_cname_target_stays_pending_with_invalid_value(box: Sandbox) -> None:
    domain = fresh_domain()
    created = create_domain(box, domain)
    publish_dkim(box, domain, created)
    token = created["DkimAttributes"]["Tokens"][0]
    # The operator's DNS UI appended the zone to the target (email-auth.md s7).
    box.dns.store.set_rrset(
        f"{token}._domainkey.{domain}", "CNAME", 300, [f"{token}.dkim.amazonses.com.{domain}"]
    )
    found = status(box, domain)
    assert found["DkimAttributes"]["Status"] == "PENDING"
    assert found["VerificationInfo"]["ErrorType"] == "INVALID_VALUE"


def test_failed_after_the_window_and_then_stays_failed(box: Sandbox) -> None:
    domain = fresh_domain()
    created = create_domain(box, domain)
    box.clock.advance(SES_WINDOW_SECONDS + 60)
    assert status(box, domain)["DkimAttributes"]["Status"] == "FAILED"
    publish_dkim(box, domain, created)  # too late: SES stopped looking
    found = status(box, domain)
    assert found["VerificationStatus"] == "FAILED" and found["VerifiedForSendingStatus"] is False


def test_restarting_easy_dkim_gives_new_tokens_and_pending_again(box: Sandbox) -> None:
    domain = fresh_domain()
    old = create_domain(box, domain)["DkimAttributes"]["Tokens"]
    box.clock.advance(SES_WINDOW_SECONDS + 60)
    assert status(box, domain)["DkimAttributes"]["Status"] == "FAILED"
    restarted = ses(box).put_email_identity_dkim_signing_attributes(
        EmailIdentity=domain,
        SigningAttributesOrigin="AWS_SES",
        SigningAttributes={"NextSigningKeyLength": "RSA_1024_BIT"},
    )
    assert restarted["DkimStatus"] == "PENDING"
    assert not set(restarted["DkimTokens"]) & set(old)
    assert status(box, domain)["DkimAttributes"]["Status"] == "PENDING"


def test_records_removed_after_success_give_temporary_failure(box: Sandbox) -> None:
    domain = fresh_domain()
    created = create_domain(box, domain)
    publish_dkim(box, domain, created)
    assert status(box, domain)["DkimAttributes"]["Status"] == "SUCCESS"
    token = created["DkimAttributes"]["Tokens"][1]
    box.dns.store.delete_rrset(f"{token}._domainkey.{domain}", "CNAME")
    assert status(box, domain)["DkimAttributes"]["Status"] == "TEMPORARY_FAILURE"
    box.clock.advance(SES_WINDOW_SECONDS + 60)
    assert status(box, domain)["DkimAttributes"]["Status"] == "FAILED"


def test_duplicate_create_is_already_exists_whatever_the_case(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    code, message, http = error_of(lambda: create_domain(box, domain.upper()))
    assert (code, http) == ("AlreadyExistsException", 400)
    assert message == f"Email identity {domain} already exist."
    assert status(box, domain.upper())["IdentityType"] == "DOMAIN"


def test_identities_are_per_account_and_region(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    create_domain(box, domain, region="us-east-1")  # no AlreadyExists: another region
    other = box.profiles.delegate_for("engineering")
    code, _, http = error_of(lambda: ses(box, other).get_email_identity(EmailIdentity=domain))
    assert (code, http) == ("NotFoundException", 404)


def test_unknown_identity_is_not_found_for_get_and_delete(box: Sandbox) -> None:
    client = ses(box)
    for call in (client.get_email_identity, client.delete_email_identity):
        code, message, http = error_of(partial(call, EmailIdentity="nobody.example.com"))
        assert (code, http) == ("NotFoundException", 404)
        assert "nobody.example.com" in message


def test_invalid_identity_name_is_bad_request(box: Sandbox) -> None:
    code, _, http = error_of(lambda: ses(box).create_email_identity(EmailIdentity="not a domain"))
    assert (code, http) == ("BadRequestException", 400)


def test_byodkim_is_refused_with_a_clear_message(box: Sandbox) -> None:
    code, message, _ = error_of(
        lambda: ses(box).create_email_identity(
            EmailIdentity=fresh_domain(),
            DkimSigningAttributes={
                "DomainSigningSelector": "sel",
                "DomainSigningPrivateKey": "QUJD",
            },
        )
    )
    assert code == "BadRequestException" and "Easy DKIM only" in message


def test_delete_removes_the_identity_and_its_keys(box: Sandbox) -> None:
    domain = fresh_domain()
    dkim = create_domain(box, domain)["DkimAttributes"]
    ses(box).delete_email_identity(EmailIdentity=domain)
    assert error_of(lambda: status(box, domain))[0] == "NotFoundException"
    key_name = f"{dkim['Tokens'][0]}.{dkim['SigningHostedZone']}"
    assert box.dns.store.get_rrset(key_name, "TXT") is None


def test_email_address_identities_are_verified_at_once(box: Sandbox) -> None:
    address = f"ops@{fresh_domain()}"
    created = ses(box).create_email_identity(EmailIdentity=address)
    assert created["IdentityType"] == "EMAIL_ADDRESS"
    assert created["VerifiedForSendingStatus"] is True
    assert status(box, address)["VerificationStatus"] == "SUCCESS"


def test_list_identities_shows_status_and_filters(box: Sandbox) -> None:
    domain = fresh_domain("list")
    publish_dkim(box, domain, create_domain(box, domain))
    pending = fresh_domain("list")
    create_domain(box, pending)
    client = ses(box)
    rows = {r["IdentityName"]: r for r in client.list_email_identities()["EmailIdentities"]}
    assert rows[domain]["VerificationStatus"] == "SUCCESS" and rows[domain]["SendingEnabled"]
    assert rows[pending]["VerificationStatus"] == "PENDING"
    only = client.list_email_identities(Filter={"VERIFICATION_STATUS": "PENDING"})
    names = {r["IdentityName"] for r in only["EmailIdentities"]}
    assert pending in names and domain not in names

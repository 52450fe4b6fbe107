"""PutEmailIdentityMailFromAttributes in the sandbox: SES's validation and MX-driven status."""

from __future__ import annotations

from functools import partial

from sesdmarc_tui.sandbox.aws.ses_shim.verification import SES_WINDOW_SECONDS
from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import (
    create_domain,
    error_of,
    fresh_domain,
    publish_mail_from,
    ses,
    status,
)


def _put(box: Sandbox, domain: str, mail_from: str | None, **extra: str) -> None:
    params = {"EmailIdentity": domain, **extra}
    if mail_from is not None:
        params["MailFromDomain"] = mail_from
    ses(box).put_email_identity_mail_from_attributes(**params)


def _mail_from(box: Sandbox, domain: str) -> dict[str, str]:
    found: dict[str, str] = status(box, domain)["MailFromAttributes"]
    return found


def test_pending_until_the_mx_resolves_then_success(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    _put(box, domain, f"mail.{domain}")
    assert _mail_from(box, domain) == {
        "MailFromDomain": f"mail.{domain}",
        "MailFromDomainStatus": "PENDING",
        "BehaviorOnMxFailure": "USE_DEFAULT_VALUE",
    }
    publish_mail_from(box, f"mail.{domain}")
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "SUCCESS"


def test_an_mx_to_another_host_keeps_it_pending(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    _put(box, domain, f"bounce.{domain}")
    box.dns.store.set_rrset(f"bounce.{domain}", "MX", 300, ["10 mx.elsewhere.example.net."])
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "PENDING"


def test_a_second_mx_fails_the_setup_until_it_is_restarted(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    mail_from = f"mail.{domain}"
    _put(box, domain, mail_from)
    publish_mail_from(box, mail_from)
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "SUCCESS"
    box.dns.store.set_rrset(
        mail_from,
        "MX",
        300,
        ["10 feedback-smtp.eu-west-1.amazonses.com.", "20 mx.example.net."],
    )
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "FAILED"
    publish_mail_from(box, mail_from)  # fixed, but SES stopped checking
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "FAILED"
    _put(box, domain, mail_from)  # the restart
    assert _mail_from(box, domain)["MailFromDomainStatus"] == "SUCCESS"


def test_failed_when_no_mx_appears_within_the_window(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    _put(box, domain, f"mail.{domain}", BehaviorOnMxFailure="REJECT_MESSAGE")
    box.clock.advance(SES_WINDOW_SECONDS + 60)
    found = _mail_from(box, domain)
    assert found["MailFromDomainStatus"] == "FAILED"
    assert found["BehaviorOnMxFailure"] == "REJECT_MESSAGE"


def test_omitting_the_domain_turns_custom_mail_from_off(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    _put(box, domain, f"mail.{domain}")
    _put(box, domain, None)
    assert _mail_from(box, domain) == {"BehaviorOnMxFailure": "USE_DEFAULT_VALUE"}


def test_mail_from_outside_the_identity_is_bad_request(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    for wrong in ("mail.example.org", domain):
        code, message, http = error_of(partial(_put, box, domain, wrong))
        assert (code, http) == ("BadRequestException", 400)
        assert "is not subdomain of the domain of the identity" in message


def test_unknown_behaviour_is_bad_request(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    code, message, _ = error_of(
        lambda: _put(box, domain, f"mail.{domain}", BehaviorOnMxFailure="UseDefaultValue")
    )
    assert code == "BadRequestException" and "BehaviorOnMxFailure" in message


def test_unknown_identity_is_not_found(box: Sandbox) -> None:
    code, _, http = error_of(lambda: _put(box, "nobody.example.com", "mail.nobody.example.com"))
    assert (code, http) == ("NotFoundException", 404)

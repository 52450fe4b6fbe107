"""Identity policies in the sandbox: the validation moto skips, with SES's error codes."""

from __future__ import annotations

import json
from functools import partial

from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import create_domain, error_of, fresh_domain, ses


def _policy(domain: str, account: str = "111122223333") -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
        "Resource": f"arn:aws:ses:eu-west-1:123456789012:identity/{domain}",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_create_get_update_delete(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    client = ses(box)
    client.create_email_identity_policy(
        EmailIdentity=domain, PolicyName="p1", Policy=_policy(domain)
    )
    assert client.get_email_identity_policies(EmailIdentity=domain)["Policies"] == {
        "p1": _policy(domain)
    }
    client.update_email_identity_policy(
        EmailIdentity=domain, PolicyName="p1", Policy=_policy(domain, "444455556666")
    )
    found = client.get_email_identity(EmailIdentity=domain)["Policies"]
    assert "444455556666" in found["p1"]
    client.delete_email_identity_policy(EmailIdentity=domain, PolicyName="p1")
    client.delete_email_identity_policy(EmailIdentity=domain, PolicyName="p1")  # no error
    assert client.get_email_identity_policies(EmailIdentity=domain)["Policies"] == {}


def test_second_create_of_a_name_is_already_exists(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    client = ses(box)
    client.create_email_identity_policy(
        EmailIdentity=domain, PolicyName="p", Policy=_policy(domain)
    )
    code, _, http = error_of(
        lambda: client.create_email_identity_policy(
            EmailIdentity=domain, PolicyName="p", Policy=_policy(domain)
        )
    )
    assert (code, http) == ("AlreadyExistsException", 400)


def test_invalid_json_and_bad_names_are_bad_request(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    client = ses(box)
    for name, text in (("p", '{"Version": "2012-10-17",'), ("p", "[]"), ("bad name!", "{}")):
        call = partial(
            client.create_email_identity_policy, EmailIdentity=domain, PolicyName=name, Policy=text
        )
        code, _, http = error_of(call)
        assert (code, http) == ("BadRequestException", 400)


def test_the_21st_policy_is_limit_exceeded(box: Sandbox) -> None:
    domain = fresh_domain()
    create_domain(box, domain)
    client = ses(box)
    for n in range(20):
        client.create_email_identity_policy(
            EmailIdentity=domain, PolicyName=f"p{n}", Policy=_policy(domain)
        )
    code, message, http = error_of(
        lambda: client.create_email_identity_policy(
            EmailIdentity=domain, PolicyName="p20", Policy=_policy(domain)
        )
    )
    assert (code, http) == ("LimitExceededException", 400)
    assert "20 policies" in message


def test_policies_of_an_unknown_identity_are_not_found(box: Sandbox) -> None:
    client = ses(box)
    code, _, http = error_of(
        lambda: client.create_email_identity_policy(
            EmailIdentity="nobody.example.com", PolicyName="p", Policy="{}"
        )
    )
    assert (code, http) == ("NotFoundException", 404)
    code, _, _ = error_of(
        lambda: client.get_email_identity_policies(EmailIdentity="nobody.example.com")
    )
    assert code == "NotFoundException"

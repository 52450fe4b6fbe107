"""Helpers for the SES shim's tests: clients as the owner or a delegate, records, errors."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from sesdmarc_tui.core.records import dkim_records, mail_from_records
from sesdmarc_tui.sandbox.world import Sandbox

DOMAIN = "example.com"
REGION = "eu-west-1"
FAST_KEY = {"NextSigningKeyLength": "RSA_1024_BIT"}  # key generation is the slow part of a create
_counter = itertools.count(1)


def fresh_domain(label: str = "t") -> str:
    """A new subdomain of the demo domain: tests in one module never share an identity."""
    return f"{label}{next(_counter)}.{DOMAIN}"


def ses(box: Sandbox, profile: str | None = None, region: str | None = None) -> Any:
    return box.session(profile, region).client("sesv2")


def delegate(box: Sandbox, account_name: str) -> str:
    return box.profiles.delegate_for(account_name)


def error_of(call: Callable[[], Any]) -> tuple[str, str, int]:
    """(code, message, HTTP status) of the ClientError the call raises."""
    from botocore.exceptions import ClientError

    try:
        call()
    except ClientError as exc:
        error = exc.response["Error"]
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        return str(error["Code"]), str(error.get("Message", "")), int(status)
    raise AssertionError("the call did not fail")


def create_domain(box: Sandbox, domain: str, region: str | None = None) -> dict[str, Any]:
    client = ses(box, region=region)
    created: dict[str, Any] = client.create_email_identity(
        EmailIdentity=domain, DkimSigningAttributes=FAST_KEY
    )
    return created


def publish_dkim(box: Sandbox, domain: str, created: dict[str, Any], region: str = REGION) -> None:
    dkim = created["DkimAttributes"]
    for record in dkim_records(domain, dkim["Tokens"], region, dkim["SigningHostedZone"]):
        box.dns.store.set_rrset(record.name, record.rtype, record.ttl, list(record.values))


def publish_mail_from(box: Sandbox, mail_from: str, region: str = REGION) -> None:
    for record in mail_from_records(mail_from, region):
        box.dns.store.set_rrset(record.name, record.rtype, record.ttl, list(record.values))


def verified_domain(box: Sandbox, label: str = "v") -> str:
    domain = fresh_domain(label)
    publish_dkim(box, domain, create_domain(box, domain))
    return domain


def status(box: Sandbox, domain: str, profile: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = ses(box, profile).get_email_identity(EmailIdentity=domain)
    return found

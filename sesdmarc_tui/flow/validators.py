"""Field validators: typed text in, the normalised value out, or ``InputError`` with a fix.

They wrap the ``core`` validators (which raise ``ValueError`` subclasses carrying ``message``
and ``hint``) so that every front end shows the same sentence beside the same field.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable

from sesdmarc_tui.core.names import DomainError, is_subdomain, normalize_domain
from sesdmarc_tui.flow.model import InputError, split_multi

_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")


def _wrap(exc: ValueError) -> InputError:
    return InputError(str(getattr(exc, "message", "") or exc), str(getattr(exc, "hint", "")))


def domain(text: str) -> str:
    """A registrable-looking domain, IDN converted to its A-label form."""
    try:
        return normalize_domain(text, min_labels=2)
    except DomainError as exc:
        raise _wrap(exc) from None


def region(text: str) -> str:
    from sesdmarc_tui.core.regions import UnknownRegionError, ses_region

    try:
        return ses_region(text).name
    except UnknownRegionError as exc:
        raise _wrap(exc) from None


def subdomain_of(parent: str) -> Callable[[str], str]:
    """A strict subdomain of ``parent``; a bare label (``mail``) is taken as ``mail.<parent>``."""

    def check(text: str) -> str:
        raw = text.strip().rstrip(".")
        if raw and "." not in raw:
            raw = f"{raw}.{parent}"
        name = domain(raw)
        if not is_subdomain(name, parent, strict=True):
            raise InputError(
                f"{name} is not a subdomain of {parent}.",
                f"SES needs a subdomain of the identity, such as mail.{parent}.",
            )
        return name

    return check


def email_address(text: str, *, within: str | None = None) -> str:
    value = text.strip()
    local, at, host = value.rpartition("@")
    if not at or not local or not _LOCAL_PART.match(local) or local.startswith("."):
        raise InputError(f"{value!r} is not an email address.", "Type it as name@example.com.")
    name = domain(host)
    if within is not None and not is_subdomain(name, within):
        raise InputError(
            f"{value} is not an address of {within}.", f"Use an address such as test@{within}."
        )
    return f"{local}@{name}"


def address_in(parent: str) -> Callable[[str], str]:
    return lambda text: email_address(text, within=parent)


def report_uris(text: str) -> str:
    """DMARC rua/ruf addresses: ``a@x, mailto:b@y`` -> ``mailto:a@x,mailto:b@y``."""
    uris: list[str] = []
    for item in split_multi(text):
        address = item[7:] if item.lower().startswith("mailto:") else item
        if "!" in address:
            raise InputError(
                f"{item!r} carries a size limit (!), which RFC 9989 dropped.",
                "Give the address alone.",
            )
        uris.append("mailto:" + email_address(address))
    return ",".join(dict.fromkeys(uris))


def uri_list(value: str) -> list[str]:
    return [u for u in value.split(",") if u]


def ipv4_or_6(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise InputError(
            f"{text.strip()!r} is not an IP address.",
            "Give the primary server's address (for example 192.0.2.53).",
        ) from None


def port(text: str) -> str:
    value = text.strip()
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise InputError(f"{value!r} is not a port number.", "DNS uses 53.")
    return str(int(value))


def dns_name(text: str) -> str:
    try:
        return normalize_domain(text, allow_underscore=True)
    except DomainError as exc:
        raise _wrap(exc) from None


def base64_secret(text: str) -> str:
    value = "".join(text.split())
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise InputError(
            "The secret is not base64.", "Copy it exactly as the server's key file shows it."
        ) from None
    if not raw:
        raise InputError("The secret is empty.", "Copy it from the server's key file.")
    return value


def role_arn(text: str) -> str:
    from sesdmarc_tui.core.policy import validate_role_arn

    try:
        return validate_role_arn(text).to_string()
    except ValueError as exc:
        raise _wrap(exc) from None


_EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}", re.ASCII)


def external_id(text: str) -> str:
    """An STS external ID as AssumeRole takes it: 2-1224 of letters, digits and ``+=,.@:/-_``.

    The value is a secret, so the message never repeats it.
    """
    value = text.strip()
    if not _EXTERNAL_ID.fullmatch(value):
        raise InputError(
            f"The external ID ({len(value)} characters) is not one AWS accepts.",
            "Use 2 to 1224 letters, digits and + = , . @ : / - _ exactly as the role's trust "
            "policy has it.",
        )
    return value


def policy_name(text: str) -> str:
    from sesdmarc_tui.core.policy import validate_policy_name

    try:
        return validate_policy_name(text)
    except ValueError as exc:
        raise _wrap(exc) from None


def from_patterns(domain: str) -> Callable[[str], str]:
    """``ses:FromAddress`` globs within ``domain``, each checked as the policy builder will.

    Checked when typed (and when ``apply`` reads a config) rather than at the Authorization
    step, so a bad pattern never stops a headless run after the DNS work is done.
    """

    def check(text: str) -> str:
        from sesdmarc_tui.core.policy import IdentityArn, validate_from_pattern

        identity = IdentityArn("aws", "us-east-1", "000000000000", domain)
        try:
            patterns = [validate_from_pattern(p, identity) for p in split_multi(text)]
        except ValueError as exc:
            raise _wrap(exc) from None
        return ",".join(dict.fromkeys(patterns))

    return check


def account_ids(text: str) -> str:
    from sesdmarc_tui.core.policy import validate_account_id

    try:
        return ",".join(sorted({validate_account_id(i) for i in split_multi(text)}))
    except ValueError as exc:
        raise _wrap(exc) from None


def org_targets(text: str) -> str:
    """OU IDs (``ou-...``) or org paths (``o-.../r-.../ou-.../``), as typed, checked."""
    from sesdmarc_tui.core.policy import parse_org_path, validate_ou_id

    items: list[str] = []
    try:
        for item in split_multi(text):
            if "/" in item:
                items.append(parse_org_path(item).to_string())
            else:
                items.append(validate_ou_id(item))
    except ValueError as exc:
        raise _wrap(exc) from None
    return ",".join(dict.fromkeys(items))

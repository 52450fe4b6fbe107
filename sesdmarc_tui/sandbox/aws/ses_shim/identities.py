"""SES identities as the sandbox keeps them: one store per sandbox, keyed by account and region.

moto's SES v2 identities have no DKIM tokens, verify instantly and never stay PENDING
(ses-api.md s12), so the shim owns the whole SES v2 identity surface: identities, their Easy
DKIM tokens and keys, MAIL FROM settings and policies live here, and moto never sees them.
(moto's SES v1 API therefore does not list the sandbox's identities; the product uses v2 only.)

Domain names are case-insensitive in SES and address identities are case-sensitive
(ses-api.md s1.7): the key of an address keeps its local part as typed.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Literal

from sesdmarc_tui.core.names import DomainError, is_subdomain, normalize_domain, parent_names
from sesdmarc_tui.core.regions import identity_arn
from sesdmarc_tui.sandbox.aws.ses_shim.http import ShimError
from sesdmarc_tui.sandbox.aws.ses_shim.verification import Verification
from sesdmarc_tui.sandbox.keys import DkimKey

IdentityKind = Literal["DOMAIN", "EMAIL_ADDRESS"]
MailFromBehavior = Literal["USE_DEFAULT_VALUE", "REJECT_MESSAGE"]
BEHAVIORS: tuple[MailFromBehavior, ...] = ("USE_DEFAULT_VALUE", "REJECT_MESSAGE")


def canonical_identity(text: object) -> tuple[str, IdentityKind]:
    """The stored name and kind of an identity as a caller typed it; BadRequest if it is neither."""
    value = text.strip() if isinstance(text, str) else ""
    local, at, domain = value.rpartition("@")
    try:
        if at:
            if not local or any(c.isspace() for c in local):
                raise DomainError(f"{value!r} has no usable local part")
            return f"{local}@{normalize_domain(domain, min_labels=2)}", "EMAIL_ADDRESS"
        return normalize_domain(value, min_labels=2), "DOMAIN"
    except DomainError:
        raise ShimError(400, "BadRequestException", f"Invalid email identity: {value!r}.") from None


def canonical_address(address: str) -> str:
    """The local part as given (SES compares it case-sensitively), the domain in lower case."""
    local, at, domain = address.strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at else address.strip()


def already_exists(name: str) -> ShimError:
    # The message real SES v2 sends, grammar included (ses-api.md s1.8).
    return ShimError(400, "AlreadyExistsException", f"Email identity {name} already exist.")


@dataclass
class MailFrom:
    domain: str
    verification: Verification


@dataclass
class Identity:
    account: str
    region: str
    name: str
    kind: IdentityKind
    created: float
    tokens: tuple[str, ...] = ()
    signing_zone: str | None = None
    key_length: str = "RSA_2048_BIT"
    key: DkimKey | None = field(default=None, repr=False)
    dkim: Verification | None = None
    signing_enabled: bool = True
    mail_from: MailFrom | None = None
    mx_failure_behavior: MailFromBehavior = "USE_DEFAULT_VALUE"
    policies: dict[str, str] = field(default_factory=dict)
    configuration_set: str | None = None

    @property
    def domain(self) -> str:
        return self.name.rpartition("@")[2]

    @property
    def arn(self) -> str:
        return identity_arn(self.region, self.account, self.name)

    def covers(self, address: str) -> bool:
        """True when mail From ``address`` may be sent as this identity (subdomains included)."""
        if self.kind == "EMAIL_ADDRESS":
            return canonical_address(address) == self.name
        _, at, domain = address.rpartition("@")
        return bool(at) and is_subdomain(domain, self.name)


class IdentityStore:
    """Thread-safe: werkzeug serves each request on its own thread."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._items: dict[tuple[str, str, str], Identity] = {}

    def add(self, identity: Identity) -> None:
        key = (identity.account, identity.region, identity.name)
        with self.lock:
            if key in self._items:
                raise already_exists(identity.name)
            self._items[key] = identity

    def get(self, account: str, region: str, name: str) -> Identity | None:
        with self.lock:
            return self._items.get((account, region, name))

    def require(self, account: str, region: str, text: object) -> Identity:
        name, _ = canonical_identity(text)
        found = self.get(account, region, name)
        if found is None:
            raise ShimError(404, "NotFoundException", f"Email identity {name} does not exist.")
        return found

    def remove(self, identity: Identity) -> None:
        with self.lock:
            self._items.pop((identity.account, identity.region, identity.name), None)

    def in_account(self, account: str, region: str) -> list[Identity]:
        with self.lock:
            found = [i for (a, r, _), i in self._items.items() if a == account and r == region]
        return sorted(found, key=lambda i: i.name)

    def covering(self, account: str, region: str, address: str) -> list[Identity]:
        """Identities that cover ``address``, most specific first: address, domain, parents."""
        domain = address.rpartition("@")[2].lower()
        names = [canonical_address(address)] if "@" in address else []
        with contextlib.suppress(DomainError):  # an odd From domain: the address alone
            names.extend(parent_names(normalize_domain(domain)))
        found = (self.get(account, region, n) for n in names)
        return [i for i in found if i is not None and i.covers(address)]

"""Every moto internal the sandbox touches, in one place, pinned to the moto versions we test.

The shim reads moto's state in-process (the sandbox runs in the same process as moto's server
threads) for two answers only: which account an access key belongs to, and where an account
sits in the organization. Both go through methods shaped like the public API
(``describe_organization``, ``list_parents``) or through the same function moto's own request
handling uses, so a moto upgrade that keeps the API keeps these working; ``check_moto_version``
refuses versions nobody has tested, and ``tests/sandbox/aws/test_moto_pins.py`` exercises each
function against the installed moto.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Inclusive lower bound, exclusive upper bound: the range the sandbox is tested against.
SUPPORTED_MOTO = ((5, 1), (6, 0))
DEFAULT_ACCOUNT_ID = "123456789012"  # moto's account for any key it does not know
PARTITION = "aws"


class UnsupportedMotoError(RuntimeError):
    """The installed moto is outside the range the sandbox's shim was written for."""


def moto_version() -> tuple[int, ...]:
    from importlib.metadata import version

    parts: list[int] = []
    for piece in version("moto").split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_moto_version() -> tuple[int, ...]:
    found = moto_version()
    low, high = SUPPORTED_MOTO
    if not low <= found[:2] < high:
        shown = ".".join(map(str, found))
        raise UnsupportedMotoError(
            f"moto {shown} is installed, but the sandbox supports moto >={low[0]}.{low[1]},"
            f"<{high[0]}.{high[1]}. Install a supported one: pip install 'moto[server]>=5.1,<6'."
        )
    return found


def backend_app() -> Callable[..., Any]:
    """moto's WSGI application (what ``moto_server`` and ``ThreadedMotoServer`` serve)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app: Callable[..., Any] = DomainDispatcherApplication(create_backend_app)
    return app


def request_handler() -> type[Any]:
    """moto's werkzeug request handler (keeps header spellings some services need)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    handler: type[Any] = MotoRequestHandler
    return handler


def reset_state(endpoint_url: str) -> None:
    """Forget every account, identity and zone: moto's state is global to the process.

    ``/moto-api/reset`` is moto's public reset; it leaves Organizations' member-to-management
    map behind, so an account of an earlier sandbox would still look like a member.
    """
    import urllib.request

    request = urllib.request.Request(f"{endpoint_url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    from moto.organizations.models import organizations_backends

    organizations_backends.master_accounts.clear()


def account_of(access_key_id: str | None, header_account: str | None = None) -> str:
    """The account moto serves a request in, by moto's own priority order.

    ``MOTO_ACCOUNT_ID`` in the environment, then the ``x-moto-account-id`` header, then the
    account whose IAM holds the access key (``AssumeRole`` registers its keys there), else the
    default account.
    """
    forced = os.environ.get("MOTO_ACCOUNT_ID")
    if forced:
        return forced
    if header_account:
        return header_account
    if not access_key_id:
        return DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(access_key_id))


@dataclass(frozen=True)
class Membership:
    """An account's place in its organization: ``paths`` are ``aws:PrincipalOrgPaths`` values."""

    org_id: str
    management_account: str
    paths: tuple[str, ...]


def membership_of(account_id: str) -> Membership | None:
    """The organization and org path of ``account_id``, or None outside any organization."""
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.organizations.models import organizations_backends

    try:
        described = organizations_backends[account_id][PARTITION].describe_organization()
    except AWSOrganizationsNotInUseException:
        return None
    org = described.get("Organization", described)
    org_id = str(org["Id"])
    management = str(org["MasterAccountId"])
    backend = organizations_backends[management][PARTITION]
    chain: list[str] = []
    child = account_id
    for _ in range(10):  # OUs nest at most five deep; this only stops a loop
        parents = backend.list_parents(ChildId=child).get("Parents") or []
        if not parents:
            break
        parent = str(parents[0]["Id"])
        chain.append(parent)
        if parent.startswith("r-"):
            break
        child = parent
    path = "/".join((org_id, *reversed(chain))) + "/"
    return Membership(org_id, management, (path,))

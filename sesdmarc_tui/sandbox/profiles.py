"""The AWS config and credentials files that point every AWS tool at the sandbox.

The owner profile holds static keys generated at start: random, shaped like real keys, valid
nowhere but in this sandbox (moto maps an access key it does not know to the management
account). Each delegate profile assumes ``OrganizationAccountAccessRole`` in its member
account from the owner profile, the way operators reach member accounts, and moto hands back
credentials that map to that account. ``endpoint_url`` in every profile sends boto3, the AWS
CLI and the product to the sandbox even without ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import os
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sesdmarc_tui.sandbox.seed import DemoAccount

OWNER_PROFILE = "sesdmarc-demo-owner"
PROFILE_PREFIX = "sesdmarc-demo-"
_KEY_CHARS = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class DemoCredentials:
    access_key_id: str
    secret_access_key: str = field(repr=False)

    @classmethod
    def generate(cls) -> DemoCredentials:
        key = "AKIA" + "".join(secrets.choice(_KEY_CHARS) for _ in range(16))
        return cls(key, secrets.token_urlsafe(30)[:40])


@dataclass(frozen=True)
class DemoProfiles:
    config_file: Path
    credentials_file: Path
    owner: str
    delegates: dict[str, str]  # profile name -> account ID

    def delegate_for(self, account_name: str) -> str:
        return f"{PROFILE_PREFIX}{account_name}"


def _write_private(path: Path, text: str) -> None:
    """Create the file readable by its owner only, before any secret is written into it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def write_profiles(
    directory: Path,
    *,
    endpoint_url: str,
    region: str,
    owner: DemoCredentials,
    delegates: Iterable[DemoAccount],
) -> DemoProfiles:
    common = f"region = {region}\nendpoint_url = {endpoint_url}\noutput = json\n"
    sections = [f"[profile {OWNER_PROFILE}]\n{common}"]
    delegate_profiles: dict[str, str] = {}
    for account in delegates:
        name = f"{PROFILE_PREFIX}{account.name}"
        delegate_profiles[name] = account.id
        sections.append(
            f"[profile {name}]\nrole_arn = {account.role_arn}\n"
            f"source_profile = {OWNER_PROFILE}\nrole_session_name = sesdmarc-demo\n{common}"
        )
    config = directory / "aws-config"
    credentials = directory / "aws-credentials"
    _write_private(config, "\n".join(sections))
    _write_private(
        credentials,
        f"[{OWNER_PROFILE}]\naws_access_key_id = {owner.access_key_id}\n"
        f"aws_secret_access_key = {owner.secret_access_key}\n",
    )
    return DemoProfiles(config, credentials, OWNER_PROFILE, delegate_profiles)

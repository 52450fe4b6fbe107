"""AWS profiles the operator can pick, read from the shared config and credentials files.

The files are parsed here with configparser rather than through botocore: listing profiles is
on the start screen's path, must not pay for importing boto3, and needs the profile *kind*
(SSO, role, static keys), which botocore does not expose.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sesdmarc_tui.aws.errors import AwsError, ErrorKind

ProfileKind = Literal["environment", "sso", "assume_role", "process", "static", "other"]

ENVIRONMENT_PROFILE = "environment"


@dataclass(frozen=True)
class ProfileInfo:
    """One choosable credential source. ``name`` is what ``AwsSession.from_profile`` takes."""

    name: str
    kind: ProfileKind
    region: str | None = None
    source: str = "config"
    sso_session: str | None = None
    sso_start_url: str | None = None
    role_arn: str | None = None

    @property
    def is_sso(self) -> bool:
        return self.kind == "sso"

    @property
    def label(self) -> str:
        """``prod-admin (SSO, eu-west-1)`` for a picker."""
        what = {
            "environment": "environment variables",
            "sso": "SSO",
            "assume_role": "role",
            "process": "credential process",
            "static": "access key",
            "other": "profile",
        }[self.kind]
        return f"{self.name} ({what}{', ' + self.region if self.region else ''})"


def _default_path(environ: Mapping[str, str], variable: str, fallback: str) -> Path:
    value = environ.get(variable)
    return Path(value).expanduser() if value else Path.home() / ".aws" / fallback


def _read(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, default_section="__no_defaults__")
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        pass
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        raise AwsError(
            ErrorKind.INVALID_CONFIG,
            f"The AWS file {path} cannot be read: {str(exc).splitlines()[0]}",
            "Fix the line it names (INI syntax), or point AWS_CONFIG_FILE elsewhere.",
        ) from None
    return parser


def _kind(values: Mapping[str, str], has_keys: bool) -> ProfileKind:
    if "sso_session" in values or any(k.startswith("sso_") for k in values):
        return "sso"
    if "role_arn" in values:
        return "assume_role"
    if "credential_process" in values:
        return "process"
    if has_keys or "aws_access_key_id" in values:
        return "static"
    return "other"


def list_profiles(
    *,
    config_file: Path | None = None,
    credentials_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[ProfileInfo]:
    """Every profile in the AWS config and credentials files, plus ``environment`` when set.

    Order: ``environment`` (if AWS_ACCESS_KEY_ID is set), ``default``, then by name.
    """
    env = os.environ if environ is None else environ
    config = _read(config_file or _default_path(env, "AWS_CONFIG_FILE", "config"))
    creds = _read(
        credentials_file or _default_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
    )

    sso_sessions: dict[str, dict[str, str]] = {}
    profiles: dict[str, dict[str, str]] = {}
    for section in config.sections():
        values = dict(config.items(section))
        if section.startswith("sso-session "):
            sso_sessions[section.split(None, 1)[1].strip()] = values
        elif section.startswith("profile "):
            profiles[section.split(None, 1)[1].strip()] = values
        elif section == "default":
            profiles.setdefault("default", {}).update(values)
    cred_names = {name.strip() for name in creds.sections()}

    found: list[ProfileInfo] = []
    if env.get("AWS_ACCESS_KEY_ID"):
        found.append(
            ProfileInfo(
                ENVIRONMENT_PROFILE,
                "environment",
                region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
                source="environment",
            )
        )
    for name in sorted(set(profiles) | cred_names, key=lambda n: (n != "default", n)):
        values = profiles.get(name, {})
        sources = [
            s
            for s, present in (("config", name in profiles), ("credentials", name in cred_names))
            if present
        ]
        session_name = values.get("sso_session")
        start_url = values.get("sso_start_url") or sso_sessions.get(session_name or "", {}).get(
            "sso_start_url"
        )
        found.append(
            ProfileInfo(
                name,
                _kind(values, name in cred_names),
                region=values.get("region"),
                source="+".join(sources),
                sso_session=session_name,
                sso_start_url=start_url,
                role_arn=values.get("role_arn"),
            )
        )
    return found


def find_profile(name: str, profiles: list[ProfileInfo] | None = None) -> ProfileInfo | None:
    for profile in list_profiles() if profiles is None else profiles:
        if profile.name == name:
            return profile
    return None

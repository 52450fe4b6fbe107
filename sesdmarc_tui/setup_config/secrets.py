"""Secrets named by ``setup.toml``: read from an environment variable or a file, never stored.

A TSIG secret file may be the bare base64 secret or BIND's key file (``tsig-keygen`` output,
the sandbox's ``tsig.key``); from a key file the key's name and algorithm are taken too, when
the config does not give them. Nothing here prints a secret: problems name the variable or
the file, never the value.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MAX_SECRET_FILE_BYTES = 64 * 1024
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY = re.compile(r'key\s+"?([^"\s{]+)"?\s*\{', re.IGNORECASE)
_ALGORITHM = re.compile(r"algorithm\s+\"?([A-Za-z0-9.-]+)\"?\s*;", re.IGNORECASE)
_SECRET = re.compile(r'secret\s+"([^"]*)"\s*;', re.IGNORECASE)


class SecretError(ValueError):
    """Why a secret could not be read (never containing the secret)."""


@dataclass(frozen=True)
class SecretValue:
    value: str
    key_name: str | None = None  # from a BIND key file
    algorithm: str | None = None


def from_env(name: str, environ: Mapping[str, str]) -> SecretValue:
    if not ENV_NAME.fullmatch(name):
        raise SecretError(f"{name!r} is not an environment variable name.")
    value = environ.get(name, "")
    if not value.strip():
        raise SecretError(f"the environment variable {name} is not set (or is empty).")
    return SecretValue(value.strip())


def from_file(name: str, base_dir: Path) -> SecretValue:
    """Read a secret file (relative paths are relative to the config file's directory)."""
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = base_dir / path
    try:
        # O_NONBLOCK: opening a FIFO by mistake must fail the type check below, not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SecretError(f"the file {path} cannot be read: {exc.strerror}.") from None
    except ValueError:  # a NUL in the name: TOML strings may hold one (\u0000)
        raise SecretError(f"the file name {name!r} contains a NUL character.") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SecretError(f"{path} is not a regular file.")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_SECRET_FILE_BYTES + 1)
    if len(raw) > MAX_SECRET_FILE_BYTES:
        raise SecretError(f"{path} is far too large to hold a secret.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretError(f"{path} is not UTF-8 text.") from None
    return parse_secret_text(text, str(path))


def parse_secret_text(text: str, where: str) -> SecretValue:
    """A bare secret, or the first key of a BIND key file."""
    secret = _SECRET.search(text)
    if secret is not None:
        key = _KEY.search(text)
        algorithm = _ALGORITHM.search(text)
        return SecretValue(
            secret.group(1).strip(),
            key_name=key.group(1) if key else None,
            algorithm=algorithm.group(1).lower() if algorithm else None,
        )
    value = text.strip()
    if not value or "\n" in value:
        raise SecretError(f"{where} holds neither one secret nor a BIND key statement.")
    return SecretValue(value)

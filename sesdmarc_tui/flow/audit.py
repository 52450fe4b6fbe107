"""The audit log: one JSON line per change the wizard makes (or tries to make).

Fields: ``time`` (ISO 8601, UTC), ``account``, ``region``, ``domain``, ``step``, ``action``,
``call``, ``parameters`` and ``result`` (``ok``, ``error`` or ``manual``) with ``message``.
Parameters are redacted twice: any key named like a secret becomes ``<redacted>``, and any
known secret value (TSIG, external ID) is cut out of every string, including error messages,
which may quote what the caller sent.

Each record is written with one ``write`` on a file opened ``O_APPEND`` (0600), so records from
two processes never interleave within a line. A symlink in the log's place is refused (never
followed), and a write that fails (a full disk) is a ``StateError`` saying so; a line that was
only partly written is skipped when reading.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from sesdmarc_tui.aws.errors import redact as redact_credentials
from sesdmarc_tui.flow.model import JsonValue
from sesdmarc_tui.flow.state import SECRET_KEY, StateError, iso_time
from sesdmarc_tui.flow.store import FILE_MODE, ensure_private_dir

REDACTED = "<redacted>"
Result = Literal["ok", "error", "manual"]


def redact(value: JsonValue, secrets: Iterable[str] = ()) -> JsonValue:
    """``value`` with secret-named keys and known secret values replaced."""
    known = sorted({s for s in secrets if s}, key=len, reverse=True)

    def clean(item: JsonValue) -> JsonValue:
        if isinstance(item, dict):
            return {k: REDACTED if SECRET_KEY.search(k) else clean(v) for k, v in item.items()}
        if isinstance(item, list):
            return [clean(v) for v in item]
        if isinstance(item, str):
            for secret in known:
                item = item.replace(secret, REDACTED)
            return redact_credentials(item)
        return item

    return clean(value)


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(
        self,
        *,
        now: float,
        account: str | None,
        region: str | None,
        domain: str | None,
        step: str,
        action: str,
        call: str,
        parameters: Mapping[str, JsonValue],
        result: Result,
        message: str = "",
        secrets: Iterable[str] = (),
    ) -> dict[str, JsonValue]:
        known = list(secrets)
        entry: dict[str, JsonValue] = {
            "time": iso_time(now),
            "account": account,
            "region": region,
            "domain": domain,
            "step": step,
            "action": action,
            "call": redact(call, known),
            "parameters": redact(dict(parameters), known),
            "result": result,
            "message": redact(message, known),
        }
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        self._append(line.encode("utf-8"))
        return entry

    def check_writable(self) -> None:
        """Open the log as ``record`` does, writing nothing: a link in its place or a log that
        cannot be written is refused before a change is made rather than after."""
        os.close(self._open())

    def _append(self, data: bytes) -> None:
        fd = self._open()
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        finally:
            os.close(fd)

    def _open(self) -> int:
        ensure_private_dir(self.path.parent)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.path, flags, FILE_MODE)
        except OSError as exc:
            if self.path.is_symlink():
                raise StateError(
                    "symlink",
                    f"The audit log {self.path} is a symbolic link; sesdmarc refuses to follow it.",
                    "Remove the link (a new log is started in its place) and run the step again.",
                ) from None
            raise self._unwritable(exc) from exc
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StateError("unwritable", f"The audit log {self.path} is not a regular file.")
            os.fchmod(fd, FILE_MODE)  # also a log left 0644 by an older version
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _unwritable(self, exc: OSError) -> StateError:
        return StateError(
            "unwritable",
            f"The audit log {self.path} could not be written: {exc.strerror or exc}.",
            "Free space (or fix the permissions) there and run the step again: a change "
            "already made is found by the next check and not made twice.",
        )

    def entries(self) -> Iterator[dict[str, JsonValue]]:
        """Every record, oldest first (a line that is not JSON is skipped, not fatal)."""
        if self.path.is_symlink():
            raise StateError(
                "symlink",
                f"The audit log {self.path} is a symbolic link; sesdmarc refuses to follow it.",
                "Remove the link.",
            )
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict):
                    yield entry

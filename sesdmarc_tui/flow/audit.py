"""The audit log: one JSON line per change the wizard makes (or tries to make).

Fields: ``time`` (ISO 8601, UTC), ``account``, ``region``, ``domain``, ``step``, ``action``,
``call``, ``parameters`` and ``result`` (``ok``, ``error`` or ``manual``) with ``message``.
Parameters are redacted twice: any key named like a secret becomes ``<redacted>``, and any
known secret value (TSIG, external ID) is cut out of every string, including error messages,
which may quote what the caller sent.

Each record is written with one ``write`` on a file opened ``O_APPEND`` (0600), so records from
two processes never interleave within a line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from sesdmarc_tui.aws.errors import redact as redact_credentials
from sesdmarc_tui.flow.model import JsonValue
from sesdmarc_tui.flow.state import SECRET_KEY, iso_time
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
        ensure_private_dir(self.path.parent)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return entry

    def entries(self) -> Iterator[dict[str, JsonValue]]:
        """Every record, oldest first (a line that is not JSON is skipped, not fatal)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict):
                    yield entry

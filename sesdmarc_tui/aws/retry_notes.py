"""botocore's own retries (every service but SES), made visible.

For Route 53, STS, Organizations and Access Analyzer, botocore's standard mode retries
throttling, 5xx answers and dropped connections by itself, silently: a throttled Route 53 change
just takes longer. These two handlers watch it without changing it: the failure that leads to a
retry is noted on the request's context, and when botocore builds the next attempt, ``report``
hears "Route 53 throttled ChangeResourceRecordSets (Throttling); retrying (attempt 2 of 3)", so a
front end can say so instead of looking hung.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sesdmarc_tui.aws._error_codes import THROTTLED

_REASON = "sesdmarc.retry_reason"
_LABELS = {
    "route-53": "Route 53",
    "sts": "STS",
    "organizations": "Organizations",
    "accessanalyzer": "IAM Access Analyzer",
    "sesv2": "SES",
    "ses": "SES",
}


def _failure(response: Any, caught_exception: BaseException | None) -> tuple[str, bool] | None:
    """(code, throttled) of a failed attempt; ``None`` for a success."""
    if caught_exception is not None:
        return type(caught_exception).__name__, False
    if not response:
        return None
    http, parsed = response
    if getattr(http, "status_code", 200) < 300:
        return None
    code = str(((parsed or {}).get("Error") or {}).get("Code") or f"HTTP {http.status_code}")
    return code, code in THROTTLED


def watch_retries(boto_session: Any, report: Callable[[str], None]) -> None:
    """Tell ``report`` about every retry botocore makes for clients of ``boto_session``."""

    def failed(
        response: Any,
        caught_exception: BaseException | None,
        request_dict: dict[str, Any],
        **_: Any,
    ) -> None:
        found = _failure(response, caught_exception)
        if found is not None:
            request_dict.setdefault("context", {})[_REASON] = found

    def created(request: Any, operation_name: str, event_name: str, **_: Any) -> None:
        context = getattr(request, "context", None) or {}
        retries = context.get("retries") or {}
        attempt = int(retries.get("attempt") or 1)
        if attempt < 2 or _REASON not in context:
            return
        code, throttled = context[_REASON]
        service = _LABELS.get(event_name.split(".")[1], event_name.split(".")[1])
        limit = retries.get("max")
        of = f" of {limit}" if limit else ""
        what = "throttled" if throttled else "failed"
        report(f"{service} {what} {operation_name} ({code}); retrying (attempt {attempt}{of})")

    events = getattr(boto_session, "events", None)
    if events is None:  # a stand-in session without botocore (tests of the flow)
        return
    events.register("needs-retry.*.*", failed)
    events.register("request-created.*.*", created)

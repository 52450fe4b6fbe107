"""The sandbox has no IAM Access Analyzer and says so at once (no retried 500s, no noise)."""

from __future__ import annotations

import time

from sesdmarc_tui.aws.access_analyzer import validate_policy
from sesdmarc_tui.aws.errors import ErrorKind
from sesdmarc_tui.sandbox.world import Sandbox


def test_validate_policy_is_reported_unavailable_quickly(box: Sandbox) -> None:
    started = time.perf_counter()
    result = validate_policy(box.session(), '{"Version":"2012-10-17","Statement":[]}')
    assert time.perf_counter() - started < 2  # botocore would retry a 500 five times
    assert not result.available
    assert result.error is not None and result.error.kind is ErrorKind.UNSUPPORTED_OPERATION
    assert "not available at this endpoint" in (result.unavailable_reason or "")

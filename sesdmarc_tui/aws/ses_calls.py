"""One session's calls to an SES API, paced and retried the same way for every adapter.

SES v2 (identities, policies, sending) and SES v1 (receipt rules, which v2 lacks) share the
account's 1-call-per-second management rate, so both adapters pace through the same pacer and
retry with the same back-off; only the botocore service name differs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, ClassVar

from sesdmarc_tui.aws.pacing import (
    OnWait,
    Pacer,
    RetryPolicy,
    Sleep,
    call_with_backoff,
    shared_ses_pacer,
)
from sesdmarc_tui.aws.session import AwsSession


class SesCalls:
    """The paced, retried ``_call`` under an adapter; ``service`` is the botocore service."""

    service: ClassVar[str]

    def __init__(
        self,
        session: AwsSession,
        *,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        on_wait: OnWait | None = None,
        sleep: Sleep = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.session = session
        self.pacer = pacer if pacer is not None else shared_ses_pacer()
        self.retry = retry or RetryPolicy()
        self.on_wait = on_wait
        self._sleep = sleep
        self._rng = rng

    @property
    def region(self) -> str:
        return self.session.region

    def _call(
        self,
        operation: str,
        method: str,
        *,
        paced: bool = True,
        idempotent: bool = True,
        expected_region: str | None = None,
        sender: str | None = None,
        **params: Any,
    ) -> Any:
        function: Callable[..., Any] = getattr(self.session.client(self.service), method)

        def pace() -> None:
            self.pacer.wait(
                self.session.pacing_key(),
                reason=f"pacing SES calls at 1 per second ({operation})",
                on_wait=self.on_wait,
            )

        return call_with_backoff(
            lambda: function(**params),
            operation=operation,
            service=self.service,
            before_attempt=pace if paced else None,
            policy=self.retry,
            on_wait=self.on_wait,
            sleep=self._sleep,
            rng=self._rng,
            idempotent=idempotent,
            translate_context={
                "profile": self.session.profile,
                "region": self.region,
                "expected_region": expected_region,
                "sender": sender,
            },
        )

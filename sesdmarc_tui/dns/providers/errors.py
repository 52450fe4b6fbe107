"""The one error type every DNS provider raises: what happened, and what to do about it."""

from __future__ import annotations

from enum import StrEnum


class ProviderErrorKind(StrEnum):
    INVALID_NAME = "invalid_name"  # outside the zone, doubled zone, relative
    ZONE = "zone"  # no usable zone: missing, private, undelegated, ambiguous
    TSIG = "tsig"  # the server rejected our key, or our key settings are unusable
    REFUSED = "refused"
    NOT_AUTHORITATIVE = "not_authoritative"
    CONFLICT = "conflict"  # the records changed between plan and apply
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    SERVER = "server"  # any other failure the server reported
    AWS = "aws"  # an AWS failure, translated by aws.errors
    PLAN = "plan"  # a plan that cannot be applied by this provider


class DnsProviderError(Exception):
    """A failed provider operation, ready to show: ``message`` then ``remedy``.

    Messages never contain TSIG secrets or AWS credentials: they are built here from names,
    rcodes and already-redacted AWS messages, never from the caller's configuration values.
    """

    def __init__(self, kind: ProviderErrorKind, message: str, remedy: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        return f"{self.message} {self.remedy}".strip()

    def __repr__(self) -> str:
        return f"DnsProviderError({self.kind.value!r}, {self.message!r})"

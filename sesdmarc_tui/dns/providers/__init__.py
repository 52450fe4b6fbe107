"""DNS providers: Route 53, RFC 2136 and manual publishing behind one blocking interface.

``base`` defines the interface and its data; ``merge``/``txtmerge`` how desired records combine
with existing ones; ``plan`` the shared planning steps. Import the providers from their modules
(``route53`` needs the AWS adapters, ``rfc2136`` dnspython's query module).
"""

from __future__ import annotations

from sesdmarc_tui.dns.providers.base import (
    Action,
    ApplyResult,
    ChangePlan,
    CopyEntry,
    CurrentRecords,
    DnsProvider,
    ManualInstructions,
    ProgressFn,
    RecordChange,
    RecordKey,
    Refusal,
    RRset,
)
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind

__all__ = [
    "Action",
    "ApplyResult",
    "ChangePlan",
    "CopyEntry",
    "CurrentRecords",
    "DnsProvider",
    "DnsProviderError",
    "ManualInstructions",
    "ProgressFn",
    "ProviderErrorKind",
    "RRset",
    "RecordChange",
    "RecordKey",
    "Refusal",
]

"""Where the propagation board's rounds come from: the flow engine's ``Propagation``.

``RoundSource(zone, records)`` returns the board's ``round_provider``. The default builds one
``Propagation`` per (zone, records), so the engine's deferred-resolver memory lives as long as
the board watches the same records. dnspython is imported only when a board first runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord
    from sesdmarc_tui.dns.round import BoardRound
    from sesdmarc_tui.flow.context import FlowContext

RoundProvider = Callable[[], Awaitable["BoardRound"]]
RoundSource = Callable[[str, Sequence["DnsRecord"]], RoundProvider]


def flow_rounds(ctx: FlowContext) -> RoundSource:
    def source(zone: str, records: Sequence[DnsRecord]) -> RoundProvider:
        from sesdmarc_tui.flow.propagation import Propagation

        propagation = Propagation(ctx, zone)
        expected = tuple(records)

        async def one_round() -> BoardRound:
            return await propagation.round(expected)

        return one_round

    return source

"""The in-memory world behind the TUI tests: the flow tests' fakes plus a fake DNS board.

``tests.flow.fakes`` gives a ``FlowContext`` whose SES, STS, Organizations and DNS provider
live in memory (DKIM turns SUCCESS only once its CNAMEs are in the zone). The propagation
board gets a ``query_fn`` answering from the same zone, so rounds are real ``BoardRound``s,
built by the real board, with no socket opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screens.app import SesdmarcApp
from screens.board_source import RoundProvider, RoundSource
from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import DnsRecord
from sesdmarc_tui.dns.board import PropagationBoard
from sesdmarc_tui.dns.query import QueryResult, Server, ServerKind
from sesdmarc_tui.dns.round import BoardRound
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.state import SessionState
from tests.flow.fakes import DOMAIN, REGION, FakeProvider, FakeZone, World, fake_context

NAME_SERVERS = (Server("192.0.2.1", 53, ServerKind.AUTHORITATIVE, "ns1.example.com"),)
RESOLVERS = (
    Server("192.0.2.53", 53, ServerKind.RECURSIVE, "Resolver A"),
    Server("192.0.2.54", 53, ServerKind.RECURSIVE, "Resolver B"),
)
RECIPIENT = "me@example.org"

__all__ = ["DOMAIN", "RECIPIENT", "REGION", "TuiWorld", "make_app", "make_world"]


def zone_rounds(zone_data: FakeZone) -> RoundSource:
    """A round source whose servers all answer from ``zone_data`` (instant propagation)."""

    async def answer(server: Server, name: str, rdtype: str, _timeout: float) -> QueryResult:
        found = zone_data.lookup(name.rstrip("."), rdtype)
        return QueryResult(
            server=server,
            name=name,
            rdtype=rdtype,
            kind=found.kind,
            values=found.values,
            ttl=found.ttl,
            negative_ttl=found.negative_ttl,
            cname_chain=found.cname_chain,
            rcode="NXDOMAIN" if found.kind is AnswerKind.NXDOMAIN else "NOERROR",
            aa=server.authoritative,
            transport="udp",
        )

    def source(zone: str, records: Sequence[DnsRecord]) -> RoundProvider:
        board = PropagationBoard(zone, defer_resolvers=True, query_fn=answer)
        expected = tuple(records)

        async def one_round() -> BoardRound:
            return await board.run_round(expected, NAME_SERVERS, RESOLVERS)

        return one_round

    return source


@dataclass
class TuiWorld:
    ctx: FlowContext
    world: World
    dns: FakeProvider
    rounds: RoundSource

    def wizard(self, state: SessionState | None = None) -> Wizard:
        return Wizard(self.ctx, state)


def make_world(tmp_path: Path, *, provider: str = "route53") -> TuiWorld:
    world = World(FakeZone(DOMAIN))
    ctx, dns = fake_context(tmp_path, world, provider=provider)
    return TuiWorld(ctx, world, dns, zone_rounds(world.zone))


def make_app(
    tui: TuiWorld, wizard: Wizard | None = None, *, resume: bool = False, **options: object
) -> SesdmarcApp:
    """The app as tests run it: no cursor blink, the board refreshed only when asked."""
    options.setdefault("board_interval", 0.0)
    return SesdmarcApp(
        wizard or tui.wizard(),
        rounds=tui.rounds,
        resume=resume,
        blink=False,
        **options,  # type: ignore[arg-type]
    )

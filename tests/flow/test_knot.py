"""The engine against a real name server: RFC 2136 publishing and the propagation board."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.dns.query import Server, ServerKind
from sesdmarc_tui.dns.round import RecordState
from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.propagation import Propagation
from sesdmarc_tui.flow.providers import build_provider
from tests.flow.fakes import REGION, FakeZone, World, fake_context
from tests.support.knot import TSIG_KEY_NAME, KnotServer

pytestmark = pytest.mark.realdns
ZONE = "example.test"


def knot_context(tmp_path: Path, knot: KnotServer) -> FlowContext:
    """The in-memory SES, with DNS through the real default provider factory and lookup."""
    ctx, _fake_dns = fake_context(tmp_path, World(FakeZone(ZONE)))
    return dataclasses.replace(
        ctx,
        lookup=make_lookup([(knot.host, knot.port)]),
        dns_provider=build_provider,
        authoritative=(Server(knot.host, knot.port, ServerKind.AUTHORITATIVE, "ns1"),),
        resolvers=(Server(knot.host, knot.port, ServerKind.RECURSIVE, "resolver"),),
    )


async def test_dmarc_published_by_rfc2136_and_seen_on_the_board(
    tmp_path: Path, knot_server_factory: Callable[[str, list[str]], KnotServer]
) -> None:
    knot = knot_server_factory(ZONE, ['_dmarc 300 IN TXT "v=DMARC1; p=none"'])
    ctx = knot_context(tmp_path, knot)
    wizard = Wizard(ctx)
    wizard.set_inputs("accounts", {"profile": "owner", "region": REGION})
    wizard.run_step("accounts")
    errors = wizard.set_inputs(
        "domain",
        {
            "domain": ZONE,
            "provider": "rfc2136",
            "rfc2136_server": knot.host,
            "rfc2136_port": str(knot.port),
            "rfc2136_key_name": TSIG_KEY_NAME,
            TSIG_SECRET: knot.tsig_secret,
        },
    )
    assert errors == {}
    domain = wizard.run_step("domain")
    assert any(
        f.value == f"rfc2136: records go to the zone {ZONE}." for f in domain.inspection.facts
    )

    wizard.set_inputs("dmarc", {"stage": "2", "rua": f"reports@{ZONE}"})
    run = wizard.run_step("dmarc")
    assert run.status.done, run.status
    [action] = run.plans[0].actions
    assert action.call.startswith(f"RFC 2136 UPDATE of zone {ZONE}: replace the set with TXT")
    wanted = f"v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:reports@{ZONE}"
    assert ctx.lookup(f"_dmarc.{ZONE}", "TXT").values == (wanted,)
    assert knot.tsig_secret not in ctx.audit.path.read_text()

    board = Propagation(ctx, ZONE)
    first = await board.round(run.inspection.records)
    assert [row.state for row in first.rows] == [RecordState.PUBLISHED]  # resolvers not yet asked
    second = await board.round(run.inspection.records)
    assert [row.state for row in second.rows] == [RecordState.VISIBLE]

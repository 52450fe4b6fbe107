"""The propagation board against real knotd servers on loopback.

A knotd asked with RD=1 answers from its zone like a resolver would, so the same server stands in
for a public resolver; tests never reach the real ones (the conftest guard fails them).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from sesdmarc_tui.core.records import DnsRecord, make_record
from sesdmarc_tui.dns.board import PropagationBoard, cell_counts
from sesdmarc_tui.dns.classify import CellStatus
from sesdmarc_tui.dns.mistakes import HintKind
from sesdmarc_tui.dns.query import Server, ServerKind
from sesdmarc_tui.dns.round import BoardRound, RecordState
from tests.adapters.dns._support import LONG, ORIGIN, auth, recursive
from tests.support.knot import KnotServer

pytestmark = pytest.mark.realdns

MX_HOST = "feedback-smtp.us-east-1.amazonses.com"
SPF = "v=spf1 include:amazonses.com ~all"


def dkim(token: str) -> DnsRecord:
    return make_record(f"{token}._domainkey.example.test", "CNAME", [f"{token}.dkim.amazonses.com"])


async def one_round(knot: KnotServer, *records: DnsRecord) -> BoardRound:
    board = PropagationBoard(ORIGIN, timeout=2.0)
    return await board.run_round(records, [auth(knot, "ns1")], [recursive(knot, "res")])


async def test_published_records_complete_the_round(knot: KnotServer) -> None:
    records = [
        dkim("tok1"),
        make_record("mail.example.test", "MX", [f"10 {MX_HOST}"]),
        make_record("mail.example.test", "TXT", [SPF]),
        make_record("byo._domainkey.example.test", "TXT", [LONG]),
        make_record("_dmarc.example.test", "TXT", ["v=DMARC1; p=none; rua=mailto:d@example.test"]),
    ]
    result = await one_round(knot, *records)
    assert [row.state for row in result.rows] == [RecordState.VISIBLE] * 5
    assert result.complete and result.all_visible
    assert result.hints == ()
    assert cell_counts(result)[CellStatus.MATCH] == 10
    out = json.loads(json.dumps(result.to_json()))
    assert out["complete"] is True
    assert out["records"][0]["cells"][0]["status"] == "match"
    assert out["records"][0]["cells"][0]["aa"] is True


@pytest.mark.parametrize(
    ("record", "state", "hint"),
    [
        (dkim("tok2"), RecordState.WRONG_VALUE, None),
        (dkim("tok3"), RecordState.MISSING, HintKind.DOUBLED_ZONE),
        (dkim("prox"), RecordState.WRONG_VALUE, HintKind.PROXIED),
        (dkim("txtd"), RecordState.WRONG_VALUE, HintKind.TXT_INSTEAD_OF_CNAME),
        (
            make_record("mail2.example.test", "MX", [f"10 {MX_HOST}"]),
            RecordState.WRONG_VALUE,
            HintKind.EXTRA_MX,
        ),
        (
            make_record("mail2.example.test", "TXT", [SPF]),
            RecordState.WRONG_VALUE,
            HintKind.MULTIPLE_SPF,
        ),
        (
            make_record("_dmarc.sub.example.test", "TXT", ["v=DMARC1; p=none"]),
            RecordState.WRONG_VALUE,
            HintKind.MULTIPLE_DMARC,
        ),
        (
            make_record("absent.example.test", "TXT", ["x"]),
            RecordState.MISSING,
            HintKind.NOT_AT_DELEGATED_SERVERS,
        ),
    ],
    ids=["cname-zone-appended", "doubled", "proxied", "txt", "mx", "spf", "dmarc", "absent"],
)
async def test_operator_mistakes_are_recognised(
    knot: KnotServer, record: DnsRecord, state: RecordState, hint: HintKind | None
) -> None:
    result = await one_round(knot, record)
    row = result.rows[0]
    assert row.state is state
    assert [h.kind for h in row.hints] == ([hint] if hint else [])
    assert not result.complete


async def test_doubled_zone_hint_names_the_wrong_name(knot: KnotServer) -> None:
    row = (await one_round(knot, dkim("tok3"))).rows[0]
    (hint,) = row.hints
    assert hint.name == "tok3._domainkey.example.test.example.test"
    assert hint.found == ("tok3.dkim.amazonses.com.",)
    assert "Rename the record to tok3._domainkey.example.test" in hint.message


async def test_proxied_cname_shows_what_is_there_instead(knot: KnotServer) -> None:
    row = (await one_round(knot, dkim("prox"))).rows[0]
    ns1 = row.authoritative_cells[0]
    assert ns1.status is CellStatus.WRONG_VALUE
    assert ns1.found == ("A 104.16.1.1", "A 104.16.1.2")
    assert "orange cloud" in ns1.detail
    # Probes go to authoritative servers only; the resolver reports what it sees: no CNAME.
    assert row.resolver_cells[0].missing == "nodata"


async def test_disagreeing_authoritatives_are_not_complete(
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> None:
    has = knot_server_factory(ORIGIN, [f'mail 300 IN TXT "{SPF}"'])
    lacks = knot_server_factory(ORIGIN, [])
    board = PropagationBoard(ORIGIN, timeout=2.0)
    record = make_record("mail.example.test", "TXT", [SPF])
    result = await board.run_round([record], [auth(has, "ns1"), auth(lacks, "ns2")], [])
    row = result.rows[0]
    assert row.state is RecordState.PARTIAL
    assert [c.status for c in row.cells] == [CellStatus.MATCH, CellStatus.MISSING]
    assert not row.published and not result.complete


async def test_a_silent_authoritative_leaves_the_round_incomplete(
    knot: KnotServer, silent_port: int
) -> None:
    silent = Server("127.0.0.1", silent_port, ServerKind.AUTHORITATIVE, "ns2")
    board = PropagationBoard(ORIGIN, timeout=0.2)
    record = make_record("mail.example.test", "TXT", [SPF])
    result = await board.run_round([record], [auth(knot, "ns1"), silent], [recursive(knot)])
    row = result.rows[0]
    assert row.state is RecordState.INCOMPLETE
    assert row.cell(silent).status is CellStatus.ERROR
    assert "no answer within 0.2 s" in row.cell(silent).detail
    assert row.visible and not row.published and not result.complete


async def test_refused_authoritative_is_an_error_not_missing(knot: KnotServer) -> None:
    board = PropagationBoard("example.org", timeout=2.0)
    record = make_record("_dmarc.example.org", "TXT", ["v=DMARC1; p=none"])
    row = (await board.run_round([record], [auth(knot)], [])).rows[0]
    assert row.cells[0].status is CellStatus.ERROR
    assert row.state is RecordState.INCOMPLETE


async def test_deferred_resolvers_are_asked_once_published(knot: KnotServer) -> None:
    board = PropagationBoard(ORIGIN, timeout=2.0, defer_resolvers=True, probes=False)
    records = [
        make_record("mail.example.test", "TXT", [SPF]),
        make_record("n.example.test", "TXT", ["x"]),
    ]
    servers = ([auth(knot, "ns1")], [recursive(knot, "res")])
    first = await board.run_round(records, *servers)
    assert [c.status for c in first.rows[0].cells] == [CellStatus.MATCH, CellStatus.SKIPPED]
    assert first.queries == 2
    second = await board.run_round(records, *servers)
    assert second.rows[0].state is RecordState.VISIBLE
    # Still unpublished: the resolver is not asked, so it caches no absence.
    assert second.rows[1].cells[1].status is CellStatus.SKIPPED
    assert second.queries == 3

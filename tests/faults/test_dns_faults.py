"""Faults — DNS: each way a name server or resolver misbehaves, on every surface that judges DNS.

One row of ``CASES`` per fault. The zone always has two name servers: ``ns1`` is a real knotd
with the new records; ``ns2`` is the faulty one (a ``FaultDNS`` that drops, SERVFAILs, REFUSEs
or truncates, or a second knotd with the old records, or none at all), and the last case adds a
resolver that serves a stale value. Every case runs through

- the propagation board (``dns.board``): the per-server cells, the row states and the
  ``complete`` verdict, and the line-mode rendering of the round;
- the wizard (``flow.engine``): the live status of the DKIM and DMARC steps and
  ``wait_until_done``, which must not say done while a name server fails or disagrees;
- ``sesdmarc check`` (``troubleshoot.run_check``), which must report the problem, not pass.

Timeouts are configured at 0.3 s, never slept: the suite takes a few seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, NamedTuple

import pytest
from rich.console import Console

from sesdmarc_tui.core.checklist import CheckReport, Severity
from sesdmarc_tui.core.records import DnsRecord, dkim_records, make_record
from sesdmarc_tui.core.render import to_zone_lines
from sesdmarc_tui.dns.board import BoardRound, PropagationBoard
from sesdmarc_tui.dns.classify import CellStatus
from sesdmarc_tui.dns.query import Server, ServerKind
from sesdmarc_tui.dns.round import RecordState
from sesdmarc_tui.flow import propagation
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.plain.board import board_view
from sesdmarc_tui.troubleshoot import run_check
from tests.support import check_world as w
from tests.support.fault_dns import Fault, FaultDNS, ServerThread, dns_steps_done
from tests.support.knot import KNOTD, KnotServer, start_knot
from tests.support.latency_dns import LatencyDNS

pytestmark = pytest.mark.realdns

TIMEOUT = 0.3  # per query, as configured in each surface
STALE_TTL = 86400

Ns2 = Fault | Literal["old", "lagging"]


class Case(NamedTuple):
    id: str
    fault: str  # what the world does
    expected: str  # what the tool shows (README reliability table)
    ns2: Ns2  # what the second name server does
    stale_resolver: bool  # a resolver serving the old records is asked as well
    board_state: RecordState  # the state of the DMARC row on the board
    ns2_cell: CellStatus  # what ns2's cells say
    done: bool  # whether the wizard may call the DNS steps done
    check_ids: frozenset[str]  # warnings and errors `sesdmarc check` must report


_UNCHECKED = frozenset({"dkim_record_unchecked", "mail_from_record_unchecked", "dmarc_unchecked"})

CASES: tuple[Case, ...] = (
    Case(
        "healthy",
        "both name servers publish the records (control)",
        "every cell a match, the round complete; the steps are done; check passes",
        "none",
        False,
        RecordState.PUBLISHED,
        CellStatus.MATCH,
        True,
        frozenset(),
    ),
    Case(
        "auth_timeout",
        "ns2 drops every query (UDP and TCP)",
        "ns2's cells: error 'no answer within 0.3 s'; rows incomplete; the steps stay "
        "'current' naming ns2; check warns 'could not be checked on every name server'",
        "drop",
        False,
        RecordState.INCOMPLETE,
        CellStatus.ERROR,
        False,
        _UNCHECKED,
    ),
    Case(
        "auth_servfail",
        "ns2 answers SERVFAIL",
        "ns2's cells: error 'the server failed (SERVFAIL)'; rows incomplete; steps not done; "
        "check warns",
        "servfail",
        False,
        RecordState.INCOMPLETE,
        CellStatus.ERROR,
        False,
        _UNCHECKED,
    ),
    Case(
        "auth_refused",
        "ns2 answers REFUSED (lame delegation)",
        "ns2's cells: error 'REFUSED: it does not serve this zone'; rows incomplete; steps not "
        "done; check warns",
        "refused",
        False,
        RecordState.INCOMPLETE,
        CellStatus.ERROR,
        False,
        _UNCHECKED,
    ),
    Case(
        "udp_truncated_tcp_ok",
        "ns2 sets TC on every UDP answer; TCP works",
        "the engine retries over TCP and gets the full answer (match, transport tcp); the "
        "steps are done; check passes",
        "truncate",
        False,
        RecordState.PUBLISHED,
        CellStatus.MATCH,
        True,
        frozenset(),
    ),
    Case(
        "udp_truncated_no_tcp",
        "ns2 sets TC over UDP and has no TCP listener",
        "ns2's cells: error 'the UDP answer was truncated and the TCP retry failed: network "
        "error: Connection refused', never a match; steps not done; check warns",
        "truncate_no_tcp",
        False,
        RecordState.INCOMPLETE,
        CellStatus.ERROR,
        False,
        _UNCHECKED,
    ),
    Case(
        "auth_disagree",
        "ns2 still serves the old DMARC record and an old DKIM CNAME",
        "ns1 match, ns2 wrong value with the old value it found; rows 'a name server has "
        "another value'; steps not done; check reports the disagreement and the wrong CNAME",
        "old",
        False,
        RecordState.WRONG_VALUE,
        CellStatus.WRONG_VALUE,
        False,
        frozenset({"dmarc_servers_disagree", "dkim_record_wrong"}),
    ),
    Case(
        "auth_lagging",
        "ns2 does not have the new records yet",
        "ns2 missing; rows 'on some name servers only'; steps not done; check reports the "
        "partial propagation",
        "lagging",
        False,
        RecordState.PARTIAL,
        CellStatus.MISSING,
        False,
        frozenset({"dmarc_servers_disagree", "dkim_record_partial", "mail_from_record_partial"}),
    ),
    Case(
        "resolver_stale",
        f"a recursive resolver serves the old values (TTL {STALE_TTL} s)",
        "the resolver's cells: wrong value with what it found and how long it may keep it; "
        "the name servers' verdict stands (published, done); check warns about the stale "
        "resolver",
        "none",
        True,
        RecordState.PUBLISHED,
        CellStatus.MATCH,
        True,
        frozenset({"dkim_stale_at_resolvers"}),
    ),
)

# -- the world -------------------------------------------------------------------------------


def old_version(record: DnsRecord) -> DnsRecord:
    """What the record held before the change, cached for a day."""
    values = record.values
    if record.rtype == "TXT" and record.name.startswith("_dmarc."):
        values = ("v=DMARC1; p=reject",)
    elif record.rtype == "CNAME":
        values = ("old.dkim.amazonses.com",)
    return make_record(record.name, record.rtype, values, ttl=STALE_TTL)


@dataclass
class Zone:
    """Two name servers for ``origin`` per the case, and the resolvers to ask."""

    ns1: Server
    ns2: Server
    resolvers: tuple[Server, ...]
    fault_server: FaultDNS | None

    @property
    def authoritative(self) -> tuple[Server, ...]:
        return (self.ns1, self.ns2)


Build = Callable[[Case, str, list[DnsRecord], list[str]], Zone]


@pytest.fixture
def build(tmp_path: Path) -> Iterator[Build]:
    """``build(case, origin, records, extra_lines)``: the case's servers, all stopped after."""
    if KNOTD is None:
        pytest.skip("knotd is not installed (Debian package `knot`): DNS fault cases skipped")
    knots: list[KnotServer] = []
    with ServerThread() as loop:

        def knot(origin: str, lines: list[str]) -> Server:
            server = start_knot(tmp_path / f"knot{len(knots)}", origin, lines)
            knots.append(server)
            return Server(server.host, server.port, ServerKind.AUTHORITATIVE, f"ns{len(knots)}")

        def start(case: Case, origin: str, records: list[DnsRecord], extra: list[str]) -> Zone:
            new = [*to_zone_lines(records), *extra]
            old = [*to_zone_lines(old_version(r) for r in records), *extra]
            ns1 = knot(origin, new)
            fault_server: FaultDNS | None = None
            if case.ns2 == "old":
                ns2 = replace(knot(origin, old), label="ns2")
            elif case.ns2 == "lagging":
                ns2 = replace(knot(origin, extra), label="ns2")
            elif case.ns2 == "none":
                ns2 = replace(knot(origin, new), label="ns2")
            else:
                fault_server = FaultDNS(origin, new, fault=case.ns2)
                loop.start(fault_server)
                ns2 = Server("127.0.0.1", fault_server.port, ServerKind.AUTHORITATIVE, "ns2")
            resolvers: tuple[Server, ...] = ()
            if case.stale_resolver:
                stale = loop.start(LatencyDNS(origin, old, latency=0, authoritative=False))
                resolvers = (Server("127.0.0.1", stale.port, ServerKind.RECURSIVE, "stale"),)
            return Zone(ns1, ns2, resolvers, fault_server)

        yield start
        for server in knots:
            server.stop()


# -- the propagation board -------------------------------------------------------------------

CHECK_RECORDS = [
    *dkim_records(w.DOMAIN, w.US_TOKENS, "us-east-1"),
    make_record(f"_dmarc.{w.DOMAIN}", "TXT", "v=DMARC1; p=none; rua=mailto:dmarc@example.test"),
    make_record(f"mail.{w.DOMAIN}", "MX", "10 feedback-smtp.us-east-1.amazonses.com"),
    make_record(f"mail.{w.DOMAIN}", "TXT", "v=spf1 include:amazonses.com ~all"),
]
CHECK_EXTRA = [w.APEX_SPF]


def board_round(zone: Zone, records: list[DnsRecord]) -> BoardRound:
    board = PropagationBoard(w.DOMAIN, timeout=TIMEOUT, probes=False)
    return asyncio.run(board.run_round(records, zone.authoritative, zone.resolvers))


def rendered(round_: BoardRound) -> str:
    console = Console(record=True, width=240, color_system=None)
    console.print(board_view(round_))
    return console.export_text()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_board_shows_each_server(case: Case, build: Build) -> None:
    zone = build(case, w.DOMAIN, CHECK_RECORDS, CHECK_EXTRA)
    round_ = board_round(zone, CHECK_RECORDS)
    dmarc = round_.row(f"_dmarc.{w.DOMAIN}", "TXT")
    assert dmarc.state is case.board_state, [c.to_json() for c in dmarc.cells]
    # Per-server state: ns1 always has the new record, ns2 shows its own fault.
    assert dmarc.cell(zone.ns1).status is CellStatus.MATCH
    ns2 = dmarc.cell(zone.ns2)
    assert ns2.status is case.ns2_cell, ns2.to_json()
    # The verdict: a round is complete only on a full, agreeing view of the name servers.
    assert round_.complete is case.done
    assert round_.to_json()["complete"] is case.done
    changed = {r for r in CHECK_RECORDS if old_version(r).values != r.values}
    unpublished = {r.record for r in round_.rows if not r.published}
    if case.done:
        assert unpublished == set()
    else:  # ns2 with the old records disagrees only where the values changed
        assert unpublished == (changed if case.ns2 == "old" else set(CHECK_RECORDS))
    total = len(CHECK_RECORDS)
    assert f"{total - len(unpublished)}/{total} on every name server" in rendered(round_)
    text = rendered(round_)
    _board_details(case, zone, round_, text)


def _board_details(case: Case, zone: Zone, round_: BoardRound, text: str) -> None:
    dmarc = round_.row(f"_dmarc.{w.DOMAIN}", "TXT")
    ns2 = dmarc.cell(zone.ns2)
    result = ns2.result
    assert result is not None
    if case.ns2 == "drop":
        assert (result.error_kind, ns2.detail) == ("timeout", f"no answer within {TIMEOUT:g} s")
        assert "a name server did not answer" in text
    elif case.ns2 == "servfail":
        assert (result.error_kind, ns2.detail) == ("servfail", "the server failed (SERVFAIL)")
    elif case.ns2 == "refused":
        assert result.error_kind == "refused"
        assert ns2.detail.endswith("(REFUSED): it does not serve this zone")
    elif case.ns2 == "truncate":
        fault = zone.fault_server
        assert fault is not None
        # Every question came over UDP, was truncated, and was asked again over real TCP.
        assert fault.udp_queries == fault.tcp_queries == len(CHECK_RECORDS)
        cells = [r.cell(zone.ns2) for r in round_.rows]
        assert {c.result.transport for c in cells if c.result is not None} == {"tcp"}
        assert all(c.ok for c in cells)
        assert ns2.found == ("v=DMARC1; p=none; rua=mailto:dmarc@example.test",)
    elif case.ns2 == "truncate_no_tcp":
        fault = zone.fault_server
        assert fault is not None and fault.udp_queries == len(CHECK_RECORDS)
        assert fault.tcp_queries == 0
        assert (result.error_kind, result.transport) == ("network", "tcp")
        assert ns2.detail == (
            "the UDP answer was truncated and the TCP retry failed: "
            "network error: Connection refused"
        )
    elif case.ns2 == "old":
        assert ns2.found == ("v=DMARC1; p=reject",)
        cname = round_.row(f"{w.US_TOKENS[0]}._domainkey.{w.DOMAIN}", "CNAME")
        assert cname.cell(zone.ns2).found == ("old.dkim.amazonses.com.",)
        assert "a name server has another value" in text
    elif case.ns2 == "lagging":
        assert ns2.missing == "nxdomain"
        assert "on some name servers only" in text
    if case.stale_resolver:
        (resolver,) = zone.resolvers
        seen = dmarc.cell(resolver)
        assert seen.status is CellStatus.WRONG_VALUE
        assert seen.found == ("v=DMARC1; p=reject",)
        assert f"may keep serving it for up to {STALE_TTL} s" in seen.detail
        assert not round_.all_visible and not dmarc.visible


# -- the wizard ------------------------------------------------------------------------------


@pytest.fixture
def wizard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Wizard:
    return dns_steps_done(tmp_path, monkeypatch, TIMEOUT)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_wizard_never_done_on_a_partial_view(case: Case, build: Build, wizard: Wizard) -> None:
    steps = ("dkim", "mail_from", "dmarc")
    records = [r for step_id in steps for r in wizard.inspect(step_id).records]
    origin = wizard.state.domain
    assert origin is not None and records
    zone = build(case, origin, records, [])
    wizard.ctx.authoritative = zone.authoritative
    wizard.ctx.resolvers = zone.resolvers
    progress: list[str] = []
    for step_id in ("dkim", "dmarc"):
        status = wizard.wait_until_done(step_id, 0.5, lambda text, _f: progress.append(text))
        assert status.done is case.done, status
        if not case.done:
            assert status.kind == "current"
            assert "Not on every name server yet" in status.message
            assert "ns2 (127.0.0.1:" in status.message
            assert "ns1 (" not in status.message  # the healthy server is not blamed
            assert status.remedy == propagation.WAIT_REMEDY
    # The sidebar's status (and so resume and the Summary's "setup finished") agrees.
    resumed = wizard.resume().id
    assert resumed not in steps if case.done else resumed == "dkim"
    if case.done:
        assert progress == []
    else:
        # It looked again rather than stop, and said when in words people read.
        assert len(progress) == 2
        assert all(p.endswith("Checking again in 0.5 s.") for p in progress)


# -- sesdmarc check --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def helpers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[KnotServer]]:
    """amazonses.com and other.test, for the SPF include and the external rua."""
    if KNOTD is None:
        pytest.skip("knotd is not installed (Debian package `knot`): DNS fault cases skipped")
    base = tmp_path_factory.mktemp("helpers")
    servers = [
        start_knot(base / "ses", "amazonses.com.", w.AMAZONSES_ZONE),
        start_knot(base / "other", "other.test.", w.OTHER_ZONE),
    ]
    yield servers
    for server in servers:
        server.stop()


def check(zone: Zone, helpers: list[KnotServer]) -> CheckReport:
    ses = w.StubSes({"us-east-1": w.identity(policies={"org": w.POLICY})})
    nameservers = [(zone.ns1.address, zone.ns1.port), *((s.host, s.port) for s in helpers)]
    return run_check(
        w.DOMAIN,
        nameservers=nameservers,
        session_factory=ses,
        authoritative=zone.authoritative,
        resolvers=zone.resolvers,
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_reports_the_fault(case: Case, build: Build, helpers: list[KnotServer]) -> None:
    zone = build(case, w.DOMAIN, CHECK_RECORDS, CHECK_EXTRA)
    report = check(zone, helpers)
    found = {i.id for i in report.problems}
    assert found == case.check_ids, [i.to_json() for i in report.problems]
    for item in report.problems:
        assert "ns2" in item.detail or "stale" in item.detail, item.to_json()
    if not case.check_ids:
        assert report.summary()["warnings"] == report.summary()["errors"] == 0
    assert {i.severity for i in report.problems} <= {Severity.WARNING, Severity.ERROR}

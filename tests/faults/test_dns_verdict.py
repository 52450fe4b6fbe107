"""Faults — DNS, the edges of the "done" verdict: which name servers it asks, when it may not ask
any, what is no partial view, and how ``wait_until_done`` words its delays.

The fault cases themselves (``CASES``) are in ``test_dns_faults``; these tests use the same
fake-world wizard, whose DKIM, MAIL FROM and DMARC steps are done by their own lights.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.core.render import to_zone_lines
from sesdmarc_tui.dns.query import Server, ServerKind
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.troubleshoot import run_check
from tests.support import check_world as w
from tests.support.fault_dns import ServerThread, dns_steps_done
from tests.support.knot import KnotServer
from tests.support.latency_dns import LatencyDNS

pytestmark = pytest.mark.realdns


@pytest.fixture
def wizard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Wizard:
    return dns_steps_done(tmp_path, monkeypatch, 0.3)


# -- name servers found through the resolvers ------------------------------------------------


def _dmarc_zone(wizard: Wizard) -> tuple[str, list[str]]:
    origin = wizard.state.domain
    assert origin is not None
    return origin, to_zone_lines(wizard.inspect("dmarc").records)


def test_discovered_dead_name_server_is_not_dropped(
    wizard: Wizard, knot_server_factory: Callable[[str, list[str]], KnotServer]
) -> None:
    # The lab setup `--nameserver 127.0.0.1:PORT`: the zone's NS hosts resolve to 127.0.0.1
    # (port 53 implied), so ns1 is asked on the given port; ns2 at 127.0.0.2 answers nothing.
    origin, lines = _dmarc_zone(wizard)
    ns2 = [f"@ 3600 IN NS ns2.{origin}.", f"ns2.{origin}. 3600 IN A 127.0.0.2"]
    knot = knot_server_factory(origin, [*lines, *ns2])
    wizard.ctx.authoritative = None
    wizard.ctx.resolvers = (Server(knot.host, knot.port, ServerKind.RECURSIVE, "given"),)
    status = wizard.status("dmarc")
    assert status.kind == "current", status
    assert f"ns2.{origin} (127.0.0.2) gave no usable answer" in status.message
    knot_only = knot_server_factory(origin, lines)
    wizard.ctx.resolvers = (Server(knot_only.host, knot_only.port, ServerKind.RECURSIVE),)
    assert wizard.status("dmarc").done  # ns1 found on the given port, and it publishes


def test_no_name_server_reachable_leaves_the_step_verdict(wizard: Wizard) -> None:
    # Only a resolver can be asked (the sandbox behind --nameserver, a firewall that blocks
    # DNS to the name servers): there is no view to be partial, so the step's verdict stands.
    origin, lines = _dmarc_zone(wizard)
    with ServerThread() as loop:
        resolver = loop.start(LatencyDNS(origin, lines, latency=0, authoritative=False))
        wizard.ctx.authoritative = None
        wizard.ctx.resolvers = (Server("127.0.0.1", resolver.port, ServerKind.RECURSIVE),)
        status = wizard.status("dmarc")
    assert status.done, status


def test_wait_says_delays_in_round_numbers(wizard: Wizard) -> None:
    # Headless apply waits for what is left of its deadline, say 0.499945 s: the last delay
    # is then 0.199945 s, which people read as 0.2 s.
    wizard.ctx.poll_delays = (0.3,)
    lines: list[str] = []
    wizard.wait_until_done("test_email", 0.499945, lambda text, _f: lines.append(text))
    assert [line.rsplit("Checking again in ", 1)[1] for line in lines] == ["0.3 s.", "0.2 s."]


@pytest.mark.parametrize("ns2_merged", [True, False], ids=["agree", "differ"])
def test_merged_spf_on_every_server_is_no_partial_view(
    ns2_merged: bool,
    wizard: Wizard,
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> None:
    # The MAIL FROM SPF merged into a record that was there: another text than the step's
    # bare record, which the step itself accepts. Only servers that differ make a partial view.
    origin = wizard.state.domain
    assert origin is not None
    records = wizard.inspect("mail_from").records
    (spf,) = [r for r in records if r.rtype == "TXT"]
    merged = make_record(spf.name, "TXT", "v=spf1 include:other.test include:amazonses.com ~all")
    lines = to_zone_lines([*(r for r in records if r is not spf), merged])
    bare = to_zone_lines(records)
    servers = [
        knot_server_factory(origin, lines),
        knot_server_factory(origin, lines if ns2_merged else bare),
    ]
    wizard.ctx.authoritative = tuple(
        Server(s.host, s.port, ServerKind.AUTHORITATIVE, f"ns{i}") for i, s in enumerate(servers, 1)
    )
    status = wizard.status("mail_from")
    assert status.done is ns2_merged, status
    if not ns2_merged:
        assert (
            f"TXT {spf.name}: ns1 (" in status.message and "serves another value" in status.message
        )


def test_check_keeps_a_dead_name_server_in_view(
    knot_server_factory: Callable[[str, list[str]], KnotServer],
) -> None:
    # `sesdmarc check --nameserver`: ns1 answers on the given port; ns2 (127.0.0.2) is dead.
    # Leaving it out would judge the zone on ns1 alone and pass it.
    ns2 = [f"@ 3600 IN NS ns2.{w.DOMAIN}.", f"ns2.{w.DOMAIN}. 3600 IN A 127.0.0.2"]
    knot = knot_server_factory(f"{w.DOMAIN}.", [*w.HEALTHY, *w.dkim_lines(w.US_TOKENS), *ns2])
    ses = w.StubSes({"us-east-1": w.identity(policies={"org": w.POLICY})})
    report = run_check(
        w.DOMAIN, nameservers=[(knot.host, knot.port)], session_factory=ses, timeout=0.3
    )
    assert (
        f"name servers asked: ns1.{w.DOMAIN} ({knot.host}:{knot.port}), ns2.{w.DOMAIN}"
        in (report.notes[0])
    )
    unchecked = report.find("dkim_record_unchecked")
    assert len(unchecked) == 3
    assert all(f"ns2.{w.DOMAIN} (127.0.0.2): no answer within 0.3 s" in i.detail for i in unchecked)
    assert report.find("dmarc_unchecked")

"""The sandbox's authoritative server: answers, TC/TCP, RFC 2136 with TSIG, errors."""

from __future__ import annotations

import base64
import socket

import dns.asyncquery
import dns.flags
import dns.message
import dns.opcode
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update
import pytest

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.providers.rfc2136 import Rfc2136Provider
from sesdmarc_tui.sandbox.dns.auth_server import AuthServer
from sesdmarc_tui.sandbox.dns.runner import SandboxDns
from sesdmarc_tui.sandbox.dns.zones import ZoneStore
from tests.sandbox.dns._support import ZONE, ask, auth_lookup


def _update(
    sandbox: SandboxDns, *, zone: str = ZONE, signed: bool = True
) -> dns.update.UpdateMessage:
    if not signed:
        return dns.update.UpdateMessage(zone)
    # The keyring holds one key, which dnspython signs with.
    return dns.update.UpdateMessage(zone, keyring=sandbox.tsig.keyring)


def _send(sandbox: SandboxDns, message: dns.message.Message) -> dns.message.Message:
    host, port = sandbox.auth_address
    return dns.query.tcp(message, host, port=port, timeout=2.0)


# --- queries -------------------------------------------------------------------------------------


def test_answers_are_authoritative(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("a.example.test", "A", 120, ["192.0.2.1"])
    response = ask(sandbox.auth_address, "a.example.test.", "A")
    assert response.rcode() == dns.rcode.NOERROR
    assert response.flags & dns.flags.AA
    assert not response.flags & dns.flags.RA
    answer = auth_lookup(sandbox)("a.example.test", "A")
    assert (answer.kind, answer.values, answer.ttl) == (AnswerKind.OK, ("192.0.2.1",), 120)


def test_cname_is_chased_inside_and_across_served_zones(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    store.add_zone("keys.example.net")
    store.set_rrset("www.example.test", "CNAME", 300, ["web.example.test."])
    store.set_rrset("web.example.test", "A", 300, ["192.0.2.80"])
    store.set_rrset("k._domainkey.example.test", "CNAME", 300, ["k.keys.example.net."])
    store.set_rrset("k.keys.example.net", "TXT", 300, ["p=KEY"])
    lookup = auth_lookup(sandbox)
    www = lookup("www.example.test", "A")
    assert (www.values, www.cname_chain) == (("192.0.2.80",), ("web.example.test.",))
    key = lookup("k._domainkey.example.test", "TXT")
    assert (key.values, key.cname_chain) == (("p=KEY",), ("k.keys.example.net.",))
    # Asked for the CNAME itself, the server does not chase it.
    assert lookup("www.example.test", "CNAME").values == ("web.example.test.",)


def test_cname_leaving_the_served_zones_ends_the_answer(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    store.set_rrset("out.example.test", "CNAME", 300, ["elsewhere.example.org."])
    response = ask(sandbox.auth_address, "out.example.test.", "TXT")
    assert response.rcode() == dns.rcode.NOERROR
    assert [r.rdtype for r in response.answer] == [dns.rdatatype.CNAME]
    assert response.authority == []


def test_cname_loop_stops_after_eight_steps(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("l1.example.test", "CNAME", 300, ["l2.example.test."])
    store.set_rrset("l2.example.test", "CNAME", 300, ["l1.example.test."])
    response = ask(sandbox.auth_address, "l1.example.test.", "A")
    assert response.rcode() == dns.rcode.NOERROR
    assert 1 <= len(response.answer) <= 2  # the two CNAME RRsets, each once


def test_nxdomain_and_nodata_carry_the_soa(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("k._domainkey.example.test", "TXT", 300, ["p=KEY"])
    missing = ask(sandbox.auth_address, "nope.example.test.", "TXT")
    assert missing.rcode() == dns.rcode.NXDOMAIN
    assert missing.flags & dns.flags.AA
    (soa,) = missing.authority
    assert soa.rdtype == dns.rdatatype.SOA
    assert soa.ttl == 300  # min(SOA TTL 900, MINIMUM 300), RFC 2308 s3
    nodata = ask(sandbox.auth_address, "k._domainkey.example.test.", "MX")
    assert (nodata.rcode(), nodata.answer) == (dns.rcode.NOERROR, [])
    assert nodata.authority[0].rdtype == dns.rdatatype.SOA
    # An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN.
    ent = auth_lookup(sandbox)("_domainkey.example.test", "TXT")
    assert (ent.kind, ent.negative_ttl) == (AnswerKind.NODATA, 300)


def test_names_outside_the_zones_are_refused(sandbox: SandboxDns) -> None:
    response = ask(sandbox.auth_address, "example.org.", "A")
    assert response.rcode() == dns.rcode.REFUSED
    assert not response.flags & dns.flags.AA


def test_zone_transfers_and_other_classes_are_refused(sandbox: SandboxDns) -> None:
    assert ask(sandbox.auth_address, "example.test.", "AXFR", tcp=True).rcode() == dns.rcode.REFUSED
    query = dns.message.make_query("version.bind.", "TXT", "CH")
    host, port = sandbox.auth_address
    assert dns.query.udp(query, host, port=port, timeout=2).rcode() == dns.rcode.REFUSED


def test_a_large_txt_set_is_truncated_over_udp_and_whole_over_tcp(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    values = [f"v{i}=" + "x" * 300 for i in range(4)]  # ~1.3 KB: over 512 and over 1232
    store.set_rrset("big.example.test", "TXT", 300, values)
    host, port = sandbox.auth_address
    plain = dns.query.udp(
        dns.message.make_query("big.example.test.", "TXT"), host, port=port, timeout=2
    )
    assert plain.flags & dns.flags.TC and plain.answer == []
    edns = dns.message.make_query("big.example.test.", "TXT", use_edns=0, payload=1232)
    assert dns.query.udp(edns, host, port=port, timeout=2).flags & dns.flags.TC
    roomy = dns.message.make_query("big.example.test.", "TXT", use_edns=0, payload=4096)
    fits = dns.query.udp(roomy, host, port=port, timeout=2)
    assert not fits.flags & dns.flags.TC and len(fits.answer[0]) == 4
    tcp = ask(sandbox.auth_address, "big.example.test.", "TXT", tcp=True)
    assert len(tcp.answer[0]) == 4
    # The product's lookup falls back to TCP by itself.
    assert sorted(auth_lookup(sandbox)("big.example.test", "TXT").values) == sorted(values)


def test_several_queries_share_one_tcp_connection(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
    with socket.create_connection(sandbox.auth_address, timeout=2) as sock:
        for _ in range(3):
            query = dns.message.make_query("a.example.test.", "A")
            response = dns.query.tcp(query, sandbox.auth_address[0], sock=sock, timeout=2)
            assert response.answer[0][0].address == "192.0.2.1"


def test_garbage_gets_no_reply_and_the_server_keeps_serving(sandbox: SandboxDns) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        sock.sendto(b"\x12\x34 this is not DNS", sandbox.auth_address)
        with pytest.raises(TimeoutError):
            sock.recvfrom(4096)
    with socket.create_connection(sandbox.auth_address, timeout=2) as sock:
        sock.settimeout(0.5)
        sock.sendall(b"\x00\x05hello")
        assert sock.recv(10) == b""  # the server drops the connection, no reply
    assert ask(sandbox.auth_address, "example.test.", "SOA").rcode() == dns.rcode.NOERROR


def test_a_response_sent_to_the_server_is_ignored(sandbox: SandboxDns) -> None:
    bogus = dns.message.make_response(dns.message.make_query("example.test.", "A"))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        sock.sendto(bogus.to_wire(), sandbox.auth_address)
        with pytest.raises(TimeoutError):
            sock.recvfrom(4096)


def test_unknown_opcodes_get_notimp(sandbox: SandboxDns) -> None:
    notify = dns.message.make_query("example.test.", "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    assert _send(sandbox, notify).rcode() == dns.rcode.NOTIMP


# --- RFC 2136 ------------------------------------------------------------------------------------


def test_signed_update_is_applied_and_the_response_is_signed(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    update = _update(sandbox)
    update.add("_dmarc.example.test.", 300, "TXT", '"v=DMARC1; p=none"')
    response = _send(sandbox, update)
    assert response.rcode() == dns.rcode.NOERROR
    assert response.had_tsig
    assert store.get_rrset("_dmarc.example.test", "TXT") is not None
    assert store.serial(ZONE) == 2
    assert len(sandbox.auth.updates) == 1
    assert auth_lookup(sandbox)("_dmarc.example.test", "TXT").values == ("v=DMARC1; p=none",)


def test_unsigned_update_is_refused_when_a_key_is_configured(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    update = _update(sandbox, signed=False)
    update.add("x.example.test.", 300, "TXT", '"x"')
    assert _send(sandbox, update).rcode() == dns.rcode.REFUSED
    assert store.get_rrset("x.example.test", "TXT") is None
    assert sandbox.auth.updates == []


def test_wrong_secret_raises_peer_bad_signature(sandbox: SandboxDns, store: ZoneStore) -> None:
    wrong = dns.tsigkeyring.from_text(
        {sandbox.tsig.name: (sandbox.tsig.algorithm, base64.b64encode(b"w" * 32).decode())}
    )
    update = dns.update.UpdateMessage(ZONE, keyring=wrong, keyalgorithm=sandbox.tsig.algorithm)
    update.add("x.example.test.", 300, "TXT", '"x"')
    with pytest.raises(dns.tsig.PeerBadSignature):
        _send(sandbox, update)
    assert store.get_rrset("x.example.test", "TXT") is None


def test_unknown_key_name_raises_peer_bad_key(sandbox: SandboxDns, store: ZoneStore) -> None:
    other = dns.tsigkeyring.from_text({"someone-else.": base64.b64encode(b"k" * 32).decode()})
    update = dns.update.UpdateMessage(ZONE, keyring=other)
    update.add("x.example.test.", 300, "TXT", '"x"')
    with pytest.raises(dns.tsig.PeerBadKey):
        _send(sandbox, update)
    assert store.get_rrset("x.example.test", "TXT") is None


def test_update_for_an_unserved_zone_is_notauth_and_outside_names_notzone(
    sandbox: SandboxDns,
) -> None:
    foreign = _update(sandbox, zone="example.org")
    foreign.add("x.example.org.", 300, "TXT", '"x"')
    assert _send(sandbox, foreign).rcode() == dns.rcode.NOTAUTH
    stray = _update(sandbox)
    stray.add("x.example.org.", 300, "TXT", '"x"')
    assert _send(sandbox, stray).rcode() == dns.rcode.NOTZONE


def test_update_add_delete_and_replace(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("m.example.test", "TXT", 300, ["one"])
    add = _update(sandbox)
    add.add("m.example.test.", 60, "TXT", '"two"')  # joins the set, sets its TTL
    add.add("n.example.test.", 60, "A", "192.0.2.1")
    assert _send(sandbox, add).rcode() == dns.rcode.NOERROR
    m = store.get_rrset("m.example.test", "TXT")
    assert m is not None and (m.ttl, m.values) == (60, ("one", "two"))

    change = _update(sandbox)
    change.delete("m.example.test.", "TXT", '"one"')  # one value
    change.replace("n.example.test.", 120, "A", "192.0.2.2")
    assert _send(sandbox, change).rcode() == dns.rcode.NOERROR
    assert store.get_rrset("m.example.test", "TXT").values == ("two",)  # type: ignore[union-attr]
    n = store.get_rrset("n.example.test", "A")
    assert n is not None and (n.ttl, n.values) == (120, ("192.0.2.2",))

    wipe = _update(sandbox)
    wipe.delete("m.example.test.", "TXT", '"two"')  # last value: the RRset goes
    wipe.delete("n.example.test.")  # every RRset at the name
    wipe.delete("example.test.", "NS")  # the apex NS stays (RFC 2136 s3.4.2.4)
    assert _send(sandbox, wipe).rcode() == dns.rcode.NOERROR
    assert store.get_rrset("m.example.test", "TXT") is None
    assert store.get_rrset("n.example.test", "A") is None
    assert store.get_rrset(ZONE, "NS") is not None


def test_update_ignores_a_cname_next_to_other_data(sandbox: SandboxDns, store: ZoneStore) -> None:
    store.set_rrset("d.example.test", "TXT", 300, ["data"])
    store.set_rrset("c.example.test", "CNAME", 300, ["d.example.test."])
    update = _update(sandbox)
    update.add("d.example.test.", 300, "CNAME", "elsewhere.example.test.")
    update.add("c.example.test.", 300, "TXT", '"data"')
    assert _send(sandbox, update).rcode() == dns.rcode.NOERROR  # silently ignored, s3.4.2.2
    assert store.get_rrset("d.example.test", "CNAME") is None
    assert store.get_rrset("c.example.test", "TXT") is None


@pytest.mark.parametrize(
    ("build", "rcode"),
    [
        (lambda u: u.absent("d.example.test."), dns.rcode.YXDOMAIN),
        (lambda u: u.absent("d.example.test.", "TXT"), dns.rcode.YXRRSET),
        (lambda u: u.present("nope.example.test."), dns.rcode.NXDOMAIN),
        (lambda u: u.present("d.example.test.", "MX"), dns.rcode.NXRRSET),
        (lambda u: u.present("d.example.test.", "TXT", '"other"'), dns.rcode.NXRRSET),
        (lambda u: u.present("d.example.test.", "TXT", '"data"'), dns.rcode.NOERROR),
        (lambda u: u.absent("e.example.test.", "TXT"), dns.rcode.NOERROR),
    ],
)
def test_prerequisites_are_checked_before_anything_changes(
    sandbox: SandboxDns, store: ZoneStore, build: object, rcode: dns.rcode.Rcode
) -> None:
    store.set_rrset("d.example.test", "TXT", 300, ["data"])
    update = _update(sandbox)
    build(update)  # type: ignore[operator]
    update.add("e.example.test.", 300, "TXT", '"new"')
    assert _send(sandbox, update).rcode() == rcode
    applied = store.get_rrset("e.example.test", "TXT") is not None
    assert applied is (rcode == dns.rcode.NOERROR)


def test_the_products_rfc2136_provider_publishes_through_the_sandbox(
    sandbox: SandboxDns, store: ZoneStore
) -> None:
    host, port = sandbox.auth_address
    provider = Rfc2136Provider.from_settings(
        host,
        port,
        ZONE,
        key_name=sandbox.tsig.name,
        algorithm=sandbox.tsig.algorithm,
        secret=sandbox.tsig.secret,
        timeout=2.0,
    )
    record = make_record("mail.example.test", "MX", ["10 feedback-smtp.us-east-1.amazonses.com"])
    result = provider.apply(provider.plan([record]))
    assert result.status == "NOERROR"
    assert store.get_rrset("mail.example.test", "MX") is not None
    assert provider.plan([record]).writes == ()  # idempotent: read back as published


# --- on the caller's loop --------------------------------------------------------------------------


async def test_auth_server_runs_on_the_callers_event_loop(store: ZoneStore) -> None:
    store.set_rrset("a.example.test", "A", 60, ["192.0.2.1"])
    server = AuthServer(store)
    port = await server.start()
    try:
        query = dns.message.make_query("a.example.test.", "A")
        response = await dns.asyncquery.udp(query, "127.0.0.1", port=port, timeout=2)
        assert response.answer[0][0].address == "192.0.2.1"
        # Without a keyring unsigned updates are accepted (a server with no TSIG configured).
        update = dns.update.UpdateMessage(ZONE)
        update.add("b.example.test.", 60, "A", "192.0.2.2")
        reply = await dns.asyncquery.tcp(update, "127.0.0.1", port=port, timeout=2)
        assert reply.rcode() == dns.rcode.NOERROR
    finally:
        await server.stop()
    assert store.get_rrset("b.example.test", "A") is not None

"""RFC 2136 provider against a real knotd on loopback (TSIG hmac-sha256, DDNS over TCP)."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable

import dns.rcode
import pytest

from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.providers import Action, DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.providers.plan import build_plan
from sesdmarc_tui.dns.providers.rfc2136 import Rfc2136Provider
from sesdmarc_tui.dns.providers.rfc2136_wire import TsigKey
from tests.adapters.providers._support import (
    KEY_NAME,
    ZONE,
    CountingExchange,
    closed_port,
    make_provider,
    query_txt_strings,
    rcode_server,
    silent_tcp_server,
)
from tests.support.knot import KnotServer

pytestmark = pytest.mark.realdns

Knot = Callable[[list[str]], KnotServer]
DKIM_KEY = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 10
SES_RECORDS = [
    make_record(f"tok{i}._domainkey.{ZONE}", "CNAME", [f"tok{i}.dkim.amazonses.com"])
    for i in range(3)
] + [
    make_record(f"mail.{ZONE}", "MX", ["10 feedback-smtp.us-east-1.amazonses.com"]),
    make_record(f"mail.{ZONE}", "TXT", ["v=spf1 include:amazonses.com ~all"]),
    make_record(f"_dmarc.{ZONE}", "TXT", ["v=DMARC1; p=none; rua=mailto:dmarc@example.test"]),
]


def values_at(provider: Rfc2136Provider, name: str, rtype: str) -> set[str]:
    found = provider.read([(name, rtype)]).get((name, rtype))
    return set(found.values) if found else set()


def test_creates_cname_mx_and_long_txt_in_one_signed_update(knot: Knot) -> None:
    server = knot([])
    counter = CountingExchange()
    provider = make_provider(server, exchange=counter)
    desired = [
        *SES_RECORDS[:3],
        SES_RECORDS[3],
        make_record(f"byo._domainkey.{ZONE}", "TXT", [DKIM_KEY]),
    ]
    plan = provider.plan(desired)
    assert [c.action for c in plan.changes] == [Action.CREATE] * 5
    lines: list[str] = []
    result = provider.apply(plan, lines.append)

    assert counter.updates == 1
    assert result.status == "NOERROR" and len(result.applied) == 5
    assert "TSIG-signed" in lines[0]
    assert provider.wait(result, timeout=2)
    assert values_at(provider, f"tok0._domainkey.{ZONE}", "CNAME") == {"tok0.dkim.amazonses.com"}
    assert values_at(provider, f"mail.{ZONE}", "MX") == {"10 feedback-smtp.us-east-1.amazonses.com"}
    # The 460-octet key travels as several character-strings and reads back joined.
    strings = query_txt_strings(server.host, server.port, f"byo._domainkey.{ZONE}")
    assert len(strings) == 1 and len(strings[0]) == 2
    assert all(len(s) <= 255 for s in strings[0])
    assert b"".join(strings[0]).decode() == DKIM_KEY
    assert values_at(provider, f"byo._domainkey.{ZONE}", "TXT") == {DKIM_KEY}


def test_second_apply_of_the_same_records_sends_no_update(knot: Knot) -> None:
    server = knot([])
    counter = CountingExchange()
    provider = make_provider(server, exchange=counter)
    provider.apply(provider.plan(SES_RECORDS))
    assert counter.updates == 1

    again = provider.plan(SES_RECORDS)
    assert again.empty
    assert {c.action for c in again.changes} == {Action.UNCHANGED}
    result = provider.apply(again)
    assert counter.updates == 1
    assert result.status == "NOTHING_TO_DO" and result.applied == ()
    assert again.to_json()["empty"] is True


def test_replaces_dmarc_and_merges_spf_keeping_unrelated_txt(knot: Knot) -> None:
    server = knot(
        [
            '@ 300 IN TXT "google-site-verification=abc123"',
            '@ 300 IN TXT "v=spf1 mx -all"',
            '_dmarc 300 IN TXT "v=DMARC1; p=none"',
            '_dmarc 300 IN TXT "unrelated-token=xyz"',
        ]
    )
    provider = make_provider(server)
    dmarc = "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test"
    desired = [
        make_record(ZONE, "TXT", ["v=spf1 include:amazonses.com ~all"]),
        make_record(f"_dmarc.{ZONE}", "TXT", [dmarc]),
    ]
    plan = provider.plan(desired)
    apex, at_dmarc = plan.changes
    assert apex.action is Action.REPLACE
    assert apex.removed == ("v=spf1 mx -all",)
    assert apex.added == ("v=spf1 mx include:amazonses.com -all",)
    assert apex.kept == ("google-site-verification=abc123",)
    assert "replace 'v=spf1 mx -all' with" in apex.description
    assert at_dmarc.removed == ("v=DMARC1; p=none",) and at_dmarc.added == (dmarc,)

    provider.apply(plan)
    assert values_at(provider, ZONE, "TXT") == {
        "google-site-verification=abc123",
        "v=spf1 mx include:amazonses.com -all",
    }
    assert values_at(provider, f"_dmarc.{ZONE}", "TXT") == {dmarc, "unrelated-token=xyz"}


def test_deletes_a_record_and_one_value_of_a_set(knot: Knot) -> None:
    server = knot(
        [
            "old._domainkey 300 IN CNAME old.dkim.amazonses.com.",
            '@ 300 IN TXT "amazonses:stale-token"',
            '@ 300 IN TXT "google-site-verification=abc123"',
        ]
    )
    provider = make_provider(server)
    remove = [
        make_record(f"old._domainkey.{ZONE}", "CNAME", ["old.dkim.amazonses.com"]),
        make_record(ZONE, "TXT", ["amazonses:stale-token"]),
    ]
    plan = provider.plan([], remove=remove)
    assert [c.action for c in plan.changes] == [Action.DELETE, Action.REPLACE]
    provider.apply(plan)
    assert provider.read([(f"old._domainkey.{ZONE}", "CNAME")]) == {}
    assert values_at(provider, ZONE, "TXT") == {"google-site-verification=abc123"}
    assert provider.plan([], remove=remove).empty


def test_cname_over_existing_data_is_refused_and_not_sent(knot: Knot) -> None:
    server = knot(['tok._domainkey 300 IN TXT "leftover"'])
    counter = CountingExchange()
    provider = make_provider(server, exchange=counter)
    plan = provider.plan(
        [make_record(f"tok._domainkey.{ZONE}", "CNAME", ["tok.dkim.amazonses.com"])]
    )
    assert plan.empty and len(plan.refused) == 1
    assert "cannot share its name" in plan.refused[0].reason
    provider.apply(plan)
    assert counter.updates == 0


def test_value_added_after_the_plan_is_not_wiped(knot: Knot) -> None:
    server = knot(['@ 300 IN TXT "google-site-verification=abc123"'])
    provider = make_provider(server)
    plan = provider.plan([make_record(ZONE, "TXT", ["v=spf1 include:amazonses.com ~all"])])
    someone_else = make_provider(server)
    someone_else.apply(someone_else.plan([make_record(ZONE, "TXT", ["ms=ms123"])]))

    with pytest.raises(DnsProviderError) as caught:
        provider.apply(plan)
    assert caught.value.kind is ProviderErrorKind.CONFLICT
    assert "ms=ms123" in values_at(provider, ZONE, "TXT")


def test_data_added_next_to_a_planned_cname_fails_instead_of_being_ignored(knot: Knot) -> None:
    server = knot([])
    provider = make_provider(server)
    plan = provider.plan(SES_RECORDS[:1])
    someone_else = make_provider(server)
    someone_else.apply(someone_else.plan([make_record(SES_RECORDS[0].name, "TXT", ["late"])]))

    with pytest.raises(DnsProviderError) as caught:
        provider.apply(plan)
    assert caught.value.kind is ProviderErrorKind.CONFLICT
    assert provider.read([(SES_RECORDS[0].name, "CNAME")]) == {}


def test_wrong_secret_is_a_clear_tsig_error_without_the_secret(knot: Knot) -> None:
    server = knot([])
    wrong = base64.b64encode(os.urandom(32)).decode()
    provider = make_provider(server, secret=wrong)
    with pytest.raises(DnsProviderError) as caught:
        provider.apply(provider.plan(SES_RECORDS[:1]))
    err = caught.value
    assert err.kind is ProviderErrorKind.TSIG
    assert str(err).startswith("TSIG key rejected")
    assert "name, algorithm and secret" in err.remedy
    assert wrong not in f"{err} {err!r} {provider.key!r}"
    assert server.tsig_secret not in f"{err} {err!r}"


def test_unknown_key_name_and_unsigned_update_are_refused(knot: Knot) -> None:
    server = knot([])
    unknown = make_provider(server, key_name="someone-else.")
    with pytest.raises(DnsProviderError) as caught:
        unknown.apply(unknown.plan(SES_RECORDS[:1]))
    assert caught.value.kind is ProviderErrorKind.TSIG
    assert "does not know a key" in caught.value.message

    unsigned = make_provider(server, signed=False)
    with pytest.raises(DnsProviderError) as caught:
        unsigned.apply(unsigned.plan(SES_RECORDS[:1]))
    assert caught.value.kind is ProviderErrorKind.TSIG
    assert "unsigned update (NOTAUTH)" in caught.value.message
    assert make_provider(server).plan(SES_RECORDS[:1]).writes  # nothing was written


def test_zone_the_server_does_not_serve(knot: Knot) -> None:
    server = knot([])
    provider = make_provider(server, zone="other.test")
    with pytest.raises(DnsProviderError) as caught:
        provider.plan([make_record("x.other.test", "TXT", ["hi"])])
    assert caught.value.kind is ProviderErrorKind.NOT_AUTHORITATIVE


def test_refused_update() -> None:
    key = TsigKey(KEY_NAME, "hmac-sha256", base64.b64encode(b"k" * 32).decode())
    with rcode_server(dns.rcode.REFUSED, keyring=key.dns_key()) as port:
        provider = Rfc2136Provider("127.0.0.1", ZONE, key, port=port, timeout=2)
        # The endpoint answers one message, so the plan is built without reading.
        plan = build_plan(provider.name, ZONE, SES_RECORDS[:1], {})
        with pytest.raises(DnsProviderError) as caught:
            provider.apply(plan)
    assert caught.value.kind is ProviderErrorKind.REFUSED
    assert "update policy" in caught.value.remedy


def test_closed_port_fails_fast() -> None:
    key = TsigKey(KEY_NAME, "hmac-sha256", base64.b64encode(b"k" * 32).decode())
    provider = Rfc2136Provider("127.0.0.1", ZONE, key, port=closed_port(), timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DnsProviderError) as caught:
        provider.plan(SES_RECORDS[:1])  # UDP: the unconnected socket never sees the ICMP
    assert caught.value.kind is ProviderErrorKind.TIMEOUT
    assert "within 0.3 s" in caught.value.message

    with pytest.raises(DnsProviderError) as caught:
        provider.apply(build_plan(provider.name, ZONE, SES_RECORDS[:1], {}))
    assert caught.value.kind is ProviderErrorKind.UNREACHABLE
    assert time.monotonic() - started < 2


def test_silent_server_times_out() -> None:
    key = TsigKey(KEY_NAME, "hmac-sha256", base64.b64encode(b"k" * 32).decode())
    with silent_tcp_server() as port:
        provider = Rfc2136Provider("127.0.0.1", ZONE, key, port=port, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(DnsProviderError) as caught:
            provider.apply(build_plan(provider.name, ZONE, SES_RECORDS[:1], {}))
    assert caught.value.kind is ProviderErrorKind.TIMEOUT
    assert 0.25 < time.monotonic() - started < 2


def test_bad_key_settings_are_refused_before_sending() -> None:
    with pytest.raises(DnsProviderError) as caught:
        TsigKey(KEY_NAME, "hmac-sha256", "not base64!")
    assert caught.value.kind is ProviderErrorKind.TSIG and "not base64!" not in str(caught.value)
    with pytest.raises(DnsProviderError):
        TsigKey(KEY_NAME, "hmac-sha3", base64.b64encode(b"k" * 32).decode())
    assert "c2VjcmV0" not in repr(TsigKey(KEY_NAME, "hmac-sha256", "c2VjcmV0"))


def test_doubled_zone_name_is_refused_before_any_query(knot: Knot) -> None:
    server = knot([])
    counter = CountingExchange()
    provider = make_provider(server, exchange=counter)
    with pytest.raises(DnsProviderError) as caught:
        provider.plan([make_record(f"tok._domainkey.{ZONE}.{ZONE}", "CNAME", ["t.example.net"])])
    assert caught.value.kind is ProviderErrorKind.INVALID_NAME
    assert counter.opcodes == []


def test_from_settings_builds_a_working_provider(knot: Knot) -> None:
    server = knot([])
    provider = Rfc2136Provider.from_settings(
        server.host,
        server.port,
        ZONE,
        key_name=KEY_NAME,
        algorithm="hmac-sha256",
        secret=server.tsig_secret,
        timeout=2,
    )
    result = provider.apply(provider.plan(SES_RECORDS[:1]))
    assert provider.wait(result, timeout=2)
    assert Rfc2136Provider.from_settings("127.0.0.1", 53, ZONE).key is None

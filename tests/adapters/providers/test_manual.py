"""Manual provider: plans from what DNS shows, writes nothing, hands out copy material."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.providers import Action, DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.providers.manual import ManualProvider

DOMAIN = "example.com"
DESIRED = [
    make_record(f"tok1._domainkey.{DOMAIN}", "CNAME", ["tok1.dkim.amazonses.com"], ttl=1800),
    make_record(f"mail.{DOMAIN}", "MX", ["10 feedback-smtp.eu-west-1.amazonses.com"]),
    make_record(DOMAIN, "TXT", ["v=spf1 include:amazonses.com ~all"]),
]


def existing() -> StaticLookup:
    return StaticLookup(
        {
            (DOMAIN, "TXT"): ["google-site-verification=abc123", "v=spf1 mx -all"],
            (f"mail.{DOMAIN}", "A"): [],
        }
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_plan_reads_dns_and_apply_writes_nothing() -> None:
    lookup = existing()
    provider = ManualProvider(DOMAIN, lookup)
    plan = provider.plan(DESIRED)
    assert [c.action for c in plan.changes] == [Action.CREATE, Action.CREATE, Action.REPLACE]
    asked = len(lookup.queries)

    result = provider.apply(plan)
    assert len(lookup.queries) == asked  # apply neither reads nor writes
    assert result.status == "MANUAL" and result.change_id is None
    assert result.instructions is not None
    assert result.messages[2] == (
        "Update TXT example.com: replace 'v=spf1 mx -all' with "
        "'v=spf1 mx include:amazonses.com -all'; keep 1 other value"
    )


def test_zone_snippet_holds_complete_sets_and_removals() -> None:
    provider = ManualProvider(DOMAIN, existing())
    kit = provider.apply(provider.plan(DESIRED)).instructions
    assert kit is not None
    assert kit.zone_snippet.splitlines() == [
        "$ORIGIN example.com.",
        "tok1._domainkey.example.com. 1800 IN CNAME tok1.dkim.amazonses.com.",
        "mail.example.com.            300  IN MX    10 feedback-smtp.eu-west-1.amazonses.com.",
        'example.com.                 300  IN TXT   "google-site-verification=abc123"',
        'example.com.                 300  IN TXT   "v=spf1 mx include:amazonses.com -all"',
        '; remove: example.com. 300 IN TXT "v=spf1 mx -all"',
    ]


def test_csv_and_copy_text_hold_only_the_values_to_add() -> None:
    provider = ManualProvider(DOMAIN, existing())
    kit = provider.apply(provider.plan(DESIRED)).instructions
    assert kit is not None
    assert kit.csv.split("\r\n") == [
        "name,type,ttl,value",
        "tok1._domainkey.example.com.,CNAME,1800,tok1.dkim.amazonses.com.",
        "mail.example.com.,MX,300,10 feedback-smtp.eu-west-1.amazonses.com.",
        "example.com.,TXT,300,v=spf1 mx include:amazonses.com -all",
        "",
    ]
    assert [(c.name, c.text) for c in kit.copy] == [
        (f"tok1._domainkey.{DOMAIN}", "tok1._domainkey\tCNAME\ttok1.dkim.amazonses.com\t1800"),
        (f"mail.{DOMAIN}", "mail\tMX\t10 feedback-smtp.eu-west-1.amazonses.com\t300"),
        (DOMAIN, "@\tTXT\tv=spf1 mx include:amazonses.com -all\t300"),
    ]
    assert kit.to_json()["copy"][0]["type"] == "CNAME"


def test_cname_found_by_the_resolver_blocks_other_data() -> None:
    lookup = StaticLookup({(f"_dmarc.{DOMAIN}", "CNAME"): ["_dmarc.vendor.example.net"]})
    provider = ManualProvider(DOMAIN, lookup)
    plan = provider.plan([make_record(f"_dmarc.{DOMAIN}", "TXT", ["v=DMARC1; p=none"])])
    assert plan.empty
    assert "is a CNAME to _dmarc.vendor.example.net" in plan.refused[0].reason
    assert plan.to_json()["refused"][0]["type"] == "TXT"


def test_wait_is_decided_by_what_dns_serves() -> None:
    lookup = StaticLookup()
    clock = Clock()
    provider = ManualProvider(DOMAIN, lookup, sleep=clock.sleep, clock=clock, poll_interval=5)
    result = provider.apply(provider.plan(DESIRED[:1]))
    assert not provider.wait(result, timeout=12)
    assert clock.now == 12
    lookup.add(f"tok1._domainkey.{DOMAIN}", "CNAME", "tok1.dkim.amazonses.com.")
    assert provider.wait(result, timeout=12)


def test_lookup_errors_stop_the_plan() -> None:
    lookup = StaticLookup(errors={(DOMAIN, "TXT"): "timed out after 3 s"})
    with pytest.raises(DnsProviderError) as caught:
        ManualProvider(DOMAIN, lookup).plan(DESIRED[2:])
    assert caught.value.kind is ProviderErrorKind.UNREACHABLE
    assert "timed out" in caught.value.message


def test_empty_plan_gives_empty_instructions() -> None:
    lookup = StaticLookup({(DOMAIN, "TXT"): ["v=spf1 include:amazonses.com ~all"]})
    provider = ManualProvider(DOMAIN, lookup)
    result = provider.apply(provider.plan(DESIRED[2:]))
    assert result.status == "NOTHING_TO_DO"
    assert result.instructions is not None
    assert result.instructions.zone_snippet == ""
    assert result.instructions.csv == "name,type,ttl,value\r\n"

"""RFC 7208 evaluation by pyspf with its DNS answered from an in-memory table."""

from __future__ import annotations

import threading

import pytest
import spf

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.dns.spf_eval import evaluate_spf, evaluate_spf_detail, pyspf_dns

ZONE = StaticLookup(
    {
        ("example.com", "TXT"): [
            "v=spf1 include:_spf.example.com mx a:web.example.com ~all",
            "other=1",
        ],
        ("_spf.example.com", "TXT"): ["v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"],
        ("example.com", "MX"): ["10 mx1.example.com.", "20 mx2.example.com."],
        ("mx1.example.com", "A"): ["198.51.100.1"],
        ("mx2.example.com", "AAAA"): ["2001:db8:ffff::2"],
        ("web.example.com", "A"): ["203.0.113.80"],
        ("strict.example", "TXT"): ["v=spf1 ip4:192.0.2.1 -all"],
        ("open.example", "TXT"): ["v=spf1 ?all"],
        ("two.example", "TXT"): ["v=spf1 -all", "v=spf1 +all"],
        ("bad.example", "TXT"): ["v=spf1 ip4:192.0.2.1 -all moo"],
        ("over.example", "TXT"): ["v=spf1 a mx a mx a mx a mx a ptr a ip4:1.2.3.4 -all"],
        ("temp.example", "TXT"): ["v=spf1 include:slow.example -all"],
        ("cname.example", "CNAME"): ["target.example."],
        ("target.example", "TXT"): ["v=spf1 ip4:192.0.2.9 -all"],
        ("long.example", "TXT"): [
            "v=spf1 " + " ".join(f"ip4:10.0.0.{i}" for i in range(60)) + " -all"
        ],
        ("macro.example", "TXT"): ["v=spf1 exists:%{i}._ip.macro.example -all"],
        ("192.0.2.44._ip.macro.example", "A"): ["127.0.0.2"],
    },
    errors={("slow.example", "TXT"): "timed out"},
)


@pytest.mark.parametrize(
    ("ip", "sender", "result"),
    [
        ("192.0.2.10", "bounce@example.com", "pass"),
        ("2001:db8::5", "bounce@example.com", "pass"),
        ("198.51.100.1", "bounce@example.com", "pass"),
        ("2001:db8:ffff::2", "bounce@example.com", "pass"),
        ("203.0.113.80", "bounce@example.com", "pass"),
        ("203.0.113.81", "bounce@example.com", "softfail"),
        ("192.0.2.2", "x@strict.example", "fail"),
        ("192.0.2.1", "x@strict.example", "pass"),
        ("192.0.2.1", "x@open.example", "neutral"),
        ("192.0.2.1", "x@nothing.example", "none"),
        ("192.0.2.1", "x@two.example", "permerror"),
        ("192.0.2.1", "x@bad.example", "permerror"),
        ("192.0.2.1", "x@over.example", "permerror"),
        ("192.0.2.1", "x@temp.example", "temperror"),
        ("192.0.2.9", "x@cname.example", "pass"),
        ("10.0.0.59", "x@long.example", "pass"),
        ("192.0.2.44", "x@macro.example", "pass"),
        ("192.0.2.45", "x@macro.example", "fail"),
        ("::ffff:192.0.2.1", "x@strict.example", "pass"),
    ],
)
def test_results(ip: str, sender: str, result: str) -> None:
    assert evaluate_spf(ip, sender, "helo.example", ZONE) == result


def test_empty_sender_checks_the_helo_identity() -> None:
    assert evaluate_spf("192.0.2.1", "", "strict.example", ZONE) == "pass"
    assert evaluate_spf("192.0.2.2", "", "strict.example", ZONE) == "fail"


def test_explanation_is_returned() -> None:
    result, explanation = evaluate_spf_detail("192.0.2.1", "x@over.example", "h.example", ZONE)
    assert result == "permerror"
    assert explanation.startswith("SPF Permanent Error")


def test_bad_ip_raises_value_error() -> None:
    with pytest.raises(ValueError):
        evaluate_spf("not-an-ip", "x@example.com", "h.example", ZONE)


def test_the_global_pyspf_lookup_is_restored() -> None:
    original = spf.DNSLookup
    evaluate_spf("192.0.2.1", "x@strict.example", "h.example", ZONE)
    evaluate_spf("192.0.2.1", "x@temp.example", "h.example", ZONE)
    assert spf.DNSLookup is original


def test_concurrent_evaluations_use_their_own_lookup() -> None:
    allow = StaticLookup({("t.example", "TXT"): ["v=spf1 +all"]})
    deny = StaticLookup({("t.example", "TXT"): ["v=spf1 -all"]})
    results: dict[str, list[str]] = {"allow": [], "deny": []}

    def run(name: str, lookup: StaticLookup) -> None:
        for _ in range(20):
            results[name].append(evaluate_spf("192.0.2.1", "x@t.example", "h.example", lookup))

    threads = [threading.Thread(target=run, args=a) for a in (("allow", allow), ("deny", deny))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results["allow"]) == {"pass"} and set(results["deny"]) == {"fail"}


def test_answer_shapes_match_what_pyspf_expects() -> None:
    lookup = StaticLookup(
        {
            ("x.example", "TXT"): ["v=spf1 -all"],
            ("x.example", "MX"): ["10 mx.x.example.", "bogus"],
            ("x.example", "A"): ["192.0.2.1"],
            ("1.2.0.192.in-addr.arpa", "PTR"): ["host.x.example."],
        }
    )
    dns = pyspf_dns(lookup)
    assert dns("x.example", "TXT") == [(("x.example", "TXT"), [b"v=spf1 -all"])]
    assert dns("x.example", "MX") == [(("x.example", "MX"), (10, "mx.x.example"))]
    assert dns("x.example", "A") == [(("x.example", "A"), "192.0.2.1")]
    assert dns("1.2.0.192.in-addr.arpa", "PTR") == [
        (("1.2.0.192.in-addr.arpa", "PTR"), "host.x.example")
    ]
    assert dns("missing.example", "TXT") == []
    assert dns("x.example", "AAAA") == []


def test_non_ascii_record_is_permerror() -> None:
    lookup = StaticLookup(
        {("h.example", "TXT"): ["v=spf1 a:\ufeffgarbage.example.net -all", "\udcff"]}
    )
    assert evaluate_spf("192.0.2.1", "x@h.example", "h.example", lookup) == "permerror"

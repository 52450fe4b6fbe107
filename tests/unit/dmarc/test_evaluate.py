"""DMARC evaluation truth table (RFC 9989 s4.4, reference s2)."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.dmarc import evaluate_dmarc
from sesdmarc_tui.core.lookup import StaticLookup

RELAXED = "v=DMARC1; p=reject; rua=mailto:d@example.com"


def world(record: str = RELAXED, **extra: str) -> StaticLookup:
    table = {("_dmarc.example.com", "TXT"): [record]}
    for name, value in extra.items():
        table[(f"_dmarc.{name}", "TXT")] = [value]
    return StaticLookup(table)


def test_ses_with_easy_dkim_and_custom_mail_from_passes_both_ways() -> None:
    e = evaluate_dmarc(
        "example.com",
        "mail.example.com",
        "pass",
        [("example.com", "pass"), ("amazonses.com", "pass")],
        world(),
    )
    assert (e.dmarc, e.dkim_aligned, e.spf_aligned, e.disposition) == ("pass", True, True, "none")
    assert e.policy_domain == "example.com"
    assert [s.aligned for s in e.signatures] == [True, False]


def test_amazonses_only_fails() -> None:
    e = evaluate_dmarc(
        "example.com", "us-east-1.amazonses.com", "pass", [("amazonses.com", "pass")], world()
    )
    assert (e.dmarc, e.dkim_aligned, e.spf_aligned, e.disposition) == (
        "fail",
        False,
        False,
        "reject",
    )
    assert any("Easy DKIM" in n for n in e.notes)
    assert any("MAIL FROM" in n for n in e.notes)


def test_spf_aligned_via_mail_subdomain() -> None:
    e = evaluate_dmarc(
        "example.com", "mail.example.com", "pass", [("amazonses.com", "pass")], world()
    )
    assert (e.dmarc, e.spf_aligned, e.dkim_aligned) == ("pass", True, False)


@pytest.mark.parametrize("spf", ["fail", "softfail", "neutral", "none", "permerror"])
def test_spf_must_pass_to_align(spf: str) -> None:
    e = evaluate_dmarc("example.com", "mail.example.com", spf, [], world())
    assert e.dmarc == "fail" and not e.spf_aligned


def test_strict_spf_cannot_align_with_ses_mail_from() -> None:
    e = evaluate_dmarc("example.com", "mail.example.com", "pass", [], world(RELAXED + "; aspf=s"))
    assert e.dmarc == "fail" and e.aspf == "s"
    e = evaluate_dmarc("example.com", "example.com", "pass", [], world(RELAXED + "; aspf=s"))
    assert e.dmarc == "pass"


def test_dkim_relaxed_from_subdomain() -> None:
    e = evaluate_dmarc(
        "news.example.com", "bounce.example.net", "pass", [("example.com", "pass")], world()
    )
    assert e.dmarc == "pass" and e.dkim_aligned


def test_dkim_strict_fails_for_subdomain_from() -> None:
    lookup = world(RELAXED + "; adkim=s")
    e = evaluate_dmarc(
        "news.example.com", "x.example.net", "none", [("example.com", "pass")], lookup
    )
    assert e.dmarc == "fail" and e.adkim == "s" and e.disposition == "reject"
    e = evaluate_dmarc("example.com", "x.example.net", "none", [("EXAMPLE.com", "pass")], lookup)
    assert e.dmarc == "pass"


@pytest.mark.parametrize("result", ["fail", "neutral", "temperror", "permerror", "none"])
def test_dkim_must_pass_to_align(result: str) -> None:
    e = evaluate_dmarc("example.com", "x.example.net", "none", [("example.com", result)], world())
    assert e.dmarc == "fail" and not e.dkim_aligned


def test_any_aligned_signature_is_enough() -> None:
    e = evaluate_dmarc(
        "example.com",
        "x.example.net",
        "fail",
        [("amazonses.com", "pass"), ("example.com", "fail"), ("mail.example.com", "pass")],
        world(),
    )
    assert e.dmarc == "pass" and [s.aligned for s in e.signatures] == [False, False, True]


def test_t_y_lowers_the_disposition() -> None:
    lookup = world("v=DMARC1; p=reject; t=y; pct=0; rua=mailto:d@example.com")
    e = evaluate_dmarc("example.com", "x.example.net", "fail", [], lookup)
    assert (e.dmarc, e.disposition, e.testing) == ("fail", "quarantine", True)
    assert any("pct=0" in n for n in e.notes)
    lookup = world("v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com")
    assert evaluate_dmarc("example.com", "x.example.net", "fail", [], lookup).disposition == "none"


def test_sp_and_np_dispositions() -> None:
    lookup = world("v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:d@example.com")
    e = evaluate_dmarc("a.example.com", "x.example.net", "fail", [], lookup)
    assert (e.disposition, e.discovery.applied_policy) == ("quarantine", "sp")
    e = evaluate_dmarc(
        "a.example.com", "x.example.net", "fail", [], lookup, author_domain_missing=True
    )
    assert (e.disposition, e.discovery.applied_policy) == ("reject", "np")


def test_no_policy_is_none() -> None:
    e = evaluate_dmarc(
        "example.org", "mail.example.org", "pass", [("example.org", "pass")], StaticLookup()
    )
    assert (e.dmarc, e.disposition, e.policy_domain) == ("none", "none", None)


def test_tree_walk_alignment_differs_from_psl() -> None:
    # notify.example.com has a record, example.com none: d=example.com no longer aligns (9989).
    lookup = StaticLookup({("_dmarc.notify.example.com", "TXT"): ["v=DMARC1; p=reject"]})
    e = evaluate_dmarc(
        "notify.example.com", "x.example.net", "none", [("example.com", "pass")], lookup
    )
    assert e.dmarc == "fail" and not e.dkim_aligned


def test_dns_error_is_temperror() -> None:
    lookup = StaticLookup(
        {("_dmarc.example.com", "TXT"): [RELAXED]}, errors={("_dmarc.com", "TXT"): "SERVFAIL"}
    )
    e = evaluate_dmarc("example.com", "x.example.net", "fail", [], lookup)
    assert e.dmarc == "temperror" and e.disposition is None
    assert e.to_json()["dns_errors"] == [{"query": "_dmarc.com", "error": "SERVFAIL"}]


def test_json_keys() -> None:
    payload = evaluate_dmarc("example.com", "mail.example.com", "pass", [], world()).to_json()
    assert list(payload)[:5] == [
        "dmarc",
        "dkim_aligned",
        "spf_aligned",
        "policy_domain",
        "disposition",
    ]


def test_bad_result_words_raise() -> None:
    with pytest.raises(ValueError):
        evaluate_dmarc("example.com", "mail.example.com", "maybe", [], world())
    with pytest.raises(ValueError):
        evaluate_dmarc("example.com", "mail.example.com", "pass", [("example.com", "ok")], world())


def test_each_name_queried_once() -> None:
    lookup = world()
    evaluate_dmarc(
        "a.example.com",
        "mail.example.com",
        "pass",
        [("example.com", "pass"), ("b.example.com", "pass")],
        lookup,
    )
    assert len(lookup.queries) == len(set(lookup.queries))

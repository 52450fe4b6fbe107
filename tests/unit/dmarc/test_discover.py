"""Policy discovery: the RFC 9989 tree walk (reference s1.5, RFC 9989 B.4) and the PSL path."""

from __future__ import annotations

from sesdmarc_tui.core.dmarc import (
    discover_policy,
    organizational_domain_tree_walk,
    query_dmarc,
    tree_walk,
)
from sesdmarc_tui.core.lookup import StaticLookup

ORG = "v=DMARC1; p=reject; sp=quarantine; np=none; rua=mailto:d@example.com"


def dns(**records: str | list[str]) -> StaticLookup:
    """``dns(**{"example.com": "v=DMARC1..."})`` publishes at _dmarc.<name>."""
    table: dict[tuple[str, str], list[str]] = {}
    for name, values in records.items():
        table[(f"_dmarc.{name}", "TXT")] = [values] if isinstance(values, str) else values
    return StaticLookup(table)


def test_author_record_applies_its_p() -> None:
    d = discover_policy("example.com", dns(**{"example.com": ORG}))
    assert (d.policy_domain, d.policy, d.applied_policy, d.dmarc_applies) == (
        "example.com",
        "reject",
        "p",
        True,
    )
    assert d.organizational_domain == "example.com"
    assert d.queries == ("_dmarc.example.com", "_dmarc.com")


def test_existing_subdomain_gets_sp() -> None:
    d = discover_policy("news.example.com", dns(**{"example.com": ORG}))
    assert (d.policy_domain, d.policy, d.applied_policy) == ("example.com", "quarantine", "sp")


def test_missing_subdomain_gets_np() -> None:
    d = discover_policy("nope.example.com", dns(**{"example.com": ORG}), author_domain_missing=True)
    assert (d.policy, d.applied_policy) == ("none", "np")


def test_np_falls_back_to_sp_then_p() -> None:
    lookup = dns(**{"example.com": "v=DMARC1; p=reject; sp=quarantine"})
    d = discover_policy("x.example.com", lookup, author_domain_missing=True)
    assert (d.policy, d.applied_policy) == ("quarantine", "sp")
    lookup = dns(**{"example.com": "v=DMARC1; p=reject"})
    d = discover_policy("x.example.com", lookup, author_domain_missing=True)
    assert (d.policy, d.applied_policy) == ("reject", "p")
    d = discover_policy("x.example.com", lookup)
    assert (d.policy, d.applied_policy) == ("reject", "p")


def test_author_own_record_wins_over_np() -> None:
    lookup = dns(**{"example.com": ORG, "mail.example.com": "v=DMARC1; p=quarantine"})
    d = discover_policy("mail.example.com", lookup, author_domain_missing=True)
    assert (d.policy_domain, d.policy, d.applied_policy) == ("mail.example.com", "quarantine", "p")
    assert d.organizational_domain == "example.com"


def test_intermediate_record_does_not_govern_children() -> None:
    lookup = dns(**{"example.com": ORG, "mail.example.com": "v=DMARC1; p=none"})
    d = discover_policy("a.mail.example.com", lookup)
    assert d.policy_domain == "example.com" and d.applied_policy == "sp"
    assert d.organizational_domain == "example.com"
    assert d.queries == (
        "_dmarc.a.mail.example.com",
        "_dmarc.mail.example.com",
        "_dmarc.example.com",
        "_dmarc.com",
    )
    assert any("does not govern a.mail.example.com" in n for n in d.notes)


def test_psd_n_stops_the_walk_and_fixes_the_org_domain() -> None:
    lookup = dns(**{"example.com": ORG, "mail.example.com": "v=DMARC1; p=none; psd=n"})
    d = discover_policy("a.mail.example.com", lookup)
    assert d.organizational_domain == "mail.example.com"
    assert d.policy_domain == "mail.example.com" and d.policy == "none"
    assert [s.query for s in d.walk.steps] == [
        "_dmarc.a.mail.example.com",
        "_dmarc.mail.example.com",
    ]
    # The RFC 7489 (PSL) path asks the registered domain too; it comes last.
    assert d.queries == (
        "_dmarc.a.mail.example.com",
        "_dmarc.mail.example.com",
        "_dmarc.example.com",
    )
    assert (d.rfc7489.policy_domain, d.rfc7489.policy) == ("example.com", "quarantine")


def test_psd_y_org_is_one_label_below() -> None:
    # RFC 9989 B.4.3
    lookup = dns(
        **{"giant.bank.example": "v=DMARC1; p=reject", "bank.example": "v=DMARC1; p=none; psd=y"}
    )
    assert organizational_domain_tree_walk("giant.bank.example", lookup) == "giant.bank.example"
    assert (
        organizational_domain_tree_walk("mail.giant.bank.example", lookup) == "giant.bank.example"
    )
    assert organizational_domain_tree_walk("mail.mega.bank.example", lookup) == "mega.bank.example"
    walk = tree_walk("giant.bank.example", lookup)
    assert [s.query for s in walk.steps] == ["_dmarc.giant.bank.example", "_dmarc.bank.example"]
    assert walk.psd_domain == "bank.example"


def test_psd_record_supplies_policy_when_org_has_none() -> None:
    lookup = dns(**{"bank.example": "v=DMARC1; p=reject; np=reject; sp=quarantine; psd=y"})
    d = discover_policy("mega.bank.example", lookup, author_domain_missing=True)
    assert d.organizational_domain == "mega.bank.example"
    assert (d.policy_domain, d.policy, d.applied_policy) == ("bank.example", "reject", "np")


def test_psd_y_on_start_name_is_its_own_org() -> None:
    lookup = dns(**{"bank.example": "v=DMARC1; p=reject; psd=y"})
    walk = tree_walk("bank.example", lookup)
    assert walk.organizational_domain == "bank.example"
    assert len(walk.steps) == 1


def test_more_than_eight_labels_query_list() -> None:
    # RFC 9989 B.4.2
    d = discover_policy("a.b.c.d.e.f.g.h.i.j.k.example.com", dns(**{"example.com": ORG}))
    assert d.queries == (
        "_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
        "_dmarc.g.h.i.j.k.example.com",
        "_dmarc.h.i.j.k.example.com",
        "_dmarc.i.j.k.example.com",
        "_dmarc.j.k.example.com",
        "_dmarc.k.example.com",
        "_dmarc.example.com",
        "_dmarc.com",
    )
    assert d.organizational_domain == "example.com" and d.policy_domain == "example.com"


def test_no_record_anywhere() -> None:
    d = discover_policy("a.example.com", dns())
    assert d.dmarc_applies is False
    assert (d.policy_domain, d.policy_record, d.policy, d.applied_policy) == (
        None,
        None,
        None,
        None,
    )
    assert d.organizational_domain == "a.example.com"
    assert d.rfc7489.to_json() == {
        "organizational_domain": "example.com",
        "policy_domain": None,
        "policy": None,
    }
    assert any("No DMARC record governs" in n for n in d.notes)


def test_multiple_records_count_as_none() -> None:
    lookup = dns(**{"example.com": [ORG, "v=DMARC1; p=none"]})
    d = discover_policy("example.com", lookup)
    assert d.dmarc_applies is False and d.policy_domain is None
    assert d.multiple_records == ("_dmarc.example.com",)
    assert any("2 DMARC records" in n for n in d.notes)
    assert query_dmarc("example.com", lookup).status == "multiple"


def test_multiple_records_at_author_fall_back_to_org() -> None:
    lookup = dns(
        **{"example.com": ORG, "news.example.com": ["v=DMARC1; p=none", "v=DMARC1; p=reject"]}
    )
    d = discover_policy("news.example.com", lookup)
    assert d.policy_domain == "example.com" and d.applied_policy == "sp"
    assert d.multiple_records == ("_dmarc.news.example.com",)


def test_unrelated_txt_is_discarded() -> None:
    lookup = dns(**{"example.com": ["google-site-verification=abc", ORG, "v=spf1 -all"]})
    d = discover_policy("example.com", lookup)
    assert d.policy_record == ORG and d.dmarc_applies
    assert any("unrelated TXT" in n for n in d.notes)


def test_broken_version_is_not_a_record() -> None:
    d = discover_policy("example.com", dns(**{"example.com": " v=DMARC1; p=reject"}))
    assert not d.dmarc_applies


def test_dns_errors_are_reported_not_taken_for_absence() -> None:
    lookup = StaticLookup(
        {("_dmarc.example.com", "TXT"): [ORG]},
        errors={("_dmarc.news.example.com", "TXT"): "SERVFAIL"},
    )
    d = discover_policy("news.example.com", lookup)
    assert d.dns_errors == (("_dmarc.news.example.com", "SERVFAIL"),)
    assert not d.complete
    assert d.to_json()["dns_errors"] == [{"query": "_dmarc.news.example.com", "error": "SERVFAIL"}]
    assert any("failed" in n for n in d.notes)


def test_invalid_policy_with_rua_acts_as_none() -> None:
    d = discover_policy(
        "example.com", dns(**{"example.com": "v=DMARC1; p=rejct; rua=mailto:d@example.com"})
    )
    assert d.dmarc_applies and d.policy == "none"
    d = discover_policy("example.com", dns(**{"example.com": "v=DMARC1; p=rejct"}))
    assert not d.dmarc_applies and d.policy is None


def test_missing_p_reads_as_none() -> None:
    d = discover_policy("example.com", dns(**{"example.com": "v=DMARC1; rua=mailto:d@example.com"}))
    assert d.dmarc_applies and d.policy == "none"
    assert d.rfc7489.policy == "none"  # RFC 7489 s6.6.3: invalid p with a valid rua


def test_psl_and_tree_walk_disagree_when_org_has_no_record() -> None:
    # reference s1.5: notify.example.com has a record, example.com none.
    d = discover_policy("notify.example.com", dns(**{"notify.example.com": "v=DMARC1; p=reject"}))
    assert d.organizational_domain == "notify.example.com"
    assert d.rfc7489.organizational_domain == "example.com"
    assert any("Publish a DMARC record at _dmarc.example.com" in n for n in d.notes)


def test_co_uk_style_suffix() -> None:
    lookup = dns(**{"example.co.uk": "v=DMARC1; p=reject; sp=quarantine"})
    d = discover_policy("shop.example.co.uk", lookup)
    assert d.organizational_domain == "example.co.uk"
    assert d.rfc7489.organizational_domain == "example.co.uk"  # not "co.uk"
    assert (d.policy_domain, d.policy) == ("example.co.uk", "quarantine")
    assert d.queries == (
        "_dmarc.shop.example.co.uk",
        "_dmarc.example.co.uk",
        "_dmarc.co.uk",
        "_dmarc.uk",
    )


def test_record_at_public_suffix_without_psd_makes_them_disagree() -> None:
    lookup = dns(**{"example.co.uk": "v=DMARC1; p=none", "co.uk": "v=DMARC1; p=reject"})
    d = discover_policy("shop.example.co.uk", lookup)
    assert d.organizational_domain == "co.uk"  # fewest labels wins without psd=y
    assert d.rfc7489.organizational_domain == "example.co.uk"
    assert (d.rfc7489.policy_domain, d.rfc7489.policy) == ("example.co.uk", "none")
    assert (d.policy_domain, d.policy) == ("co.uk", "reject")


def test_rfc7489_path_skips_intermediate_names() -> None:
    lookup = dns(**{"mail.example.com": "v=DMARC1; p=none", "example.com": ORG})
    d = discover_policy("a.mail.example.com", lookup)
    assert d.rfc7489.policy_domain == "example.com" and d.rfc7489.policy == "quarantine"


def test_json_keys() -> None:
    payload = discover_policy("example.com", dns(**{"example.com": ORG})).to_json()
    assert list(payload)[:10] == [
        "author_domain",
        "organizational_domain",
        "policy_domain",
        "policy_record",
        "policy",
        "applied_policy",
        "dmarc_applies",
        "queries",
        "rfc7489",
        "dns_errors",
    ]
    assert set(payload["rfc7489"]) == {"organizational_domain", "policy_domain", "policy"}


def test_each_name_is_queried_once() -> None:
    lookup = dns(**{"example.com": ORG})
    discover_policy("a.example.com", lookup)
    assert len(lookup.queries) == len(set(lookup.queries))


def test_cname_at_dmarc_is_followed() -> None:
    lookup = StaticLookup(
        {
            ("_dmarc.example.com", "CNAME"): ["example.dmarc.vendor.example."],
            ("example.dmarc.vendor.example", "TXT"): [ORG],
        }
    )
    assert discover_policy("example.com", lookup).policy == "reject"

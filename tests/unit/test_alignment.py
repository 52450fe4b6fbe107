"""alignment.py: strict and relaxed identifier alignment with an injected org-domain rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sesdmarc_tui.core.alignment import aligned, relaxed_aligned, strictly_aligned
from sesdmarc_tui.core.names import org_domain_psl

LABEL = st.from_regex(r"\A[a-z][a-z0-9]{0,8}\Z")
ORGS = st.sampled_from(["example.com", "example.co.uk", "user.github.io", "example.org"])
NAME = st.tuples(st.lists(LABEL, max_size=3), ORGS).map(lambda t: ".".join([*t[0], t[1]]))


def last_two_labels(name: str) -> str:
    """A deliberately naive org-domain rule, to show the rule is injected, not built in."""
    return ".".join(name.split(".")[-2:])


@pytest.mark.parametrize(
    ("identifier", "author", "strict", "relaxed"),
    [
        ("example.com", "example.com", True, True),
        ("Example.COM.", "example.com", True, True),
        ("mail.example.com", "example.com", False, True),  # SES custom MAIL FROM
        ("example.com", "news.example.com", False, True),  # Easy DKIM d= parent, From subdomain
        ("a.mail.example.com", "b.news.example.com", False, True),
        ("example.org", "example.com", False, False),
        ("amazonses.com", "example.com", False, False),  # SES default MAIL FROM never aligns
        ("us-east-1.amazonses.com", "example.com", False, False),
        ("example.co.uk", "other.co.uk", False, False),  # PSL: co.uk is a public suffix
        ("mail.example.co.uk", "example.co.uk", False, True),
        ("co.uk", "example.co.uk", False, False),
        ("alice.github.io", "bob.github.io", False, False),  # private PSL entries
        ("www.alice.github.io", "alice.github.io", False, True),
        ("notexample.com", "example.com", False, False),
    ],
)
def test_alignment_with_psl(identifier: str, author: str, strict: bool, relaxed: bool) -> None:
    assert strictly_aligned(identifier, author) is strict
    assert relaxed_aligned(identifier, author, org_domain_psl) is relaxed
    assert aligned(identifier, author, "s", org_domain_psl) is strict
    assert aligned(identifier, author, "r", org_domain_psl) is relaxed


@pytest.mark.parametrize(
    ("identifier", "author"),
    [("", "example.com"), ("example.com", ""), ("", ""), (".", "."), (".", "example.com")],
)
def test_empty_identifiers_never_align(identifier: str, author: str) -> None:
    assert not strictly_aligned(identifier, author)
    assert not relaxed_aligned(identifier, author, org_domain_psl)
    assert not aligned(identifier, author, "r", org_domain_psl)


def test_org_domain_rule_is_injected() -> None:
    # The naive rule says example.co.uk and other.co.uk share "co.uk"; the PSL says they do not.
    assert relaxed_aligned("example.co.uk", "other.co.uk", last_two_labels)
    assert not relaxed_aligned("example.co.uk", "other.co.uk", org_domain_psl)


def test_org_domain_rule_receives_canonical_names() -> None:
    seen: list[str] = []

    def spy(name: str) -> str:
        seen.append(name)
        return last_two_labels(name)

    assert relaxed_aligned("Mail.Example.COM.", "NEWS.example.com", spy)
    assert seen == ["mail.example.com", "news.example.com"]


def test_strict_match_does_not_consult_the_rule() -> None:
    def boom(name: str) -> str:
        raise AssertionError("not needed for identical names")

    assert relaxed_aligned("example.com", "EXAMPLE.com.", boom)


def test_tree_walk_style_rule_can_break_psl_alignment() -> None:
    """RFC 9989: a subdomain with its own record and none at the parent is its own org domain."""
    orgs = {"notify.example.com": "notify.example.com", "example.com": "example.com"}
    assert not relaxed_aligned("example.com", "notify.example.com", lambda n: orgs.get(n, n))
    assert relaxed_aligned("example.com", "notify.example.com", org_domain_psl)


@given(NAME, NAME)
def test_alignment_properties(a: str, b: str) -> None:
    strict = strictly_aligned(a, b)
    relaxed = relaxed_aligned(a, b, org_domain_psl)
    assert strict == strictly_aligned(b, a)
    assert relaxed == relaxed_aligned(b, a, org_domain_psl)
    assert not strict or relaxed
    assert relaxed == (org_domain_psl(a) == org_domain_psl(b))
    assert strictly_aligned(a.upper() + ".", b) == strict
    assert relaxed_aligned(a.upper(), b + ".", org_domain_psl) == relaxed


@given(NAME)
def test_every_name_aligns_with_itself(name: str) -> None:
    assert strictly_aligned(name, name)
    assert relaxed_aligned(name, name, org_domain_psl)
    assert relaxed_aligned(f"sub.{name}", name, org_domain_psl)
    assert not strictly_aligned(f"sub.{name}", name)

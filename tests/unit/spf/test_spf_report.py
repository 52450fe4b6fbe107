"""Human renderers: the facts appear, hostile text is escaped, nothing raises."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.spf import check_spf, explain_term, merge_spf, parse_term
from sesdmarc_tui.core.spf.check import Evaluation
from sesdmarc_tui.report.spf import printable, render_check, render_merge


def _text(renderable: RenderableType) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(renderable)
    return buffer.getvalue()


def test_check_shows_terms_counts_and_verdict() -> None:
    lookup = StaticLookup(
        {
            ("example.com", "TXT"): ["v=spf1 include:amazonses.com ptr -all"],
            ("amazonses.com", "TXT"): ["v=spf1 ip4:199.255.192.0/22 -all"],
        }
    )
    result = check_spf("example.com", lookup).with_evaluation(
        Evaluation("192.0.2.1", "fail", "postmaster@example.com", "example.com")
    )
    text = _text(render_check(result))
    assert "include:amazonses.com" in text
    assert "DNS lookups: 2 of at most 10" in text
    assert "ptr SHOULD NOT" in text
    assert "192.0.2.1" in text and "fail" in text
    assert "Verdict: valid" in text


def test_check_of_two_records_says_what_to_do() -> None:
    lookup = StaticLookup(
        {("example.com", "TXT"): ["v=spf1 -all", "v=spf1 include:x.example ~all"]}
    )
    text = _text(render_check(check_spf("example.com", lookup)))
    assert "Merge them into one" in " ".join(text.split())
    assert "invalid (multiple_spf_records)" in text


def test_hostile_record_text_is_escaped() -> None:
    lookup = StaticLookup({("example.com", "TXT"): ["v=spf1 [bold]x \x1b[31m \u202e \udcff -all"]})
    text = _text(render_check(check_spf("example.com", lookup)))
    assert "\x1b" not in text and "\u202e" not in text
    assert "[bold]x" in text
    assert "\\x1b" in text


def test_merge_shows_record_and_count_kind() -> None:
    text = _text(render_merge(merge_spf(["v=spf1 mx -all"])))
    assert "v=spf1 mx include:amazonses.com -all" in text
    assert "lower bound" in text
    refused = _text(render_merge(merge_spf(["v=spf1 -all", "v=spf1 +all"])))
    assert "Not merged (multiple_spf_records)" in refused


def test_long_merged_record_is_shown_as_strings() -> None:
    existing = "v=spf1 " + " ".join(f"ip4:192.0.2.{i}" for i in range(40)) + " -all"
    text = _text(render_merge(merge_spf([existing])))
    assert "As TXT strings" in text


def test_printable() -> None:
    assert printable("a\x00b\udcffc\u202e") == "a\\x00b\\xffc\\u202e"
    assert printable("x" * 10, 4) == "xxxx... (6 more characters)"


def test_every_term_kind_is_explained() -> None:
    for text in [
        "+all",
        "-all",
        "~all",
        "?all",
        "include:x.example",
        "a",
        "a:x.example/24//64",
        "mx",
        "ptr",
        "exists:%{i}.x.example",
        "ip4:192.0.2.0/24",
        "ip6:2001:db8::1",
        "redirect=x.example",
        "exp=x.example",
        "foo=bar",
        "bogus",
    ]:
        sentence = explain_term(parse_term(text), "example.com")
        assert sentence.endswith("."), (text, sentence)

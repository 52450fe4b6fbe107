"""The rich renderers: content present, hostile values escaped."""

from __future__ import annotations

import io

from rich.console import Console

from sesdmarc_tui.core.dmarc import discover_policy, evaluate_dmarc, lint_dmarc
from sesdmarc_tui.core.dmarc.findings import safe_text, shown
from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.report.dmarc import render_discovery, render_evaluation, render_lint


def render(fn: object, value: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    fn(value, console)  # type: ignore[operator]
    return buffer.getvalue()


def test_lint_rendering_has_verdict_tags_and_advice() -> None:
    out = render(
        render_lint, lint_dmarc("v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:d@example.com")
    )
    assert "Verdict: WARN" in out
    assert "Ladder stage 2 of 5: Test quarantine" in out
    assert "quarantine" in out and "spam" in out
    assert "[t_ignored_by_rfc7489_receivers]" in out


def test_lint_rendering_of_error_and_external() -> None:
    result = lint_dmarc(
        "v=DMARC1; rua=mailto:r@reports.example.net; p=reject", "example.com", StaticLookup()
    )
    out = render(render_lint, result)
    assert "Verdict: ERROR" in out and "RFC 7489: invalid" in out
    assert "example.com._report._dmarc.reports.example.net" in out


def test_hostile_values_cannot_inject_markup_or_escapes() -> None:
    out = render(
        render_lint, lint_dmarc("v=DMARC1; p=none; rua=mailto:[bold]x@x.com,mailto:\x1b[2J@x.com")
    )
    assert "\x1b" not in out
    assert "mailto:[bold]x@x.com" in out
    assert "\\x1b" in out


def test_discovery_and_evaluation_rendering() -> None:
    lookup = StaticLookup(
        {("_dmarc.example.com", "TXT"): ["v=DMARC1; p=reject; t=y; rua=mailto:d@example.com"]}
    )
    out = render(render_discovery, discover_policy("a.example.com", lookup))
    assert "DMARC applies: yes" in out and "_dmarc.a.example.com" in out and "p=reject" in out
    out = render(
        render_evaluation,
        evaluate_dmarc(
            "example.com", "us-east-1.amazonses.com", "pass", [("amazonses.com", "pass")], lookup
        ),
    )
    assert "DMARC: FAIL" in out and "disposition quarantine" in out and "Easy DKIM" in out


def test_shown_and_safe_text() -> None:
    assert shown("abc") == "'abc'"
    assert shown("x" * 100).endswith("(100 characters)")
    assert safe_text("a\x00b\u202ec\udcff") == "a\\x00b\\u202ec\\udcff"
    assert safe_text("exämple") == "exämple"

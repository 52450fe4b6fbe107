"""Human output: every value from the message is shown escaped, never as markup or escapes."""

from __future__ import annotations

import io

from rich.console import Console

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.dns.dkim_verify import check_message
from sesdmarc_tui.report.message import render_message_report
from tests.unit.message._support import BASE, add_header_top, rsa_key, sign


def render(message: bytes) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=160, highlight=False)
    render_message_report(check_message(message, StaticLookup()), console)
    return out.getvalue()


def test_hostile_header_values_are_escaped() -> None:
    hostile = add_header_top(
        BASE,
        b"DKIM-Signature: v=1; a=rsa-sha256; d=[bold]evil[/bold]; s=\x1b[31msel\x07; h=from; "
        b"bh=AA==; b=AA==",
    )
    hostile = add_header_top(hostile, b"Authentication-Results: [blink]mx.evil[/blink]; spf=pass")
    text = render(hostile)
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]evil[/bold]" in text
    assert "\\x1b[31msel\\x07" in text
    assert "[blink]mx.evil[/blink]" in text


def test_normal_report_mentions_the_essentials() -> None:
    text = render(sign(BASE, rsa_key()))
    assert "Verdict:" in text and "DKIM signatures" in text and "example.test" in text
    assert "fix:" in text  # the key is not in the empty lookup


def test_refused_input_renders() -> None:
    text = render(b"")
    assert "ERROR" in text and "cannot be checked" in text

"""The checklist model and its rich rendering: JSON contract, grouping, hostile text."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from sesdmarc_tui.core.checklist import (
    Area,
    CheckItem,
    CheckReport,
    Severity,
    Skipped,
    dedupe_items,
)
from sesdmarc_tui.report.check import render_check

ERR = CheckItem(Area.DMARC, "dmarc_missing", Severity.ERROR, "No DMARC", "why", "Publish it.")
WARN = CheckItem(Area.SPF, "spf_x", Severity.WARNING, "SPF warn", "", "Do this.")
OK = CheckItem(Area.DMARC, "dmarc_published", Severity.OK, "DMARC ok", evidence=("v=DMARC1",))
INFO = CheckItem(Area.SES, "ses_pending", Severity.INFO, "Pending")


def report(*items: CheckItem, skipped: tuple[Skipped, ...] = ()) -> CheckReport:
    return CheckReport("example.com", ("us-east-1",), items, skipped, ("note",))


def test_problem_without_fix_is_refused() -> None:
    with pytest.raises(ValueError, match="without a fix"):
        CheckItem(Area.SPF, "x", Severity.ERROR, "title")
    CheckItem(Area.SPF, "x", Severity.INFO, "no fix needed")


def test_json_contract_and_exit_relevant_summary() -> None:
    skipped = (Skipped(Area.DKIM, "no tokens"),)
    out = json.loads(json.dumps(report(OK, ERR, WARN, INFO, skipped=skipped).to_json()))
    assert set(out) >= {"domain", "regions", "findings", "skipped", "summary"}
    assert out["summary"] == {"errors": 1, "warnings": 1, "info": 1, "ok": 1, "skipped": 1}
    assert set(out["findings"][0]) >= {"area", "id", "severity", "title", "detail", "fix"}
    assert out["skipped"] == [{"area": "dkim", "reason": "no tokens"}]
    assert report(OK, ERR).has_errors and not report(OK, WARN).has_errors
    assert report(OK, INFO).problems == ()


def test_by_area_follows_the_checklist_order_worst_first() -> None:
    grouped = report(OK, WARN, ERR, INFO, skipped=(Skipped(Area.DKIM, "r"),)).by_area()
    assert [area for area, _, _ in grouped] == [Area.SES, Area.DKIM, Area.SPF, Area.DMARC]
    dmarc_items = grouped[-1][1]
    assert [i.severity for i in dmarc_items] == [Severity.ERROR, Severity.OK]


def test_dedupe_keeps_first_of_identical_items() -> None:
    assert dedupe_items([ERR, OK, ERR]) == (ERR, OK)


def _text(r: CheckReport, **kw: bool) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(render_check(r, **kw))
    return console.export_text()


def test_rendering_shows_fix_and_skips() -> None:
    text = _text(report(ERR, OK, skipped=(Skipped(Area.DKIM, "no tokens"),)))
    assert "ERROR No DMARC" in text and "Fix: Publish it." in text
    assert "SKIP  no tokens" in text
    assert "Summary: 1 error(s), 0 warning(s), 0 note(s), 1 passed; 1 check(s) skipped." in text
    assert "v=DMARC1" not in text  # evidence of passed checks only with verbose
    assert "v=DMARC1" in _text(report(ERR, OK), verbose=True)


def test_hostile_dns_text_cannot_inject_markup_or_escapes() -> None:
    hostile = CheckItem(
        Area.DMARC,
        "dmarc_x",
        Severity.ERROR,
        "[bold red]fake[/] \x1b[2J",
        "\u202eevil",
        "Fix [link=x]it[/link].",
        ("\x07bell",),
    )
    console = Console(width=120, record=True, color_system="truecolor")
    console.print(render_check(report(hostile)))
    text = console.export_text(styles=False)
    assert "[bold red]fake[/]" in text and "\\x1b[2J" in text
    assert "\\u202eevil" in text and "\\x07bell" in text
    assert "\x1b[2J" not in console.export_text(styles=True)

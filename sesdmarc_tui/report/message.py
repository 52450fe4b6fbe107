"""Rich rendering of a message check: verdict, DKIM table, receiver's view, DMARC, findings.

Everything taken from the message (domains, selectors, header text) is untrusted: it goes
through ``safe_text`` and into ``Text`` objects, never markup, so a crafted header can neither
inject rich markup nor send terminal escapes.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.core.message.report import Check, MessageReport, ReceiverView

_VERDICT = {
    "ok": ("OK", "green", "DKIM, SPF and DMARC look right."),
    "warn": ("WARN", "yellow", "the message passes, but read the warnings below."),
    "error": ("ERROR", "red", "see the errors below, each with its fix."),
}
_MARK = {
    "pass": ("ok", "green"),
    "info": ("i", "cyan"),
    "warn": ("!", "yellow"),
    "error": ("x", "red"),
}
_RESULT_STYLE = {"pass": "green", "none": "dim", "temperror": "yellow"}


def _t(value: Any, style: str = "") -> Text:
    return Text(safe_text("-" if value is None else str(value)), style=style)


def _flag(value: bool | None) -> Text:
    if value is None:
        return Text("-", "dim")
    return Text("yes", "green") if value else Text("no", "red")


def _result(value: str | None) -> Text:
    return _t(value, _RESULT_STYLE.get(value or "", "red"))


def render_message_report(report: MessageReport, console: Console) -> None:
    label, style, meaning = _VERDICT[report.verdict]
    head = Text("Verdict: ")
    head.append(label, style=f"bold {style}")
    head.append(f" - {meaning}")
    console.print(head)
    if report.message.refused is None:
        line = Text("From domain: ")
        line.append_text(_t(report.from_domain, "bold"))
        line.append("   Return-Path domain: ")
        line.append_text(_t(report.message.return_path_domain, "bold"))
        console.print(line)
        if report.signatures:
            console.print(_signature_table(report))
        if report.receiver is not None:
            console.print(_receiver_line(report.receiver))
        console.print(_dmarc_line(report))
    _findings(console, report.findings)  # assumptions are among them, as info
    _bullets(console, "Notes", report.notes)


def _signature_table(report: MessageReport) -> Table:
    table = Table(title="DKIM signatures (top first, verified here)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("d=", overflow="fold")
    table.add_column("s=", overflow="fold")
    table.add_column("Result")
    table.add_column("Aligned r/s", no_wrap=True)
    table.add_column("Detail", overflow="fold")
    for sig in report.signatures:
        o = sig.outcome
        aligned = _flag(sig.aligned_relaxed)
        aligned.append("/")
        aligned.append_text(_flag(sig.aligned_strict))
        table.add_row(_t(o.index + 1), _t(o.d), _t(o.s), _result(o.result), aligned, _t(o.detail))
    return table


def _receiver_line(view: ReceiverView) -> Text:
    who = view.authserv_id if view.authserv_id is not None else "Microsoft (no authserv-id)"
    line = Text("Receiver ")
    line.append_text(_t(who, "bold"))
    line.append(": ")
    parts: list[Text] = []
    for dkim in view.dkim:
        part = _t(f"dkim={dkim.result} ({dkim.domain or dkim.header_i or '?'})")
        parts.append(part)
    if view.spf is not None:
        parts.append(_t(f"spf={view.spf[1]} ({view.spf[0] or view.spf[2] or '?'})"))
    if view.dmarc is not None:
        parts.append(_t(f"dmarc={view.dmarc[2]} ({view.dmarc[0] or '?'})"))
    line.append_text(Text(", ").join(parts) if parts else Text("no results", "dim"))
    return line


def _dmarc_line(report: MessageReport) -> Text:
    d = report.dmarc
    line = Text("DMARC (our check): ")
    line.append_text(_result(d.ours) if d.ours else Text("not applicable", "red"))
    if d.disposition:
        line.append_text(_t(f", disposition {d.disposition}"))
    if d.policy_domain:
        line.append_text(_t(f" (policy {d.policy} from _dmarc.{d.policy_domain})"))
    if d.receiver:
        line.append("   receiver: ")
        line.append_text(_result(d.receiver))
        if d.receiver_disposition:
            line.append_text(_t(f", disposition {d.receiver_disposition}"))
    if d.org_domain_tree_walk:
        line.append("\nOrganizational domain: ")
        line.append_text(_t(f"{d.org_domain_tree_walk} (tree walk), "))
        line.append_text(_t(f"{d.org_domain_psl} (Public Suffix List)"))
    return line


def _findings(console: Console, checks: tuple[Check, ...]) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for check in checks:
        mark, style = _MARK[check.status]
        text = _t(check.message)
        if check.fix:
            text.append("\n")
            text.append("fix: ", style="bold")
            text.append_text(_t(check.fix))
        grid.add_row(Text(mark, style=f"bold {style}"), _t(check.check, "dim"), text)
    console.print(Text("Checks", style="bold"))
    console.print(grid)


def _bullets(console: Console, title: str, items: tuple[str, ...]) -> None:
    if not items:
        return
    console.print(Text(title, style="bold"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(Text("-"), _t(item))
    console.print(grid)

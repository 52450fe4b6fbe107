"""Rich renderers for the DMARC commands: verdict first, then the details, then what to do.

Every value that came from the operator or from DNS goes through ``safe_text`` and is printed
as a ``Text`` (never as markup), so a hostile record cannot inject markup or terminal escapes.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sesdmarc_tui.core.dmarc.discover import Discovery
from sesdmarc_tui.core.dmarc.evaluate import Evaluation
from sesdmarc_tui.core.dmarc.explain import explain_tag
from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.core.dmarc.ladder import detect_stage
from sesdmarc_tui.core.dmarc.lint import LintResult
from sesdmarc_tui.core.findings import Finding

_VERDICT = {
    "ok": ("OK", "green", "the record is valid and ready to publish."),
    "warn": ("WARN", "yellow", "the record is valid, but read the warnings below."),
    "error": ("ERROR", "red", "the wizard would refuse to publish this record."),
}
_STATUS_STYLE = {"record": "green", "none": "dim", "multiple": "red", "error": "red"}


def _t(value: Any, style: str = "") -> Text:
    return Text(safe_text(str(value)), style=style)


def _yes(flag: bool) -> Text:
    return Text("yes", "green") if flag else Text("no", "red")


def _findings(console: Console, title: str, items: tuple[Finding, ...], style: str) -> None:
    if not items:
        return
    console.print(Text(title, style=f"bold {style}"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for finding in items:
        line = Text(safe_text(finding.message))
        line.append(f" [{finding.kind}]", style="dim")
        grid.add_row(Text("  -", style=style), line)
    console.print(grid)


def render_lint(result: LintResult, console: Console) -> None:
    label, style, meaning = _VERDICT[result.verdict]
    head = Text("Verdict: ")
    head.append(label, style=f"bold {style}")
    head.append(f" - {meaning}")
    console.print(head)
    if result.record.is_dmarc:
        validity = Text("RFC 9989: ")
        validity.append_text(_valid(result.valid))
        validity.append("   RFC 7489: ")
        validity.append_text(_valid(result.valid_rfc7489))
        console.print(validity)
        stage = detect_stage(result.record) if result.verdict != "error" else None
        if stage is not None:
            console.print(
                _t(f"Ladder stage {stage.number} of 5: {stage.title}. {stage.explanation}")
            )
        console.print(_tag_table(result))
    _findings(console, "Errors", result.errors, "red")
    _findings(console, "Warnings", result.warnings, "yellow")
    if result.external:
        console.print(_external_table(result))


def _valid(flag: bool) -> Text:
    return Text("valid", "green") if flag else Text("invalid", "red")


def _tag_table(result: LintResult) -> Table:
    table = Table(title="Tags", title_justify="left", show_lines=False, expand=False)
    table.add_column("Tag", style="bold")
    table.add_column("Value", overflow="fold")
    table.add_column("Meaning", overflow="fold")
    for name, value in (result.record.tags or {}).items():
        shown_value = ",".join(value) if isinstance(value, tuple) else value
        table.add_row(_t(name), _t(shown_value), _t(explain_tag(name, shown_value)))
    return table


def _external_table(result: LintResult) -> Table:
    table = Table(title="Report destinations", title_justify="left")
    table.add_column("URI", overflow="fold")
    table.add_column("Authorized")
    table.add_column("Record the destination must publish", overflow="fold")
    for dest in result.external or ():
        if dest.authorized is None:
            state = _t("not needed" if not dest.needs_authorization else dest.status, "dim")
        else:
            state = _yes(dest.authorized)
        needed = (
            f"{dest.required_record[0]} TXT {dest.required_record[1]}"
            if dest.required_record
            else "-"
        )
        table.add_row(_t(dest.uri), state, _t(needed))
    return table


def render_discovery(d: Discovery, console: Console) -> None:
    head = Text("DMARC applies: ")
    head.append_text(_yes(d.dmarc_applies))
    if d.dmarc_applies:
        head.append(f" - mail From {d.author_domain} that fails DMARC gets ")
        head.append(f"{d.applied_policy}={d.policy}", style="bold")
        head.append(f" from the record at _dmarc.{d.policy_domain}.")
    console.print(head)
    console.print(_t(f"Organizational domain (RFC 9989 tree walk): {d.organizational_domain}"))
    if d.policy_record is not None:
        console.print(_t(f"Policy record: {d.policy_record}"))
    r = d.rfc7489
    console.print(
        _t(
            f"RFC 7489 receivers (Public Suffix List): organizational domain "
            f"{r.organizational_domain}, policy "
            + (f"{r.policy} from _dmarc.{r.policy_domain}" if r.policy else "none found")
        )
    )
    table = Table(title="Queries, in order", title_justify="left")
    table.add_column("Name", overflow="fold")
    table.add_column("Result")
    table.add_column("Record", overflow="fold")
    for step in d.asked:
        detail = step.error or " | ".join(step.records) or "-"
        table.add_row(_t(step.query), _t(step.status, _STATUS_STYLE[step.status]), _t(detail))
    console.print(table)
    _notes(console, d.notes)


def render_evaluation(e: Evaluation, console: Console) -> None:
    style = {"pass": "green", "fail": "red", "none": "yellow", "temperror": "red"}[e.dmarc]
    head = Text("DMARC: ")
    head.append(e.dmarc.upper(), style=f"bold {style}")
    if e.disposition is not None:
        head.append(f" - disposition {e.disposition}")
    if e.policy_domain:
        head.append(f" (policy from _dmarc.{e.policy_domain}: {e.discovery.applied_policy}=")
        head.append(f"{e.discovery.policy}{', test mode t=y' if e.testing else ''})")
    console.print(head)
    table = Table(title="Authenticated identifiers", title_justify="left")
    table.add_column("Check")
    table.add_column("Domain", overflow="fold")
    table.add_column("Result")
    table.add_column("Aligned")
    for sig in e.signatures:
        table.add_row(
            _t(f"DKIM (adkim={e.adkim or 'r'})"), _t(sig.domain), _t(sig.result), _yes(sig.aligned)
        )
    table.add_row(
        _t(f"SPF (aspf={e.aspf or 'r'})"), _t(e.mail_from), _t(e.spf_result), _yes(e.spf_aligned)
    )
    console.print(table)
    _notes(console, e.notes)


def _notes(console: Console, notes: tuple[str, ...]) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for note in notes:
        grid.add_row(Text("-"), _t(note))
    if notes:
        console.print(grid)

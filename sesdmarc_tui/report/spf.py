"""Human output for ``spf check`` and ``spf merge``: rich renderables, no printing here.

Everything shown may come from DNS or the command line, so it goes through ``printable``
(control characters, bidi overrides and undecodable bytes are shown as escapes) and into
``rich.text.Text`` objects, never into markup strings.
"""

from __future__ import annotations

import unicodedata

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from sesdmarc_tui.core.findings import Finding
from sesdmarc_tui.core.spf.check import SpfCheck
from sesdmarc_tui.core.spf.count import LookupNode
from sesdmarc_tui.core.spf.explain import explain_term
from sesdmarc_tui.core.spf.findings import DNS_LOOKUP_LIMIT, VOID_LOOKUP_LIMIT
from sesdmarc_tui.core.spf.merge import MergeResult
from sesdmarc_tui.core.spf.parse import parse_spf

MAX_SHOWN_CHARS = 600
MAX_SHOWN_TERMS = 40


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe for any terminal and encoding; cut to ``limit`` characters if given."""
    shown = text if limit is None or len(text) <= limit else text[:limit]
    out = []
    for char in shown:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    if shown is not text:
        out.append(f"... ({len(text) - len(shown)} more characters)")
    return "".join(out)


def _findings(
    title: str, items: tuple[Finding, ...], mark: str, style: str
) -> list[RenderableType]:
    if not items:
        return []
    table = Table.grid(padding=(0, 1))
    table.add_column(width=3, justify="right")
    table.add_column()
    for item in items:
        table.add_row(Text(mark, style=style), Text(printable(item.message, 2000)))
    return [Text(title, style="bold"), table]


def _terms_table(record_text: str, domain: str | None) -> Table:
    record = parse_spf(record_text)
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=False, max_width=38)
    table.add_column()
    unreachable = set(record.terms_after_all)
    for term in record.terms[:MAX_SHOWN_TERMS]:
        style = "red" if term.error else ("dim" if term in unreachable else "")
        sentence = explain_term(term, domain)
        if term in unreachable and term.valid:
            sentence += " Never evaluated: it comes after the all term."
        table.add_row(Text(printable(term.text, 120), style=style), Text(printable(sentence)))
    if len(record.terms) > MAX_SHOWN_TERMS:
        table.add_row(Text(f"... {len(record.terms) - MAX_SHOWN_TERMS} more terms"), Text(""))
    return table


def _tree(node: LookupNode, label: str) -> Tree:
    tree = Tree(Text(label))

    def add(parent: Tree, child: LookupNode) -> None:
        text = f"{child.via} -> {child.lookups} lookup(s)"
        if child.error:
            text += f" [{child.error}]"
        branch = parent.add(Text(printable(text, 200), style="red" if child.error else ""))
        for grandchild in child.children:
            add(branch, grandchild)

    for child in node.children:
        add(tree, child)
    return tree


def render_check(check: SpfCheck) -> RenderableType:
    parts: list[RenderableType] = [Text(f"SPF for {check.domain}", style="bold")]
    if not check.records:
        parts.append(Text("No SPF record found."))
    for index, record in enumerate(check.records, 1):
        label = f"Record {index}: " if len(check.records) > 1 else "Record: "
        parts.append(Text.assemble((label, "bold"), printable(record, MAX_SHOWN_CHARS)))
        if len(check.records) == 1:
            parts.append(_terms_table(record, check.domain))
    if check.count.tree.children:
        parts.append(_tree(check.count.tree, f"Includes followed from {check.domain}:"))
    over = check.dns_lookups > DNS_LOOKUP_LIMIT
    parts.append(
        Text.assemble(
            ("DNS lookups: ", "bold"),
            (f"{check.dns_lookups}", "red" if over else "green"),
            f" of at most {DNS_LOOKUP_LIMIT} (counted through includes and redirects)",
        )
    )
    voids_over = check.void_lookups > VOID_LOOKUP_LIMIT
    parts.append(
        Text.assemble(
            ("Void lookups: ", "bold"),
            (f"{check.void_lookups}", "red" if voids_over else "green"),
            f" of at most {VOID_LOOKUP_LIMIT} (names that do not exist or have no records)",
        )
    )
    parts += _findings("Errors:", check.errors, "x", "red")
    parts += _findings("Warnings:", check.warnings, "!", "yellow")
    if check.evaluation is not None:
        ev = check.evaluation
        parts.append(
            Text.assemble(
                ("Evaluation: ", "bold"),
                f"{ev.ip} sending as {printable(ev.sender, 200)} (HELO {printable(ev.helo, 200)}) "
                "-> ",
                (ev.result, "green" if ev.result == "pass" else "yellow"),
                f" ({printable(ev.explanation, 300)})" if ev.explanation else "",
            )
        )
    verdict = (
        Text("Verdict: valid", style="bold green")
        if check.valid
        else Text(f"Verdict: invalid ({check.error_kind})", style="bold red")
    )
    parts.append(verdict)
    return Group(*parts)


def render_merge(result: MergeResult) -> RenderableType:
    parts: list[RenderableType] = []
    for record in result.existing:
        parts.append(Text.assemble(("Existing: ", "bold"), printable(record, MAX_SHOWN_CHARS)))
    if result.record is not None:
        label = "New record: " if result.changed else "Record (unchanged): "
        parts.append(Text.assemble((label, "bold"), result.record))
        strings = result.strings
        if len(strings) > 1:
            quoted = " ".join(f'"{s}"' for s in strings)
            parts.append(Text.assemble(("As TXT strings: ", "bold"), quoted))
    parts.append(Text(printable(result.message, 2000), style="red" if result.error_kind else ""))
    how = "counted through DNS" if result.recursive else "counted in the record only, a lower bound"
    if result.error_kind is None or result.dns_lookups:
        parts.append(
            Text.assemble(
                ("DNS lookups: ", "bold"),
                f"{result.dns_lookups} of at most {DNS_LOOKUP_LIMIT} ({how})",
            )
        )
    parts += _findings("Notes:", result.notes, "!", "yellow")
    if result.error_kind is not None:
        parts.append(Text(f"Not merged ({result.error_kind}).", style="bold red"))
    return Group(*parts)

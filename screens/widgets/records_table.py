"""The DNS records a step wants published: copy one, copy all, or show the zone snippet.

Copy one gives the host relative to the zone, tab-separated (what a DNS host's form wants);
copy all and the snippet give zone-file lines with absolute names, which mean the same
wherever they are pasted. The rendering is ``core.render``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from sesdmarc_tui.core.records import DnsRecord


def zone_snippet(records: Sequence[DnsRecord], zone: str | None) -> str:
    from sesdmarc_tui.core.render import to_zone_lines

    try:
        return "\n".join(to_zone_lines(records, origin=zone)) + "\n"
    except ValueError:
        # A record outside the zone still deserves a snippet: absolute names need no origin.
        return "\n".join(to_zone_lines(records)) + "\n"


def one_record_text(record: DnsRecord, zone: str | None) -> str:
    from sesdmarc_tui.core.render import copy_text

    try:
        return copy_text(record, zone or record.name)
    except ValueError:
        return zone_snippet([record], None)


def host_of(record: DnsRecord, zone: str | None) -> str:
    """The name as DNS hosts' forms want it: relative to the zone, ``@`` at the apex."""
    if zone and record.name == zone:
        return "@"
    if zone and record.name.endswith("." + zone):
        return record.name[: -len(zone) - 1]
    return record.name


class RecordsTable(Vertical):
    """``c`` or ctrl+y copies the row under the cursor, ``a`` all, ``z`` shows the snippet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_one", "Copy record", id="records.copy_one"),
        Binding("a", "copy_all", "Copy all", id="records.copy_all"),
        Binding("z", "toggle_zone", "Zone snippet", id="records.zone"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, classes="records")
        self.records: tuple[DnsRecord, ...] = ()
        self.zone: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="records-title", classes="section-title")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="records-grid")
        table.add_column("Host", key="name")
        table.add_column("Type", key="type")
        table.add_column("Value", key="value")
        table.add_column("TTL", key="ttl")
        yield table
        yield Static(
            Text("c copy record · a copy all · z zone snippet", style="dim"), classes="hint-line"
        )
        yield Static(id="zone-snippet", classes="snippet")

    def on_mount(self) -> None:
        self.query_one("#zone-snippet").display = False

    def show(self, records: Sequence[DnsRecord], zone: str | None) -> None:
        self.records = tuple(records)
        self.zone = zone
        table = self.query_one("#records-grid", DataTable)
        table.clear()
        for index, record in enumerate(self.records):
            table.add_row(
                Text(host_of(record, zone)),
                Text(record.rtype),
                Text("\n".join(record.values)),
                Text(str(record.ttl)),
                key=str(index),
                height=None,
            )
        self.query_one("#zone-snippet", Static).update(Text(zone_snippet(self.records, zone)))
        where = f" (hosts in the zone {zone})" if zone else ""
        self.query_one("#records-title", Static).update(
            Text.assemble(("Records to publish", "bold"), where)
        )

    @property
    def selected(self) -> DnsRecord | None:
        table = self.query_one("#records-grid", DataTable)
        if not self.records or table.cursor_row < 0:
            return None
        return self.records[min(table.cursor_row, len(self.records) - 1)]

    def copy_payload(self) -> tuple[str, str] | None:
        record = self.selected
        if record is None:
            return None
        return one_record_text(record, self.zone), f"the {record.rtype} record {record.name}"

    def action_copy_one(self) -> None:
        from screens.copy import copy_text

        payload = self.copy_payload()
        if payload is not None:
            copy_text(self.app, *payload)

    def action_copy_all(self) -> None:
        from screens.copy import copy_text

        if self.records:
            copy_text(self.app, zone_snippet(self.records, self.zone), "all records (zone file)")

    def action_toggle_zone(self) -> None:
        snippet = self.query_one("#zone-snippet")
        snippet.display = not snippet.display

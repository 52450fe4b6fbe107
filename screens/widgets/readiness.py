"""The readiness verdict of the last reports reading, for the DMARC step and the Summary.

One short block next to the ladder: the verdict for the next stage with its evidence, when
and from where the reports were read, or an invitation to read them. A click opens Reports.
The verdict is a small local file written by the last reading, read when the panel mounts.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.flow.reports.reading import SavedVerdict, last_verdict

WORDS = {
    "ready": ("READY", "bold green"),
    "not_ready": ("NOT READY", "bold yellow"),
    "no_data": ("NO DATA", "bold magenta"),
    "final": ("LAST STAGE", "bold cyan"),
}


def verdict_text(found: SavedVerdict | None) -> Text:
    if found is None:
        return Text.assemble(
            ("Reports: ", "bold"),
            (
                "none read yet. Click here, or choose Reports in the palette (ctrl+p), to see "
                "whether the aggregate reports support the next stage.",
                "dim",
            ),
        )
    word, style = WORDS.get(found.verdict, (found.verdict.upper(), "bold"))
    text = Text.assemble(("Reports: ", "bold"), (word + " ", style), safe_text(found.summary))
    for label, passed, detail in found.evidence:
        text.append("\n  ")
        text.append("✓ " if passed else "✗ ", style="green" if passed else "red")
        text.append(f"{safe_text(label)}: ", style="bold")
        text.append(safe_text(detail))
    text.append(f"\n  Read {found.read_at[:16].replace('T', ' ')} UTC from ", style="dim")
    text.append(safe_text(found.source or "?"), style="dim")
    return text


class ReadinessPanel(Static):
    DEFAULT_CSS = """
    ReadinessPanel {
        height: auto;
        margin-bottom: 1;
    }
    ReadinessPanel:hover {
        background: $boost;
    }
    """

    def __init__(self, state_dir: Path, domain: str | None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.state_dir = state_dir
        self.domain = domain

    def on_mount(self) -> None:
        self.show_verdict()

    def show_verdict(self) -> None:
        """Read the saved verdict again (a small local file) and show it."""
        self.update(verdict_text(last_verdict(self.state_dir, self.domain)))

    def on_click(self) -> None:
        action = getattr(self.app, "action_reports", None)
        if callable(action):
            action()

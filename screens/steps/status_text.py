"""The step's live status as one block: a glyph, the engine's message, and its fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from textual.widget import Widget

    from sesdmarc_tui.flow.model import StepStatus

GLYPHS = {"done": "✓", "current": "◔", "todo": "·", "attention": "!"}
WORDS = {"done": "Done", "current": "In progress", "todo": "To do", "attention": "Needs you"}


def status_text(widget: Widget, status: StepStatus) -> Text:
    theme = widget.app.current_theme
    colour = {
        "done": theme.success,
        "current": theme.primary,
        "attention": theme.error,
    }.get(status.kind)
    style = f"bold {colour}" if colour else "bold"
    text = Text.assemble(
        (f"{GLYPHS.get(status.kind, '·')} {WORDS.get(status.kind, status.kind)}: ", style),
        status.message,
    )
    if status.remedy:
        text.append("\nFix: ", style="bold")
        text.append(status.remedy)
    return text

"""Readable errors: what failed and how to fix it, for any exception a worker can raise.

The engine raises ``FlowError`` and the adapters ``AwsError``, both with ``message`` and
``remedy``; core validation errors carry a ``hint``. Anything else is a bug, shown with its
type so it can be reported, never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


@dataclass(frozen=True)
class ErrorInfo:
    title: str
    message: str
    remedy: str = ""

    def as_text(self) -> str:
        remedy = f"\nFix: {self.remedy}" if self.remedy else ""
        return f"{self.title}\n{self.message}{remedy}\n"

    def inline(self) -> Text:
        """One block for a status line: the message, then the fix."""
        text = Text(self.message, style="bold")
        if self.remedy:
            text.append("\nFix: ", style="bold")
            text.append(self.remedy)
        return text


def describe_error(exc: BaseException, doing: str = "") -> ErrorInfo:
    """Title, message and remedy for ``exc``; ``doing`` says what was being done."""
    message = str(getattr(exc, "message", "") or "").strip()
    remedy = str(getattr(exc, "remedy", "") or getattr(exc, "hint", "") or "").strip()
    kind = getattr(exc, "kind", None)
    title = f"Could not {doing}" if doing else "Something went wrong"
    if not message:
        if isinstance(exc, OSError):
            message = f"{exc.strerror or exc} ({getattr(exc, 'filename', '') or 'no file'})"
            remedy = remedy or "Check the path and its permissions."
        else:
            message = f"Unexpected error: {type(exc).__name__}: {exc}"
            remedy = remedy or "Report this with the audit log; nothing else was changed."
    if kind in ("cancelled",):
        title = "Cancelled"
    return ErrorInfo(title, message, remedy)


class ErrorScreen(ModalScreen[None]):
    """The error with its fix; ``c`` copies it, escape, q or enter close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_screen", "Close", id="error.close"),
        Binding("enter", "dismiss_screen", "Close", show=False),
        Binding("q", "dismiss_screen", "Close", show=False),
        Binding("c", "copy_error", "Copy", id="error.copy"),
    ]

    def __init__(self, info: ErrorInfo) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(id="error-dialog", classes="dialog"):
            yield Static(Text(self.info.title, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Text(self.info.message), id="error-message")
                if self.info.remedy:
                    yield Static(Text.assemble(("Fix: ", "bold"), self.info.remedy), id="error-fix")
        yield Footer(show_command_palette=False)

    def action_copy_error(self) -> None:
        from screens.copy import copy_text

        copy_text(self.app, self.info.as_text(), "the error")

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

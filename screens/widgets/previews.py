"""A plan's previews (a policy, a record diff, a zone snippet), each folded, each copyable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Button, Collapsible, Static

if TYPE_CHECKING:
    from sesdmarc_tui.flow.model import Preview


class PreviewList(Vertical):
    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's own name)
        super().__init__(id=id, classes="previews")
        self.previews: tuple[Preview, ...] = ()

    def show(self, previews: Sequence[Preview]) -> None:
        if tuple(previews) == self.previews:
            return  # keep what the operator unfolded
        self.previews = tuple(previews)
        self.remove_children()
        self.display = bool(self.previews)
        self.mount_all(self._blocks())

    def _blocks(self) -> list[Collapsible]:
        blocks = []
        for index, preview in enumerate(self.previews):
            body: list[Static | Button] = [
                Button("Copy", id=f"copy-preview-{index}", compact=True, classes="copy-preview"),
                Static(Text(preview.text.rstrip("\n")), classes="preview-text"),
            ]
            blocks.append(Collapsible(*body, title=escape(preview.title), collapsed=True))
        return blocks

    def compose(self) -> ComposeResult:
        yield from ()

    @on(Button.Pressed, ".copy-preview")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.copy import copy_text

        index = int((event.button.id or "copy-preview-0").rsplit("-", 1)[1])
        preview = self.previews[index]
        copy_text(self.app, preview.text, preview.title)

"""The baseline for the start-up benchmark: the smallest Textual app that shows a screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world")
        yield Footer()


if __name__ == "__main__":
    Hello().run()

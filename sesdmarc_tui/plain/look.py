"""The line mode's consoles and prompt style, both plain when ``NO_COLOR`` is set.

rich reads ``NO_COLOR`` by itself; prompt_toolkit does too for its colour depth, and the
questionary style below drops its colours as well, so nothing is coloured either way
(https://no-color.org). Bold and reverse stay: they carry no colour.
"""

from __future__ import annotations

import os

from prompt_toolkit.styles import Style
from rich.console import Console

COLOURED = [
    ("qmark", "fg:ansicyan bold"),
    ("question", "bold"),
    ("answer", "fg:ansigreen bold"),
    ("pointer", "fg:ansicyan bold"),
    ("highlighted", "fg:ansicyan bold"),
    ("selected", "fg:ansigreen"),
    ("instruction", "fg:ansibrightblack"),
    ("validation-toolbar", "bg:ansired fg:ansiwhite"),
]
PLAIN = [
    ("qmark", "bold"),
    ("question", "bold"),
    ("answer", "bold"),
    ("pointer", "bold"),
    ("highlighted", "reverse"),
    ("selected", "bold"),
    ("instruction", ""),
    ("validation-toolbar", "reverse"),
]


def no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def prompt_style() -> Style:
    return Style(PLAIN if no_color() else COLOURED)


def make_console(*, stderr: bool = False) -> Console:
    """Human output; ``highlight=False`` so values are never recoloured as numbers or URLs."""
    return Console(highlight=False, stderr=stderr, no_color=no_color() or None)

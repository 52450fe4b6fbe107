"""Driving questionary through prompt_toolkit's pipe input (test-infra.md s6, variant B).

The keys are all sent up front and the pipe is then closed: prompt_toolkit keeps what one
prompt did not use for the next (typeahead), and a prompt that finds the keys used up gets
``EOFError``, as it would at the end of a real stdin.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TypeVar

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

T = TypeVar("T")
ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CLEAR = "\x15"  # Ctrl-U: clears a pre-filled text answer (the cursor is at its end)


def answered(keys: Sequence[str], run: Callable[[], T]) -> T:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        return run()


def flat(text: str) -> str:
    """``text`` with every run of whitespace as one space (rich wraps long lines)."""
    return " ".join(text.split())


def recording_console(width: int = 120) -> tuple[Console, io.StringIO]:
    """A console that keeps what the line mode prints, without colour codes."""
    buffer = io.StringIO()
    return Console(file=buffer, width=width, highlight=False, color_system=None), buffer

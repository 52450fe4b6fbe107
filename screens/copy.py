"""Copying values: OSC 52 through the terminal, plus a fallback that always works.

``App.copy_to_clipboard`` writes OSC 52 and nothing else; several terminals drop it silently
(macOS Terminal, Windows conhost, tmux without ``set-clipboard``), and nothing tells us. So
every copy is also written to a file (0600) in the user's data directory, the notification
says where, and where OSC 52 is known not to work the text opens in a modal to select by hand.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.app import App

CLIPBOARD_FILE = "clipboard.txt"
# Terminals known to ignore OSC 52 (Textual's own docstring names macOS Terminal).
NO_OSC52_PROGRAMS = frozenset({"Apple_Terminal"})


def osc52_unreliable() -> bool:
    """True where OSC 52 is known not to arrive, or the operator asked for the modal."""
    if os.environ.get("SESDMARC_CLIPBOARD", "").lower() == "show":
        return True
    return os.environ.get("TERM_PROGRAM", "") in NO_OSC52_PROGRAMS


def data_dir(app: App[Any]) -> Path:
    """Where copies and exports go: the wizard's data dir, else platformdirs' default."""
    found = getattr(app, "data_dir", None)
    if isinstance(found, Path):
        return found
    import platformdirs

    return Path(platformdirs.user_data_dir("sesdmarc", appauthor=False))


def save_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by the owner only (copied values can be policies)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def copy_text(app: App[Any], text: str, what: str) -> Path | None:
    """Copy ``text`` (OSC 52), keep it in a file, say so; ``what`` names it in the message."""
    app.copy_to_clipboard(text)
    app.last_copied = text  # type: ignore[attr-defined]
    saved: Path | None
    try:
        saved = save_private(data_dir(app) / CLIPBOARD_FILE, text)
    except OSError:
        saved = None
    where = f" Also saved to {saved}." if saved else ""
    app.notify(f"Copied {what}.{where}", title="Copied", markup=False, timeout=4)
    if osc52_unreliable():
        from screens.widgets.copied_screen import CopiedScreen

        app.push_screen(CopiedScreen(text, saved))
    return saved

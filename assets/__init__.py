"""Data files shipped with the wheel: stylesheets, per-step help, sandbox seed data."""

from __future__ import annotations

from pathlib import Path

# pip installs the wheel unpacked, so the files sit next to this module; a plain Path avoids
# importing importlib.resources (and zipfile) before the first frame.
_HERE = Path(__file__).resolve().parent


def asset(*parts: str) -> Path:
    """A file inside the installed ``assets`` package (works from a wheel or a checkout)."""
    return _HERE.joinpath(*parts)

"""Data files shipped with the wheel: stylesheets, per-step help, sandbox seed data."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def asset(*parts: str) -> Traversable:
    """A file inside the installed ``assets`` package (works from a wheel or a checkout)."""
    node: Traversable = files(__name__)
    for part in parts:
        node = node / part
    return node

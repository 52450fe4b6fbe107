"""Troubleshooting: ``sesdmarc check`` and the wizard's Troubleshoot entry.

``run_check`` reads SES and DNS without changing anything and returns a
``core.checklist.CheckReport``. ``inspect`` orchestrates the I/O; each module of ``areas``
turns what one area's inspection found into checklist items with their fixes.
"""

from __future__ import annotations

from sesdmarc_tui.core.checklist import Area, CheckItem, CheckReport, Severity, Skipped
from sesdmarc_tui.troubleshoot.inspect import run_check
from sesdmarc_tui.troubleshoot.ses_reader import SesReader, SessionFactory

__all__ = [
    "Area",
    "CheckItem",
    "CheckReport",
    "SesReader",
    "SessionFactory",
    "Severity",
    "Skipped",
    "run_check",
]

"""``sesdmarc cleanup``: the reverse of the setup, limited to what sesdmarc itself created.

``find_session`` and ``plan_cleanup`` read (SES, DNS, the session file) and change nothing;
``apply_cleanup`` deletes, audits and updates the session. Front ends (the CLI command, a
Summary entry of the wizard) show the plan, ask for confirmation, then apply it.
"""

from __future__ import annotations

from sesdmarc_tui.flow.cleanup.apply import apply_cleanup
from sesdmarc_tui.flow.cleanup.model import CleanupPlan, CleanupReport, CleanupRequest, Session
from sesdmarc_tui.flow.cleanup.plan import find_session, plan_cleanup

__all__ = [
    "CleanupPlan",
    "CleanupReport",
    "CleanupRequest",
    "Session",
    "apply_cleanup",
    "find_session",
    "plan_cleanup",
]

"""Step 3, DKIM and verification: the identity, its three CNAMEs, the board, SES status polled."""

from __future__ import annotations

from screens.steps.records import RecordsStepScreen


class DkimScreen(RecordsStepScreen):
    step_id = "dkim"

"""Step 5, DMARC: the record diffed tag by tag before publishing, and the board."""

from __future__ import annotations

from screens.steps.records import RecordsStepScreen


class DmarcScreen(RecordsStepScreen):
    step_id = "dmarc"

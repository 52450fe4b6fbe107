"""Step 5, DMARC: the record diffed tag by tag before publishing, and the board.

The readiness verdict of the last reports reading sits under the current record, next to the
stage the operator picks (the ladder).
"""

from __future__ import annotations

from textual.app import ComposeResult

from screens.steps.records import RecordsStepScreen
from screens.widgets.readiness import ReadinessPanel


class DmarcScreen(RecordsStepScreen):
    step_id = "dmarc"

    def compose_records(self) -> ComposeResult:
        state = self.wizard.state
        yield ReadinessPanel(self.wizard.ctx.state_dir, state.domain, id="readiness")
        yield from super().compose_records()

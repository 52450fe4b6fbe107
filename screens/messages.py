"""Messages that thread workers post to their screen; the screen's handlers own the widgets.

Workers never touch widgets (Textual's thread rule): each worker ends by posting one of these,
and ``post_message`` is thread-safe. The payloads are the flow engine's own data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from sesdmarc_tui.core.checklist import CheckReport
    from sesdmarc_tui.core.message import MessageReport
    from sesdmarc_tui.core.reports.analysis import Analysis
    from sesdmarc_tui.flow.model import (
        ApplyReport,
        Choice,
        Field,
        InputError,
        Inspection,
        Plan,
        StepStatus,
    )


class FieldsLoaded(Message):
    """The step's fields with their defaults and options; ``check`` asks for an inspection."""

    def __init__(
        self,
        fields: list[Field],
        options: Mapping[str, tuple[Choice, ...]],
        status: StepStatus,
        *,
        check: bool,
        option_errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.fields = fields
        self.options = dict(options)
        self.status = status
        self.check = check
        self.option_errors = dict(option_errors or {})


class InputsRefused(Message):
    def __init__(self, errors: Mapping[str, InputError]) -> None:
        super().__init__()
        self.errors = dict(errors)


class Checked(Message):
    """An inspection and the plan made from it, with the live status after both."""

    def __init__(self, inspection: Inspection, plan: Plan, status: StepStatus) -> None:
        super().__init__()
        self.inspection = inspection
        self.plan = plan
        self.status = status


class ApplyProgress(Message):
    """One line of progress from ``apply``; only the newest matters when they pile up."""

    def __init__(self, text: str, fraction: float | None) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ApplyProgress)


class Applied(Message):
    def __init__(
        self, report: ApplyReport, inspection: Inspection, plan: Plan, status: StepStatus
    ) -> None:
        super().__init__()
        self.report = report
        self.inspection = inspection
        self.plan = plan
        self.status = status


class StatusChecked(Message):
    def __init__(self, status: StepStatus) -> None:
        super().__init__()
        self.status = status


class Verified(Message):
    """The Test email step checked a received message."""

    def __init__(self, report: MessageReport, status: StepStatus) -> None:
        super().__init__()
        self.report = report
        self.status = status


class CheckFinished(Message):
    """Troubleshoot ran every inspection."""

    def __init__(self, report: CheckReport) -> None:
        super().__init__()
        self.report = report


class StatusesRefreshed(Message):
    """Every step's live status, for the sidebar."""

    def __init__(self, statuses: Mapping[str, StepStatus]) -> None:
        super().__init__()
        self.statuses = dict(statuses)


class ShowStep(Message):
    """Go to a step (posted by the resume worker)."""

    def __init__(self, step_id: str) -> None:
        super().__init__()
        self.step_id = step_id


class ReportsLoaded(Message):
    """The Reports screen read and judged the aggregate reports."""

    def __init__(self, analysis: Analysis, description: str) -> None:
        super().__init__()
        self.analysis = analysis
        self.description = description

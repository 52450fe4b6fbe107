"""The eight wizard steps, in order. Each is described once here and rendered by every front end."""

from __future__ import annotations

from sesdmarc_tui.flow.steps.accounts import AccountsStep
from sesdmarc_tui.flow.steps.authorization import AuthorizationStep
from sesdmarc_tui.flow.steps.base import Step
from sesdmarc_tui.flow.steps.dkim import DkimStep
from sesdmarc_tui.flow.steps.dmarc import DmarcStep
from sesdmarc_tui.flow.steps.domain import DomainStep
from sesdmarc_tui.flow.steps.mail_from import MailFromStep
from sesdmarc_tui.flow.steps.summary import SummaryStep
from sesdmarc_tui.flow.steps.test_email import TestEmailStep

__all__ = [
    "AccountsStep",
    "AuthorizationStep",
    "DkimStep",
    "DmarcStep",
    "DomainStep",
    "MailFromStep",
    "Step",
    "SummaryStep",
    "TestEmailStep",
    "default_steps",
]


def default_steps() -> tuple[Step, ...]:
    """Accounts, Domain, DKIM, MAIL FROM, DMARC, Authorization, Test email, Summary."""
    work: tuple[Step, ...] = (
        AccountsStep(),
        DomainStep(),
        DkimStep(),
        MailFromStep(),
        DmarcStep(),
        AuthorizationStep(),
        TestEmailStep(),
    )
    return (*work, SummaryStep(work))

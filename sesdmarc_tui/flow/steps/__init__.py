"""The wizard steps, in order. Each is described once here and rendered by every front end.

The optional Reports inbox (``flow.reports.setup``) sits after MAIL FROM and before DMARC:
SES receives mail only for a domain verified in the receiving region (DKIM has done that by
then), and the DMARC step proposes the ``rua`` of the address it set up.
"""

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
    """Accounts, Domain, DKIM, MAIL FROM, Reports inbox (optional), DMARC, Authorization,
    Test email, Summary."""
    # Imported here: flow.reports imports flow.steps.base, so a module-level import would make
    # ``import sesdmarc_tui.flow.reports.setup`` (first) a circular import.
    from sesdmarc_tui.flow.reports.setup import ReportsCollectionStep

    work: tuple[Step, ...] = (
        AccountsStep(),
        DomainStep(),
        DkimStep(),
        MailFromStep(),
        ReportsCollectionStep(),
        DmarcStep(),
        AuthorizationStep(),
        TestEmailStep(),
    )
    return (*work, SummaryStep(work))

"""One screen per wizard step, imported only when first shown (start-up stays light)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.steps.base import StepScreen

SCREENS: dict[str, str] = {
    "accounts": "screens.steps.accounts:AccountsScreen",
    "domain": "screens.steps.domain:DomainScreen",
    "dkim": "screens.steps.dkim:DkimScreen",
    "mail_from": "screens.steps.mail_from:MailFromScreen",
    "reports": "screens.steps.reports_collection:ReportsCollectionScreen",
    "dmarc": "screens.steps.dmarc:DmarcScreen",
    "authorization": "screens.steps.authorization:AuthorizationScreen",
    "test_email": "screens.steps.test_email:TestEmailScreen",
    "summary": "screens.steps.summary:SummaryScreen",
}


def screen_for(step_id: str) -> StepScreen:
    """A fresh screen for the step; a step without its own module gets the plain layout."""
    spec = SCREENS.get(step_id)
    if spec is None:
        from screens.steps.base import StepScreen

        plain: type[StepScreen] = type(f"{step_id.title()}Screen", (StepScreen,), {})
        plain.step_id = step_id
        return plain()
    module, _, name = spec.partition(":")
    cls: type[StepScreen] = getattr(import_module(module), name)
    return cls()

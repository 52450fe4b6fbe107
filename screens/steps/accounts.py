"""Step 1, Accounts: the owner's profile and region, caller identity, SES account, organization."""

from __future__ import annotations

from screens.steps.base import StepScreen


class AccountsScreen(StepScreen):
    step_id = "accounts"

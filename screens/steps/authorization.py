"""Step 6, Authorization: who may send as the domain.

The scope fields come from the step (organization, OUs or accounts); the identity policy JSON
and the delegate role's IAM policy arrive as the plan's previews, copyable, and the plan says
whether the policy is created, updated or already in place.
"""

from __future__ import annotations

from screens.steps.base import StepScreen


class AuthorizationScreen(StepScreen):
    step_id = "authorization"

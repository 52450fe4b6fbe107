"""Step 2, Domain: the domain (validated inline), existing identity and zone, DNS provider."""

from __future__ import annotations

from screens.steps.base import StepScreen


class DomainScreen(StepScreen):
    step_id = "domain"

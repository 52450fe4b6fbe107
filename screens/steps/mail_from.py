"""Step 4, MAIL FROM: the subdomain, its MX and SPF records, the board, SES status polled."""

from __future__ import annotations

from screens.steps.records import RecordsStepScreen


class MailFromScreen(RecordsStepScreen):
    step_id = "mail_from"

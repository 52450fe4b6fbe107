"""Reports inbox (optional, before DMARC): skip it, or set up SES receiving into S3.

The same layout as the other record steps: the MX of the reports address (and the
external-destination record when it lives in another domain) in the records table, then the
propagation board. When the step is skipped the inspection has no records, so only the
choice and the "nothing was created" fact show.
"""

from __future__ import annotations

from screens.steps.records import RecordsStepScreen


class ReportsCollectionScreen(RecordsStepScreen):
    step_id = "reports"

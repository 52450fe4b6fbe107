"""Sending authorization: each identity policy, who it lets send, and its linter findings.

The policy linter already gives every finding a severity and a fix; the check only adds where
the policy lives (region, name) and one informational line on who it allows.
"""

from __future__ import annotations

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.core.policy.findings import Severity as PolicySeverity
from sesdmarc_tui.core.policy.lint import lint_policy
from sesdmarc_tui.core.regions import identity_arn
from sesdmarc_tui.troubleshoot.areas.policy_scope import summarize_policy
from sesdmarc_tui.troubleshoot.ses_reader import SesView

_SEVERITY = {
    PolicySeverity.ERROR: Severity.ERROR,
    PolicySeverity.WARNING: Severity.WARNING,
    PolicySeverity.INFO: Severity.INFO,
}


def authorization_items(view: SesView) -> list[CheckItem]:
    items: list[CheckItem] = []
    for identity in view.found():
        items.extend(_identity_items(identity, view.account_id))
    return items


def _identity_items(identity: IdentityStatus, account: str | None) -> list[CheckItem]:
    where = f"{identity.domain} in {identity.region}"
    if not identity.policies:
        return [
            CheckItem(
                Area.AUTHORIZATION,
                "policy_none",
                Severity.INFO,
                f"No sending-authorization policy on {where}",
                "Only the identity's own account can send as the domain; other accounts of "
                "the organization need an identity policy (the wizard's Authorization step).",
            )
        ]
    arn = identity_arn(identity.region, account, identity.domain) if account else None
    items: list[CheckItem] = []
    for name, text in sorted(identity.policies.items()):
        label = f"Policy {name!r} on {where}"
        items.append(
            CheckItem(
                Area.AUTHORIZATION,
                "policy_allows",
                Severity.INFO,
                f"{label}: who may send",
                "; ".join(summarize_policy(text)),
            )
        )
        report = lint_policy(text, identity_arn=arn)
        for finding in report.findings:
            items.append(
                CheckItem(
                    Area.AUTHORIZATION,
                    f"policy_{finding.kind}",
                    _SEVERITY[finding.severity],
                    f"{label}: {finding.message}",
                    finding.where,
                    finding.fix or "Correct the policy as the finding says.",
                )
            )
        if report.ok and not report.warnings:
            items.append(
                CheckItem(Area.AUTHORIZATION, "policy_ok", Severity.OK, f"{label} is valid")
            )
    return items

"""The SES identity in each region: exists, verified, DKIM signing on.

``VerifiedForSendingStatus`` is false for as long as DKIM is PENDING: that is the normal state
right after setup, not a failure (twenty PR #23818 raised false alarms on it), so PENDING is
reported as information with what SES is waiting for.
"""

from __future__ import annotations

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.checklist import Area, CheckItem, Severity
from sesdmarc_tui.troubleshoot.ses_reader import SesView


def ses_items(domain: str, view: SesView) -> list[CheckItem]:
    items = list(view.items)
    for region, identity in view.identities:
        if identity is None:
            items.append(_missing(domain, region))
        else:
            items.extend(_identity(identity))
    return items


def _missing(domain: str, region: str) -> CheckItem:
    return CheckItem(
        Area.SES,
        "ses_identity_missing",
        Severity.ERROR,
        f"No SES identity for {domain} in {region}",
        "Identities, DKIM tokens and policies are per region: mail sent through SES in "
        f"{region} cannot use {domain} until it is verified there.",
        f"Create the identity in {region} with the sesdmarc wizard, or pass --region with the "
        "region where it was created.",
    )


def _identity(identity: IdentityStatus) -> list[CheckItem]:
    region = identity.region
    status = identity.dkim_status or identity.verification_status
    if status == "SUCCESS":
        items = [
            CheckItem(
                Area.SES,
                "ses_verified",
                Severity.OK,
                f"{identity.domain} is verified in {region} (Easy DKIM: SUCCESS)",
            )
        ]
        if not identity.dkim_signing_enabled:
            items.append(_signing_disabled(identity))
        return items
    if status == "PENDING":
        return [
            CheckItem(
                Area.SES,
                "ses_pending",
                Severity.INFO,
                f"{identity.domain} in {region} is waiting for SES to see the DKIM records",
                "Status PENDING: SES looks for the three DKIM CNAMEs for up to 72 hours. "
                "VerifiedForSendingStatus stays false until then; that is expected, not a "
                "failure. The DKIM section below shows whether the records are published.",
            )
        ]
    if status in ("FAILED", "TEMPORARY_FAILURE"):
        return [_failed(identity, status)]
    return [
        CheckItem(
            Area.SES,
            "ses_dkim_not_started",
            Severity.WARNING,
            f"Easy DKIM is not set up for {identity.domain} in {region} (status {status})",
            "Without Easy DKIM, SES signs only with d=amazonses.com, which never aligns.",
            "Enable Easy DKIM on the identity (the wizard's DKIM step) and publish its CNAMEs.",
        )
    ]


def _failed(identity: IdentityStatus, status: str) -> CheckItem:
    temporary = status == "TEMPORARY_FAILURE"
    return CheckItem(
        Area.SES,
        "ses_dkim_temporary_failure" if temporary else "ses_dkim_failed",
        Severity.WARNING if temporary else Severity.ERROR,
        f"SES reports DKIM {status} for {identity.domain} in {identity.region}",
        (
            "SES could not find the DKIM records on its last check and keeps trying for 72 hours."
            if temporary
            else "SES stopped looking for the DKIM records after 72 hours; it does not "
            "retry on its own."
        )
        + (f" Last error: {identity.verification_error}." if identity.verification_error else ""),
        (
            "Make sure the DKIM CNAMEs below are published as shown."
            if temporary
            else "Publish the DKIM CNAMEs shown below, then restart verification (re-create the "
            "identity with the wizard, which gives new tokens)."
        ),
    )


def _signing_disabled(identity: IdentityStatus) -> CheckItem:
    return CheckItem(
        Area.SES,
        "ses_dkim_signing_disabled",
        Severity.WARNING,
        f"DKIM signing is turned off for {identity.domain} in {identity.region}",
        "The DKIM records are verified, but SES does not sign with them, so DMARC can pass "
        "only through SPF alignment.",
        "Turn DKIM signing on (SES console, or PutEmailIdentityDkimAttributes SigningEnabled).",
    )

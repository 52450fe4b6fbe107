"""The SES actions of a cleanup, each with its exact API call and the key the audit log keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sesdmarc_tui.flow.cleanup.model import STEP
from sesdmarc_tui.flow.model import Action

if TYPE_CHECKING:
    from sesdmarc_tui.flow.cleanup.model import CleanupPlan

DELETE_POLICY = f"{STEP}.delete_policy"
RESET_MAIL_FROM = f"{STEP}.reset_mail_from"
DELETE_IDENTITY = f"{STEP}.delete_identity"


def _key(plan: CleanupPlan, what: str) -> str:
    return f"ses:{what}:{plan.account}:{plan.region}:{plan.domain}"


def delete_policy(plan: CleanupPlan, name: str) -> Action:
    return Action(
        id=f"{DELETE_POLICY}.{name}",
        description=f"Delete the sending authorization policy {name} from {plan.domain}",
        kind="aws_write",
        call=f"sesv2 DeleteEmailIdentityPolicy(EmailIdentity={plan.domain}, PolicyName={name})",
        params={"identity": plan.domain, "policy_name": name, "region": plan.region},
        key=f"{_key(plan, 'delete_policy')}:{name}",
    )


def reset_mail_from(plan: CleanupPlan, mail_from: str) -> Action:
    return Action(
        id=RESET_MAIL_FROM,
        description=f"Stop using {mail_from} as the MAIL FROM domain in SES (mail then "
        "leaves with an amazonses.com MAIL FROM)",
        kind="aws_write",
        call=f"sesv2 PutEmailIdentityMailFromAttributes(EmailIdentity={plan.domain}, "
        "BehaviorOnMxFailure=USE_DEFAULT_VALUE) without MailFromDomain",
        params={"identity": plan.domain, "mail_from_domain": mail_from, "region": plan.region},
        key=f"{_key(plan, 'reset_mail_from')}:{mail_from}",
    )


def delete_identity(plan: CleanupPlan) -> Action:
    return Action(
        id=DELETE_IDENTITY,
        description=f"Delete the SES identity {plan.domain} in {plan.region} (its DKIM keys, "
        "MAIL FROM setting and policies go with it)",
        kind="aws_write",
        call=f"sesv2 DeleteEmailIdentity(EmailIdentity={plan.domain}) in {plan.region}",
        params={"identity": plan.domain, "region": plan.region},
        key=_key(plan, "delete_identity"),
    )

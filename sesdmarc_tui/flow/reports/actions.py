"""The collection plan, and carrying it out: bucket, policy, rule set, rule, then the MX.

The order matters: SES tests the bucket when a rule is created (it writes
``AMAZON_SES_SETUP_NOTIFICATION``), so the policy comes before the rule; the MX comes last, so
no report arrives before there is somewhere to put it. Another rule set that is already active
is never replaced: the rule goes into it. Each action is planned only when the inspection shows
it missing, so a second run plans nothing and writes nothing.
"""

from __future__ import annotations

import json

from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import Action, FlowError, JsonValue, Plan, Preview
from sesdmarc_tui.flow.reports.inspect import REPORTS, CollectionInspection, receiving
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import dns_provider
from sesdmarc_tui.flow.steps.publish import dns_part


def _action(key: str, description: str, call: str, **params: JsonValue) -> Action:
    return Action(
        id=f"{REPORTS}.{key}",
        description=description,
        kind="aws_write",
        call=call,
        params=params,
        key=f"{REPORTS}:{key}:{json.dumps(params, sort_keys=True)}",
    )


def aws_actions(found: CollectionInspection) -> list[Action]:
    bucket, region = found.bucket, found.region
    actions: list[Action] = []
    if not found.bucket_exists:
        actions.append(
            _action(
                "bucket",
                f"Create the S3 bucket {bucket} in {region} (public access blocked)",
                f"s3 CreateBucket {bucket}; PutPublicAccessBlock",
                bucket=bucket,
                region=region,
            )
        )
    if not spec.policy_has(found.bucket_policy, found.statement):
        actions.append(
            _action(
                "policy",
                f"Let SES write to s3://{bucket}/{found.prefix} (this account's rule only)",
                f"s3 PutBucketPolicy {bucket} (statement {spec.STATEMENT_SID} added)",
                bucket=bucket,
                sid=spec.STATEMENT_SID,
            )
        )
    if found.active_rule_set is None and not found.rule_set_exists:
        actions.append(
            _action(
                "rule_set",
                f"Create the receipt rule set {found.rule_set}",
                f"ses CreateReceiptRuleSet {found.rule_set}",
                rule_set=found.rule_set,
            )
        )
    if not spec.rule_matches(found.rule_found, found.rule):
        verb = "Update" if found.rule_found else "Create"
        actions.append(
            _action(
                "rule",
                f"{verb} the receipt rule that stores mail to {found.address.address} in S3",
                f"ses {verb}ReceiptRule {found.rule['Name']} in {found.rule_set}",
                rule_set=found.rule_set,
                rule=found.rule["Name"],
                recipient=found.address.address,
            )
        )
    if found.active_rule_set is None:
        actions.append(
            _action(
                "activate",
                f"Make {found.rule_set} the active receipt rule set in {region}",
                f"ses SetActiveReceiptRuleSet {found.rule_set}",
                rule_set=found.rule_set,
            )
        )
    return actions


def plan_collection(ctx: FlowContext, state: SessionState, found: CollectionInspection) -> Plan:
    part = dns_part(REPORTS, dns_provider(ctx, state, found.address.domain), found.records)
    previews = [
        Preview(
            f"Bucket policy statement for {found.bucket}",
            json.dumps(found.statement, indent=2),
            "json",
        ),
        Preview("The rua the DMARC step should use", found.address.rua + "\n", "text"),
    ]
    return Plan(
        step_id=REPORTS,
        actions=(*aws_actions(found), *part.actions),
        blockers=part.blockers,
        notes=part.notes,
        previews=(*previews, *part.previews),
        dns=part.plan,
        inspection=found,
    )


def execute(
    ctx: FlowContext, state: SessionState, found: CollectionInspection, action: Action
) -> str:
    s3, rules = receiving(ctx, state, found.region)
    step = action.id.removeprefix(f"{REPORTS}.")
    if step == "bucket":
        s3.create_bucket(found.bucket)
        s3.block_public_access(found.bucket)
        return f"Bucket {found.bucket} created"
    if step == "policy":
        current = s3.bucket_policy(found.bucket)
        s3.put_bucket_policy(found.bucket, spec.merged_policy(current, found.statement))
        return "Bucket policy updated"
    if step == "rule_set":
        rules.create_rule_set(found.rule_set)
        return f"Rule set {found.rule_set} created"
    if step == "rule":
        if found.rule_found:
            rules.update_rule(found.rule_set, found.rule)
        else:
            rules.create_rule(found.rule_set, found.rule)
        return f"Rule {found.rule['Name']} in place"
    if step == "activate":
        rules.set_active(found.rule_set)
        return f"{found.rule_set} is active"
    raise FlowError(f"Unknown reports action {action.id}.", "Plan again.")


def remember(state: SessionState, found: CollectionInspection) -> None:
    external = spec.external_record(found.policy_domain, found.address)
    state.step(REPORTS).resources.update(
        {
            "address": found.address.address,
            "rua": found.address.rua,
            "region": found.region,
            "bucket": found.bucket,
            "prefix": found.prefix,
            "rule_set": found.rule_set,
            "rule": str(found.rule["Name"]),
            "source": found.source,
            "external_record": list(external) if external else None,
        }
    )

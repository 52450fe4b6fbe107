"""Reading what the reports collection needs, without changing anything.

The reports address's domain gets an MX to SES's inbound endpoint in the receiving region; SES
stores each message in an S3 bucket through a receipt rule. This reads the bucket and its
policy, the active receipt rule set and the rule, the MX and, when the address is in another
organisation, the external-destination record, and states what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.errors import AwsError
from sesdmarc_tui.aws.receiving import ReceivingAdapter, RuleSet
from sesdmarc_tui.aws.s3 import S3Adapter
from sesdmarc_tui.core.records import DnsRecord, make_record
from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import Fact, Inspection
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import domain_of, profile_of

REPORTS = "reports"


@dataclass(frozen=True, kw_only=True)
class CollectionInspection(Inspection):
    policy_domain: str
    address: spec.ReportsAddress
    region: str
    account: str
    bucket: str
    prefix: str
    bucket_exists: bool
    bucket_policy: str | None
    statement: dict[str, Any]
    active_rule_set: str | None
    rule_set: str  # the set the rule goes in: the active one, else ours
    rule_set_exists: bool
    rule: dict[str, Any]
    rule_found: dict[str, Any] | None

    @property
    def source(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def inputs_of(state: SessionState) -> dict[str, str]:
    return state.inputs(REPORTS)


def receiving(
    ctx: FlowContext, state: SessionState, region: str
) -> tuple[S3Adapter, ReceivingAdapter]:
    session = ctx.session(profile_of(state), region)
    # SES v1 and v2 management calls share one rate per account and region: one pacer.
    pacer = getattr(ctx.ses(session), "pacer", None)
    return S3Adapter(session), ReceivingAdapter(session, pacer=pacer)


def wanted_records(
    address: spec.ReportsAddress, region: str, policy_domain: str
) -> tuple[DnsRecord, ...]:
    mx = make_record(address.domain, "MX", [f"{spec.MX_PREFERENCE} {spec.inbound_host(region)}"])
    external = spec.external_record(policy_domain, address)
    if external is None:
        return (mx,)
    return (mx, make_record(external[0], "TXT", [external[1]]))


def _rule_set(adapter: ReceivingAdapter) -> tuple[str | None, RuleSet | None]:
    active = adapter.active_rule_set()
    if active is not None:
        return active.name, active
    return None, adapter.rule_set(spec.RULE_SET)


def inspect_collection(ctx: FlowContext, state: SessionState) -> CollectionInspection:
    policy_domain = domain_of(state)
    inputs = inputs_of(state)
    address = spec.reports_address(inputs.get("address") or spec.default_address(policy_domain))
    region = inputs.get("region") or state.region or "us-east-1"
    records = wanted_records(address, region, policy_domain)  # refuses a non-receiving region
    s3, rules = receiving(ctx, state, region)
    account = s3.session.account_id
    bucket = inputs.get("bucket") or spec.bucket_name(account, region, policy_domain)
    prefix = inputs.get("prefix") or spec.key_prefix(address)
    exists = s3.bucket_exists(bucket)
    policy = s3.bucket_policy(bucket) if exists else None
    active, found_set = _rule_set(rules)
    target = active or spec.RULE_SET
    name = spec.rule_name(address)
    statement = spec.policy_statement(
        bucket, prefix, account, spec.rule_arn(region, account, target, name)
    )
    rule = spec.receipt_rule(name, address, bucket, prefix)
    rule_found = found_set.rule(name) if found_set is not None else None
    facts = [
        Fact("Reports address", address.address, "info", f"rua={address.rua}"),
        Fact("Receiving region", f"{region} (MX {spec.inbound_host(region)})"),
        Fact("Bucket", f"{bucket} ({'exists' if exists else 'to create'})"),
        Fact(
            "Receipt rule",
            f"{name} in {target}" + ("" if rule_found else " (to create)"),
            "ok" if spec.rule_matches(rule_found, rule) else "info",
        ),
    ]
    if active is not None and active != spec.RULE_SET:
        facts.append(
            Fact("Active rule set", f"{active} is active: the rule is added to it, nothing else")
        )
    facts.extend(_identity_fact(ctx, state, region, policy_domain))
    return CollectionInspection(
        step_id=REPORTS,
        facts=tuple(facts),
        records=records,
        policy_domain=policy_domain,
        address=address,
        region=region,
        account=account,
        bucket=bucket,
        prefix=prefix,
        bucket_exists=exists,
        bucket_policy=policy,
        statement=statement,
        active_rule_set=active,
        rule_set=target,
        rule_set_exists=found_set is not None,
        rule=rule,
        rule_found=rule_found,
    )


def _identity_fact(ctx: FlowContext, state: SessionState, region: str, domain: str) -> list[Fact]:
    """SES accepts mail only for domains verified in the receiving region."""
    try:
        found = ctx.ses(ctx.session(profile_of(state), region)).get_identity(domain)
    except AwsError as exc:
        return [Fact("Verified domain", exc.message, "warn", exc.remedy)]
    if found is not None and found.verification_status == "SUCCESS":
        return [Fact("Verified domain", f"{domain} is verified in {region}", "ok")]
    return [
        Fact(
            "Verified domain",
            f"{domain} is not verified in {region}: SES receives mail only for verified domains.",
            "warn",
            f"Run the DKIM step with {region} as the region, or receive in the sending region.",
        )
    ]

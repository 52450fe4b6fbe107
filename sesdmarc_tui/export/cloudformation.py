"""The setup as a CloudFormation template (JSON): ``AWS::SES::EmailIdentity`` and record sets.

The identity carries Easy DKIM (``DkimSigningAttributes.NextSigningKeyLength``) and the custom
MAIL FROM (``MailFromAttributes``); the three DKIM CNAMEs are ``AWS::Route53::RecordSet``
resources whose name and value are the identity's ``DkimDNSTokenName1..3`` and
``DkimDNSTokenValue1..3`` attributes; MAIL FROM and DMARC records are literal record sets,
TXT values in Route 53's quoted form (strings of at most 255 octets).

CloudFormation has no resource type for SES identity policies (sending authorization): there
is no ``AWS::SES::EmailIdentityPolicy``. Rather than invent one, the template says so in its
Description and carries the policy, with the command that sets it, in ``Metadata``.
"""

from __future__ import annotations

import json
from typing import Any

from sesdmarc_tui.core.names import absolute
from sesdmarc_tui.core.render import route53_values
from sesdmarc_tui.export.facts import KEY_LENGTH, ExportRecord, SetupFacts

NO_POLICY_RESOURCE = (
    "CloudFormation has no resource type for SES identity policies (sending authorization); "
    "the policy is in this template's Metadata, to set after the stack is created with the "
    "command given there."
)
# What stands for values only AWS knows, in a policy exported from a config.
PLACEHOLDER_TEXT = {"identity_arn": "IDENTITY_ARN", "organization_id": "ORGANIZATION_ID"}
ROLE_IDS = {"mail_from_mx": "MailFromMx", "mail_from_txt": "MailFromSpf", "dmarc": "Dmarc"}


def _zone(facts: SetupFacts, zone: str) -> dict[str, str]:
    if facts.zone_id and zone == facts.zone:
        return {"HostedZoneId": facts.zone_id}
    return {"HostedZoneName": absolute(zone)}


def _retained(resource: dict[str, Any], facts: SetupFacts) -> dict[str, Any]:
    # Resources that exist already are taken over by a resource import, which needs a
    # DeletionPolicy; Retain also keeps a deleted stack from removing a working setup.
    if facts.from_session:
        resource["DeletionPolicy"] = "Retain"
        resource["UpdateReplacePolicy"] = "Retain"
    return resource


def _identity(facts: SetupFacts) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "EmailIdentity": facts.domain,
        "DkimSigningAttributes": {"NextSigningKeyLength": KEY_LENGTH},
    }
    if facts.mail_from:
        properties["MailFromAttributes"] = {
            "MailFromDomain": facts.mail_from,
            "BehaviorOnMxFailure": facts.behavior,
        }
    return _retained({"Type": "AWS::SES::EmailIdentity", "Properties": properties}, facts)


def _dkim(facts: SetupFacts, number: int) -> dict[str, Any]:
    properties = {
        **_zone(facts, facts.zone),
        "Name": {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenName{number}"]},
        "Type": "CNAME",
        "TTL": "1800",
        "ResourceRecords": [{"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenValue{number}"]}],
    }
    return _retained({"Type": "AWS::Route53::RecordSet", "Properties": properties}, facts)


def _record(facts: SetupFacts, item: ExportRecord) -> dict[str, Any]:
    record = item.record
    properties = {
        **_zone(facts, item.zone),
        "Name": absolute(record.name),
        "Type": record.rtype,
        "TTL": str(record.ttl),
        "ResourceRecords": list(route53_values(record)),
    }
    return _retained({"Type": "AWS::Route53::RecordSet", "Properties": properties}, facts)


def _policy_metadata(facts: SetupFacts) -> dict[str, Any]:
    assert facts.policy is not None
    text = facts.policy
    for literal, kind in facts.placeholders:
        if kind != "identity_arn" or not facts.from_session:
            text = text.replace(literal, PLACEHOLDER_TEXT[kind])
    entry: dict[str, Any] = {
        "Note": NO_POLICY_RESOURCE,
        "PolicyName": facts.policy_name,
        "Policy": json.loads(text),
        "Command": f"aws sesv2 create-email-identity-policy --region {facts.region} "
        f"--email-identity {facts.domain} --policy-name {facts.policy_name} "
        "--policy file://policy.json",
    }
    if any(name in text for name in PLACEHOLDER_TEXT.values()):
        entry["Placeholders"] = (
            "Replace IDENTITY_ARN with the identity's ARN and ORGANIZATION_ID with your "
            "organization's ID before setting the policy."
        )
    return entry


def cloudformation(facts: SetupFacts) -> dict[str, Any]:
    """The template as a JSON-ready dict."""
    resources: dict[str, Any] = {"EmailIdentity": _identity(facts)}
    for number in (1, 2, 3):
        resources[f"DkimRecord{number}"] = _dkim(facts, number)
    for item in facts.records:
        if item.role != "dkim":
            resources[ROLE_IDS.get(item.role, item.role)] = _record(facts, item)
    description = (
        f"Amazon SES for {facts.domain}: Easy DKIM, MAIL FROM, DMARC. Deploy in {facts.region}."
    )
    if facts.policy is not None:
        description += " " + NO_POLICY_RESOURCE
    metadata: dict[str, Any] = {"Source": facts.source, "Region": facts.region}
    if facts.notes:
        metadata["Notes"] = list(facts.notes)
    if facts.policy is not None:
        metadata["IdentityPolicy"] = _policy_metadata(facts)
    if facts.from_session:
        metadata["Adopting"] = (
            "These resources exist already: create the stack with a resource import "
            "(DeletionPolicy Retain is set) rather than a plain create."
        )
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description[:1024],
        "Metadata": {"sesdmarc": metadata},
        "Resources": resources,
    }


def cloudformation_json(facts: SetupFacts) -> str:
    return json.dumps(cloudformation(facts), indent=2, ensure_ascii=False) + "\n"

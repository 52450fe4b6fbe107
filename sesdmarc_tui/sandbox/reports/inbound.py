"""SES email receiving, as far as the sandbox needs it: mail in, receipt rules, S3 out.

moto keeps receipt rule sets and rules but receives no mail. This plays SES's inbound side for
a message handed to ``inbound-smtp.<region>.amazonaws.com``: it takes the active rule set of
the account and region, the enabled rules whose recipients match (an address, a domain, or
``.domain`` for its subdomains), and for each S3 action writes the raw message, prefixed with
the headers SES adds, to ``<prefix><message id>`` in the bucket, provided the bucket policy
lets ``ses.amazonaws.com`` write there for that account and rule, as real SES requires.
"""

from __future__ import annotations

import fnmatch
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.reports.collection import rule_arn


@dataclass(frozen=True)
class Stored:
    bucket: str
    key: str
    rule: str


def recipient_matches(recipient: str, entries: list[str]) -> bool:
    """SES's rule matching: no recipients means all; ``a@d``, ``d`` or ``.d`` otherwise."""
    if not entries:
        return True
    address = recipient.lower()
    domain = address.rpartition("@")[2]
    for entry in (e.lower() for e in entries):
        if entry in (address, domain):
            return True
        if entry.startswith(".") and domain.endswith(entry):
            return True
    return False


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _condition_ok(conditions: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, tests in conditions.items():
        for key, wanted in tests.items():
            found = context.get(key.lower())
            if found is None:
                return False
            values = _values(wanted)
            if operator in ("StringEquals", "ArnEquals") and found not in values:
                return False
            if operator in ("StringLike", "ArnLike") and not any(
                fnmatch.fnmatchcase(found, v) for v in values
            ):
                return False
    return True


def ses_may_write(policy_json: str | None, bucket: str, key: str, context: dict[str, str]) -> bool:
    """Does an Allow statement give ``ses.amazonaws.com`` ``s3:PutObject`` on this key?"""
    try:
        statements = json.loads(policy_json or "{}").get("Statement", [])
    except (ValueError, AttributeError):
        return False
    resource = f"arn:aws:s3:::{bucket}/{key}"
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = (statement.get("Principal") or {}) if isinstance(statement, dict) else {}
        if statement.get("Effect") != "Allow" or "ses.amazonaws.com" not in _values(
            principal.get("Service", []) if isinstance(principal, dict) else []
        ):
            continue
        actions = _values(statement.get("Action", []))
        if not any(fnmatch.fnmatchcase("s3:PutObject", a) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in _values(statement.get("Resource"))):
            continue
        if _condition_ok(statement.get("Condition") or {}, context):
            return True
    return False


def _policy(s3: Any, bucket: str) -> str | None:
    try:
        return str(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except Exception:  # no policy, or no bucket: SES could not write either
        return None


def receive(session: AwsSession, recipient: str, raw: bytes, now: float) -> list[Stored]:
    """Store ``raw`` as SES would for ``recipient``; returns where it went (maybe nowhere)."""
    ses, s3 = session.client("ses"), session.client("s3")
    active = ses.describe_active_receipt_rule_set()
    rule_set = (active.get("Metadata") or {}).get("Name")
    if not rule_set:
        return []
    account, region = session.account_id, session.region
    message_id = uuid.uuid4().hex + uuid.uuid4().hex[:8]
    stamp = format_datetime(datetime.fromtimestamp(now, UTC))
    header = (
        f"Return-Path: <noreply-dmarc@reporter.invalid>\r\n"
        f"Received: from reporter.invalid by inbound-smtp.{region}.amazonaws.com with SMTP id "
        f"{message_id} for {recipient}; {stamp}\r\n"
        "X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n"
    ).encode()
    stored: list[Stored] = []
    for rule in active.get("Rules") or []:
        if not rule.get("Enabled") or not recipient_matches(recipient, rule.get("Recipients", [])):
            continue
        arn = rule_arn(region, account, rule_set, str(rule["Name"]))
        context = {"aws:sourceaccount": account, "aws:sourcearn": arn}
        for action in rule.get("Actions") or []:
            target = action.get("S3Action")
            if not target:
                continue
            bucket, key = target["BucketName"], target.get("ObjectKeyPrefix", "") + message_id
            if ses_may_write(_policy(s3, bucket), bucket, key, context):
                s3.put_object(Bucket=bucket, Key=key, Body=header + raw)
                stored.append(Stored(bucket, key, str(rule["Name"])))
    return stored

"""Collecting reports with SES email receiving: the names, the documents and the checks.

What the setup creates, decided without any I/O:

- the reports address (``dmarc@reports.<domain>`` by default: a subdomain, so the MX that
  points it at SES never takes the domain's own mail), and its ``rua=mailto:`` URI;
- the MX record ``10 inbound-smtp.<region>.amazonaws.com`` (only where SES receives mail);
- the S3 bucket policy that lets SES write, restricted as the SES developer guide's "Give
  Amazon SES permission to write to your Amazon S3 bucket" shows: ``aws:SourceAccount`` and
  ``aws:SourceArn`` of the receipt rule (``arn:aws:ses:<region>:<account>:receipt-rule-set/
  <set>:receipt-rule/<rule>``);
- the receipt rule (S3 action for that one recipient);
- the external-destination record when the address is in another organisation.

SES receives mail in fewer regions than it sends from. The list below is the General
Reference's "Email receiving endpoints" table (as published in 2025-2026); other regions are
refused with the list of the ones that work.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.core.dmarc.external import authorization_record, needs_authorization
from sesdmarc_tui.core.names import DomainError, normalize_domain

# Checked 2026-11 against the "Email receiving endpoints" table of the AWS General Reference,
# "Amazon Simple Email Service endpoints and quotas" (docs.aws.amazon.com/general/latest/gr/
# ses.html): inbound-smtp.<region>.amazonaws.com exists for exactly these eleven regions. Older
# copies list only us-east-1, us-west-2 and eu-west-1; receiving has been added region by region.
RECEIVING_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-northeast-1",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
)
RULE_SET = "sesdmarc-reports"
STATEMENT_SID = "AllowSESPutsDmarcReports"
SETUP_NOTIFICATION = "AMAZON_SES_SETUP_NOTIFICATION"  # SES's test object in a new rule's bucket
MX_PREFERENCE = 10
_NAME = re.compile(r"[^a-z0-9-]+")


class CollectionError(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def inbound_host(region: str) -> str:
    if region not in RECEIVING_REGIONS:
        raise CollectionError(
            f"SES does not receive email in {region}.",
            "Receive the reports in one of: " + ", ".join(RECEIVING_REGIONS) + " (the "
            "receiving region can differ from the sending one).",
        )
    return f"inbound-smtp.{region}.amazonaws.com"


@dataclass(frozen=True)
class ReportsAddress:
    local: str
    domain: str

    @property
    def address(self) -> str:
        return f"{self.local}@{self.domain}"

    @property
    def rua(self) -> str:
        return f"mailto:{self.address}"


def reports_address(text: str) -> ReportsAddress:
    local, at, domain = text.strip().removeprefix("mailto:").rpartition("@")
    if not at or not local or not re.fullmatch(r"[A-Za-z0-9._+-]{1,64}", local):
        raise CollectionError(
            f"{text!r} is not a plain address such as dmarc@reports.example.com.",
            "Use letters, digits, dots, dashes, plus or underscore before the @.",
        )
    try:
        return ReportsAddress(local.lower(), normalize_domain(domain, min_labels=2))
    except DomainError as exc:
        raise CollectionError(exc.message, exc.hint) from None


def default_address(domain: str) -> str:
    return f"dmarc@reports.{domain}"


def bucket_name(account: str, region: str, domain: str) -> str:
    """Globally unique, 3-63 characters of lower-case letters, digits and dashes."""
    stem = _NAME.sub("-", domain.lower()).strip("-")
    name = f"sesdmarc-reports-{account}-{region}-{stem}"[:63].rstrip("-")
    return name


def rule_name(address: ReportsAddress) -> str:
    return ("sesdmarc-" + _NAME.sub("-", address.address.replace("@", "-at-")))[:64].rstrip("-")


def key_prefix(address: ReportsAddress) -> str:
    return f"dmarc/{address.domain}/"


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IPV4_LIKE = re.compile(r"\d+\.\d+\.\d+\.\d+")
_PREFIX = re.compile(r"[A-Za-z0-9!_.()'/-]{1,512}")


def validate_bucket(text: str) -> str:
    """An S3 bucket name as the S3 naming rules allow it (general purpose buckets).

    The name goes into the bucket policy's ``Resource``; a wildcard there would grant SES more
    than the one bucket, so only real names pass.
    """
    name = text.strip()
    if not _BUCKET.fullmatch(name) or ".." in name or _IPV4_LIKE.fullmatch(name):
        shown = repr(name) if len(name) <= 80 else repr(name[:80]) + "..."
        raise CollectionError(
            f"{shown} is not an S3 bucket name.",
            "Use 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a "
            "letter or digit (or leave it empty for the default).",
        )
    return name


def validate_prefix(text: str) -> str:
    """An S3 key prefix for the reports: the bucket policy allows writes below it only.

    ``*`` and ``?`` would be wildcards in the policy's ``Resource``, and a leading ``/`` makes
    keys no S3 console shows; the prefix always ends with ``/`` so it names a folder.
    """
    prefix = text.strip()
    if not _PREFIX.fullmatch(prefix) or prefix.startswith("/") or "//" in prefix:
        shown = repr(prefix) if len(prefix) <= 80 else repr(prefix[:80]) + "..."
        raise CollectionError(
            f"{shown} is not a usable key prefix.",
            "Use letters, digits and - _ . ! ' ( ) separated by /, such as dmarc/example.com/ "
            "(no wildcards, no leading /).",
        )
    return prefix if prefix.endswith("/") else prefix + "/"


def rule_arn(region: str, account: str, rule_set: str, rule: str) -> str:
    return f"arn:aws:ses:{region}:{account}:receipt-rule-set/{rule_set}:receipt-rule/{rule}"


def policy_statement(bucket: str, prefix: str, account: str, source_arn: str) -> dict[str, Any]:
    return {
        "Sid": STATEMENT_SID,
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
        "Condition": {"StringEquals": {"AWS:SourceAccount": account, "AWS:SourceArn": source_arn}},
    }


def _statements(policy_json: str | None) -> list[dict[str, Any]]:
    if not policy_json:
        return []
    try:
        document = json.loads(policy_json)
    except ValueError:
        return []
    found = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(found, dict):
        found = [found]
    return [s for s in found or [] if isinstance(s, dict)]


def policy_has(policy_json: str | None, statement: dict[str, Any]) -> bool:
    """True when the bucket policy already holds this exact statement."""
    wanted = json.dumps(statement, sort_keys=True)
    return any(json.dumps(s, sort_keys=True) == wanted for s in _statements(policy_json))


def merged_policy(policy_json: str | None, statement: dict[str, Any]) -> str:
    """The bucket policy with our statement added or replaced; the operator's others kept."""
    others = [s for s in _statements(policy_json) if s.get("Sid") != statement["Sid"]]
    return json.dumps({"Version": "2012-10-17", "Statement": [*others, statement]}, indent=2)


def receipt_rule(name: str, address: ReportsAddress, bucket: str, prefix: str) -> dict[str, Any]:
    return {
        "Name": name,
        "Enabled": True,
        "TlsPolicy": "Optional",
        "Recipients": [address.address],
        "Actions": [{"S3Action": {"BucketName": bucket, "ObjectKeyPrefix": prefix}}],
        "ScanEnabled": True,
    }


def rule_matches(found: dict[str, Any] | None, wanted: dict[str, Any]) -> bool:
    if not found:
        return False
    keys = ("Enabled", "Recipients", "Actions")
    return all(
        json.dumps(found.get(k), sort_keys=True) == json.dumps(wanted[k], sort_keys=True)
        for k in keys
    )


def external_record(policy_domain: str, address: ReportsAddress) -> tuple[str, str] | None:
    """The ``<policy>._report._dmarc.<host>`` TXT the address's zone needs, if any."""
    if not needs_authorization(policy_domain, address.domain):
        return None
    return authorization_record(policy_domain, address.domain)

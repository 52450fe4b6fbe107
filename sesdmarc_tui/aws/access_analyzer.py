"""IAM Access Analyzer ``ValidatePolicy`` for SES identity policies, where it is allowed.

There is no SES resource type, so the call sends ``RESOURCE_POLICY`` without
``validatePolicyResourceType``: AWS then runs the checks common to all resource policies
(grammar, security warnings), not SES-specific ones. The check is advisory: AccessDenied, an
endpoint without the API (moto answers 404) or any other failure returns a result marked
unavailable with the reason, and the wizard carries on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.session import AwsSession

SERVICE = "accessanalyzer"
SEVERITY_ORDER = ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")


@dataclass(frozen=True)
class Finding:
    finding_type: str
    issue_code: str
    details: str
    learn_more_link: str | None = None
    # "Statement[0].Condition" and "line 3, column 5" style locations.
    locations: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.finding_type == "ERROR"


@dataclass(frozen=True)
class PolicyValidation:
    available: bool
    findings: tuple[Finding, ...] = ()
    unavailable_reason: str | None = None
    error: AwsError | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


def _path_text(path: Sequence[Mapping[str, Any]]) -> str:
    text = ""
    for element in path:
        if "index" in element:
            text += f"[{element['index']}]"
        elif "key" in element or "value" in element:
            # AWS names JSON keys on the path with "value" ({"value": "Statement"}).
            name = element.get("key", element.get("value"))
            text += ("." if text else "") + str(name)
        elif "substring" in element:
            sub = element["substring"]
            text += f"[{sub.get('start')}:+{sub.get('length')}]"
    return text


def _location_text(location: Mapping[str, Any]) -> str:
    path = _path_text(location.get("path") or ())
    start = (location.get("span") or {}).get("start") or {}
    where = f"line {start['line']}, column {start['column']}" if "line" in start else ""
    return " at ".join(p for p in (path, where) if p)


def parse_finding(raw: Mapping[str, Any]) -> Finding:
    return Finding(
        finding_type=str(raw.get("findingType") or "UNKNOWN"),
        issue_code=str(raw.get("issueCode") or ""),
        details=str(raw.get("findingDetails") or ""),
        learn_more_link=raw.get("learnMoreLink"),
        locations=tuple(_location_text(loc) for loc in raw.get("locations") or ()),
    )


def validate_policy(
    session: AwsSession, policy_json: str, *, locale: str = "EN"
) -> PolicyValidation:
    """Findings for an SES identity policy, most severe first; never raises for AWS errors."""
    try:
        raw = list(
            session.paginate(
                SERVICE,
                "ValidatePolicy",
                "validate_policy",
                "findings",
                policyDocument=policy_json,
                policyType="RESOURCE_POLICY",
                locale=locale,
            )
        )
    except AwsError as error:
        if error.kind in (ErrorKind.ACCESS_DENIED, ErrorKind.EXPLICIT_DENY):
            reason = (
                "IAM Access Analyzer checks were skipped: this profile may not call "
                "access-analyzer:ValidatePolicy."
            )
        elif error.kind in (ErrorKind.UNSUPPORTED_OPERATION, ErrorKind.UNEXPECTED_RESPONSE):
            reason = "IAM Access Analyzer is not available at this endpoint; checks skipped."
        else:
            reason = f"IAM Access Analyzer checks were skipped: {error.message}"
        return PolicyValidation(False, unavailable_reason=reason, error=error)
    findings = [parse_finding(item) for item in raw]
    rank = {name: i for i, name in enumerate(SEVERITY_ORDER)}
    findings.sort(key=lambda f: rank.get(f.finding_type, len(rank)))
    return PolicyValidation(True, tuple(findings))

"""IAM Access Analyzer ValidatePolicy: findings via the Stubber, 'unavailable' over moto."""

from __future__ import annotations

import json

from botocore.stub import Stubber

from sesdmarc_tui.aws.access_analyzer import validate_policy
from sesdmarc_tui.aws.errors import ErrorKind
from sesdmarc_tui.aws.session import AwsSession

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "ses:SendEmail", "Resource": "*"}
        ],
    }
)


def _finding(kind: str, code: str) -> dict[str, object]:
    return {
        "findingDetails": f"{code} details",
        "findingType": kind,
        "issueCode": code,
        "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
        "locations": [
            {
                "path": [{"value": "Statement"}, {"index": 0}, {"value": "Principal"}],
                "span": {
                    "start": {"line": 1, "column": 60, "offset": 60},
                    "end": {"line": 1, "column": 63, "offset": 63},
                },
            }
        ],
    }


def test_findings_are_paginated_and_sorted(offline_session: AwsSession) -> None:
    with Stubber(offline_session.client("accessanalyzer")) as stub:
        stub.add_response(
            "validate_policy",
            {"findings": [_finding("SUGGESTION", "EMPTY_ARRAY_ACTION")], "nextToken": "t1"},
            {"policyDocument": POLICY, "policyType": "RESOURCE_POLICY", "locale": "EN"},
        )
        stub.add_response(
            "validate_policy",
            {"findings": [_finding("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE")]},
            {
                "policyDocument": POLICY,
                "policyType": "RESOURCE_POLICY",
                "locale": "EN",
                "nextToken": "t1",
            },
        )
        result = validate_policy(offline_session, POLICY)
        stub.assert_no_pending_responses()
    assert result.available and not result.has_errors
    assert [f.finding_type for f in result.findings] == ["SECURITY_WARNING", "SUGGESTION"]
    assert result.findings[0].locations == ("Statement[0].Principal at line 1, column 60",)


def test_access_denied_makes_the_check_unavailable(offline_session: AwsSession) -> None:
    with Stubber(offline_session.client("accessanalyzer")) as stub:
        stub.add_client_error("validate_policy", "AccessDeniedException", "no", 403)
        result = validate_policy(offline_session, POLICY)
    assert not result.available
    assert result.error is not None and result.error.kind is ErrorKind.ACCESS_DENIED
    assert "access-analyzer:ValidatePolicy" in (result.unavailable_reason or "")


def test_moto_has_no_access_analyzer(owner: AwsSession) -> None:
    result = validate_policy(owner, POLICY)
    assert not result.available
    assert "not available at this endpoint" in (result.unavailable_reason or "")

"""The linter finds every documented mistake, and has nothing to say against our own policies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sesdmarc_tui.core.policy import (
    Accounts,
    OuDirectMembers,
    OuSubtree,
    Severity,
    WholeOrganization,
    build_policy_json,
    lint_policy,
)
from tests.unit.policy.policy_strategies import ARN, CHILD, ORG, PARENT

PATH_STAR = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"


def _policy(*statements: dict[str, Any], version: object = "2012-10-17") -> str:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document = {"Version": version, **document}
    return json.dumps(document)


def _allow(condition: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": "S",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
        "Resource": ARN,
    }
    if condition is not None:
        statement["Condition"] = condition
    statement.update(overrides)
    return {k: v for k, v in statement.items() if v is not None}


def _org(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"StringEquals": {"aws:PrincipalOrgID": ORG}, **(extra or {})}


def _subtree(value: object = PATH_STAR, operator: str = "ForAnyValue:StringLike") -> dict[str, Any]:
    return _org({operator: {"aws:PrincipalOrgPaths": value}})


# Two StringEquals blocks: JSON keeps only the last one, so the org check silently vanishes.
DUPLICATE_BLOCKS = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
    '"Action":["ses:SendEmail","ses:SendRawEmail"],"Resource":"' + ARN + '",'
    '"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},'
    '"StringEquals":{"ses:FromAddress":"app@example.com"}}}]}'
)


def _kinds(text: str, severity: Severity = Severity.ERROR, identity: str | None = ARN) -> set[str]:
    return lint_policy(text, identity_arn=identity).kinds(severity)


def test_reference_policy_is_clean() -> None:
    text = _policy(_allow(_subtree()))
    report = lint_policy(text, identity_arn=ARN)
    assert report.ok and not report.warnings and report.verdict() == "ok"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"Version": NaN}', "invalid_json"),
        (_policy(_allow(_org()), version="2024-01-01"), "bad_version"),
        ('{"Version": "2012-10-17", "Statement": "yes"}', "bad_statement"),
        ('{"Version": "2012-10-17"}', "bad_statement"),
        ('{"Version": "2012-10-17", "Statement": []}', "bad_statement"),
        ('{"Version": "2012-10-17", "Statement": [42]}', "bad_statement"),
        (_policy(_allow(_org(), Effect="Permit")), "bad_effect"),
        (_policy(_allow(_org(), Resource=None)), "missing_resource"),
        (_policy(_allow(_org(), Resource=[ARN, ARN + "x"])), "resource_count"),
        (_policy(_allow(_org(), Resource=[])), "resource_count"),
        (_policy(_allow(_org(), Resource="*")), "resource_mismatch"),
        (
            _policy(_allow(_org(), Resource=ARN.replace("999999999999", "111122223333"))),
            "resource_mismatch",
        ),
        (_policy(_allow()), "principal_wildcard_without_org"),
        (_policy(_allow(Principal={"AWS": "*"})), "principal_wildcard_without_org"),
        (
            _policy(_allow(Principal={"AWS": ["111122223333", "*"]})),
            "principal_wildcard_without_org",
        ),
        (
            _policy(_allow({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [PATH_STAR]}})),
            "org_paths_without_org_id",
        ),
        (
            _policy(
                _allow(
                    {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [PATH_STAR]}},
                    Principal={"AWS": ["arn:aws:iam::111122223333:root"]},
                )
            ),
            "org_paths_without_org_id",
        ),
        (
            _policy(_allow(_subtree("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111*"))),
            "org_path_prefix_match",
        ),
        (_policy(_allow(_subtree("o-a1b2c3d4e5/r-ab12/ou-ab12-1111*/"))), "org_path_prefix_match"),
        (
            _policy(_allow(_subtree(PATH_STAR, "ForAnyValue:StringEquals"))),
            "wildcard_with_string_equals",
        ),
        (DUPLICATE_BLOCKS, "duplicate_key"),
        (_policy(_allow(_subtree(PATH_STAR, "ForAllValues:StringLike"))), "for_all_values_org_key"),
        (
            _policy(_allow(_subtree(PATH_STAR, "StringLike"))),
            "multivalued_key_without_set_operator",
        ),
        (
            _policy(_allow(_subtree(PATH_STAR, "ForAnyValue:StringLikeIfExists"))),
            "if_exists_org_key",
        ),
        (
            _policy(_allow({"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG}})),
            "if_exists_org_key",
        ),
        (_policy(_allow(_subtree("r-ab12/ou-ab12-11111111/*"))), "org_path_not_from_org"),
        (_policy(_allow(_subtree("*/ou-ab12-11111111/*"))), "org_path_not_from_org"),
        (_policy(_allow(_subtree("o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/*"))), "org_path_wrong_org"),
        (
            _policy(
                _allow(_subtree("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111", "ForAnyValue:StringEquals"))
            ),
            "org_path_missing_slash",
        ),
        (_policy(_allow(_subtree("o-a1b2c3d4e5/r-ab12/ou-bad/*"))), "org_path_malformed"),
        (_policy(_allow({"StringLike": {"aws:PrincipalOrgID": "o-*"}})), "org_id_wildcard"),
        (_policy(_allow({"StringEquals": {"aws:PrincipalOrgID": "my-org"}})), "bad_org_id"),
        (_policy(_allow(_org(), Action=["ses:*"])), "bad_action"),
        (_policy(_allow(_org(), Action="*")), "bad_action"),
        (
            _policy(_allow(_org(), Action=["ses:SendEmail", "ses:CreateEmailIdentity"])),
            "bad_action",
        ),
        (_policy(_allow(_org(), Action=None)), "missing_action"),
        (_policy(_allow(_org(), Action=None, NotAction="ses:DeleteEmailIdentity")), "not_action"),
        (_policy(_allow(_org(), Principal=None)), "missing_principal"),
        (
            _policy(_allow(_org(), Principal=None, NotPrincipal={"AWS": "111122223333"})),
            "not_principal",
        ),
        (_policy(_allow(_org(), Principal={"AWS": "alice"})), "invalid_principal"),
        (_policy(_allow(_org(), Resource=None, NotResource=ARN)), "not_resource"),
        (_policy(_allow(_org(), Effects="Allow")), "unknown_element"),
        (_policy(_allow({"StringEqual": {"aws:PrincipalOrgID": ORG}})), "unknown_operator"),
        (
            _policy(_allow(_org({"StringLike": {"ses:FromAddress": {"a": 1}}}))),
            "bad_condition_value",
        ),
        (
            _policy(_allow({"StringEquals": {"aws:PrincipalOrgID": ORG}, "StringLike": ["x"]})),
            "bad_condition",
        ),
    ],
)
def test_each_problem_is_an_error(text: str, kind: str) -> None:
    report = lint_policy(text, identity_arn=ARN)
    assert kind in report.kinds(Severity.ERROR), report.to_dict()
    finding = next(f for f in report.errors if f.kind == kind)
    assert finding.message and finding.fix


def test_from_address_with_string_equals_wildcard() -> None:
    text = _policy(
        _allow({"StringEquals": {"aws:PrincipalOrgID": ORG, "ses:FromAddress": "*@example.com"}})
    )
    assert "wildcard_with_string_equals" in _kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (_policy(_allow(_org(), Action="ses:SendEmail")), "send_email_without_raw"),
        (
            _policy(_allow(_org({"StringLike": {"ses:FromAddress": ".*@example.com"}}))),
            "from_address_regex",
        ),
        (
            _policy(_allow(_org({"StringLike": {"ses:FromAddress": "^app@example.com$"}}))),
            "from_address_regex",
        ),
        (_policy(_allow(_org()), version=None), "missing_version"),
        (_policy(_allow(_org()), version="2008-10-17"), "old_version"),
        (_policy(_allow(_org()), _allow(_org())), "duplicate_sid"),
        (
            _policy(_allow(_org(), Principal={"Service": "ses.amazonaws.com"})),
            "non_account_principal",
        ),
        (
            _policy(_allow({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ORG}})),
            "set_operator_on_single_valued_key",
        ),
        (
            _policy(_allow(_org({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}))),
            "unsupported_operator",
        ),
        (_policy({**_allow(_org()), "Effect": "Deny"}), "no_allow"),
    ],
)
def test_each_doubt_is_a_warning(text: str, kind: str) -> None:
    report = lint_policy(text, identity_arn=ARN)
    assert kind in report.kinds(Severity.WARNING), report.to_dict()


def test_deny_is_info_and_deny_principal_star_is_fine() -> None:
    deny = {**_allow(None), "Sid": "D", "Effect": "Deny", "Action": "ses:*"}
    report = lint_policy(_policy(_allow(_subtree()), deny), identity_arn=ARN)
    assert "deny_statement" in report.kinds(Severity.INFO)
    assert report.ok, report.to_dict()


def test_send_wildcard_is_info_only() -> None:
    report = lint_policy(_policy(_allow(_org(), Action="ses:Send*")), identity_arn=ARN)
    assert report.ok and "send_wildcard_action" in report.kinds(Severity.INFO)
    assert "send_email_without_raw" not in report.kinds()


def test_children_only_path_is_allowed() -> None:
    text = _policy(_allow(_subtree("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-*")))
    assert lint_policy(text, identity_arn=ARN).ok
    whole = _policy(_allow(_subtree("o-a1b2c3d4e5/*")))
    assert lint_policy(whole, identity_arn=ARN).ok


def test_principal_account_condition_pins_wildcard_principal() -> None:
    text = _policy(_allow({"StringEquals": {"aws:PrincipalAccount": ["111122223333"]}}))
    assert lint_policy(text, identity_arn=ARN).ok


def test_without_identity_the_resource_must_still_be_an_identity_arn() -> None:
    good = _policy(_allow(_org()))
    assert lint_policy(good).ok
    bad = _policy(_allow(_org(), Resource="arn:aws:s3:::bucket"))
    assert "resource_not_identity" in _kinds(bad, identity=None)


def test_size_over_limit() -> None:
    paths = [f"o-a1b2c3d4e5/r-ab12/ou-ab12-{i:08d}/*" for i in range(120)]
    report = lint_policy(_policy(_allow(_subtree(paths))), identity_arn=ARN)
    finding = next(f for f in report.errors if f.kind == "policy_too_large")
    assert "bytes over" in finding.message and "parent OU" in finding.fix


def test_size_over_limit_only_because_of_whitespace_is_a_warning() -> None:
    paths = [f"o-a1b2c3d4e5/r-ab12/ou-ab12-{i:08d}/*" for i in range(60)]
    text = json.dumps(json.loads(_policy(_allow(_subtree(paths)))), indent=12)
    assert len(text) > 4096
    report = lint_policy(text, identity_arn=ARN)
    assert report.ok and "policy_too_large" in report.kinds(Severity.WARNING)


def test_report_serialises() -> None:
    report = lint_policy(_policy(_allow()), identity_arn=ARN)
    data = report.to_dict()
    assert data["verdict"] == "error"
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "scopes",
    [
        [WholeOrganization(ORG)],
        [OuSubtree(PARENT)],
        [OuDirectMembers(PARENT)],
        [OuSubtree(CHILD), OuDirectMembers(PARENT), Accounts(("111122223333",), ORG)],
        [Accounts(("111122223333", "222233334444"))],
    ],
)
@pytest.mark.parametrize("from_addresses", [[], ["*@example.com", "app@mail.example.com"]])
def test_built_policies_lint_clean(scopes: list[Any], from_addresses: list[str]) -> None:
    report = lint_policy(
        build_policy_json(ARN, scopes, from_addresses=from_addresses), identity_arn=ARN
    )
    assert report.ok and not report.warnings, report.to_dict()
    assert report.kinds(Severity.INFO) <= {"from_address_case_sensitive"}

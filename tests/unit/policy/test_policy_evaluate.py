"""'May account A send as the identity?': IAM semantics on nested OUs and their traps."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sesdmarc_tui.core.policy import (
    Accounts,
    OuDirectMembers,
    OuSubtree,
    PolicyInputError,
    SendRequest,
    WholeOrganization,
    build_policy_json,
    evaluate,
)
from tests.unit.policy.policy_strategies import ARN, CHILD, ORG, OWNER, PARENT, SIBLING

DELEGATE = "444455556666"
OTHER_ORG = "o-zzzzzzzzzz"


def _req(
    path: object = CHILD,
    *,
    org: str | None = ORG,
    account: str = DELEGATE,
    **kwargs: Any,
) -> SendRequest:
    paths = (str(path),) if path is not None else ()
    return SendRequest(account, ARN, org_id=org, org_paths=paths, **kwargs)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _stmt(condition: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
        "Resource": ARN,
    }
    if condition is not None:
        statement["Condition"] = condition
    statement.update(overrides)
    return statement


SUBTREE = build_policy_json(ARN, [OuSubtree(PARENT)])
DIRECT = build_policy_json(ARN, [OuDirectMembers(PARENT)])


def test_child_account_allowed_by_parent_subtree() -> None:
    decision = evaluate({"delegates": SUBTREE}, _req(CHILD))
    assert decision.allowed and decision.outcome == "allowed"
    assert decision.policy_name == "delegates"
    assert decision.statement_sid == "AllowOrgUnitSubtree" and decision.statement_index == 0
    assert "IAM policy must also allow" in decision.reason


def test_parent_direct_account_allowed_by_subtree_and_direct() -> None:
    assert evaluate({"p": SUBTREE}, _req(PARENT)).allowed
    assert evaluate({"p": DIRECT}, _req(PARENT)).allowed


def test_child_account_refused_by_parent_direct_members() -> None:
    decision = evaluate({"p": DIRECT}, _req(CHILD))
    assert not decision.allowed and decision.outcome == "implicit_deny"
    assert decision.statement_sid == "AllowOrgUnitDirectMembers"
    assert "matches none of" in decision.reason


def test_sibling_with_prefix_sharing_id_refused() -> None:
    decision = evaluate({"p": SUBTREE}, _req(SIBLING))
    assert not decision.allowed
    assert "aws:PrincipalOrgPaths" in decision.reason


def test_missing_slash_lets_the_prefix_sibling_in() -> None:
    # The trap the linter reports (org_path_prefix_match), shown end to end.
    broken = SUBTREE.replace("ou-ab12-11111111/*", "ou-ab12-11111111*")
    assert evaluate({"p": broken}, _req(SIBLING)).allowed


def test_account_outside_any_org_refused() -> None:
    decision = evaluate({"p": SUBTREE}, _req(None, org=None))
    assert not decision.allowed
    assert "aws:PrincipalOrgID is not in the request" in decision.reason


def test_other_org_with_same_ou_ids_refused() -> None:
    same_ids = f"{OTHER_ORG}/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"
    decision = evaluate({"p": SUBTREE}, _req(same_ids, org=OTHER_ORG))
    assert not decision.allowed
    assert "aws:PrincipalOrgID" in decision.reason


def test_from_address_restriction() -> None:
    policy = build_policy_json(ARN, [OuSubtree(PARENT)], from_addresses=["app@example.com"])
    assert evaluate({"p": policy}, _req(from_address="app@example.com")).allowed
    refused = evaluate({"p": policy}, _req(from_address="other@example.com"))
    assert not refused.allowed and "ses:FromAddress" in refused.reason
    outside = evaluate({"p": policy}, _req(from_address="app@other.com"))
    assert not outside.allowed and outside.outcome == "from_not_covered"
    # With no From given the key is missing, and StringLike on a missing key is false.
    assert not evaluate({"p": policy}, _req()).allowed


def test_from_address_is_case_sensitive() -> None:
    policy = build_policy_json(ARN, [OuSubtree(PARENT)], from_addresses=["*@example.com"])
    assert evaluate({"p": policy}, _req(from_address="App@example.com")).allowed
    assert not evaluate({"p": policy}, _req(from_address="app@EXAMPLE.com")).allowed


def test_subdomain_from_is_covered_by_domain_identity() -> None:
    assert evaluate({"p": SUBTREE}, _req(from_address="app@mail.example.com")).allowed


def test_explicit_deny_wins() -> None:
    deny = _stmt(
        {"StringEquals": {"aws:PrincipalAccount": DELEGATE}}, Effect="Deny", Sid="NoThisOne"
    )
    policies = {"allow": SUBTREE, "deny": _doc(deny)}
    decision = evaluate(policies, _req())
    assert not decision.allowed and decision.outcome == "explicit_deny"
    assert decision.policy_name == "deny" and decision.statement_sid == "NoThisOne"
    assert evaluate(policies, _req(account="777788889999")).allowed


def test_for_all_values_empty_set_trap() -> None:
    trap = _doc(_stmt({"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*"]}}))
    stranger = evaluate({"p": trap}, _req(None, org=None))
    assert stranger.allowed  # no paths at all: ForAllValues over an empty set is true
    safe = _doc(_stmt({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*"]}}))
    assert not evaluate({"p": safe}, _req(None, org=None)).allowed
    assert evaluate({"p": safe}, _req()).allowed


def test_if_exists_admits_accounts_without_the_key() -> None:
    policy = _doc(_stmt({"StringEqualsIfExists": {"aws:PrincipalOrgID": ORG}}))
    assert evaluate({"p": policy}, _req(None, org=None)).allowed
    assert not evaluate({"p": policy}, _req(f"{OTHER_ORG}/r-ab12/", org=OTHER_ORG)).allowed


def test_negated_operators() -> None:
    not_other = _doc(
        _stmt(
            {
                "StringNotEquals": {"aws:PrincipalOrgID": [OTHER_ORG, "o-yyyyyyyyyy"]},
                "StringEquals": {"aws:PrincipalAccount": DELEGATE},
            }
        )
    )
    assert evaluate({"p": not_other}, _req()).allowed
    assert evaluate({"p": not_other}, _req(None, org=None)).allowed  # missing key: negation true
    assert not evaluate({"p": not_other}, _req(f"{OTHER_ORG}/r-ab12/", org=OTHER_ORG)).allowed
    not_like = _doc(_stmt({"StringNotLike": {"ses:FromAddress": "bounce*@example.com"}}))
    assert evaluate({"p": not_like}, _req(from_address="app@example.com")).allowed
    assert not evaluate({"p": not_like}, _req(from_address="bounce1@example.com")).allowed


def test_question_mark_and_star_globs() -> None:
    policy = _doc(_stmt({"StringLike": {"ses:FromAddress": "app?@*example.com"}}))
    assert evaluate({"p": policy}, _req(from_address="app1@mail.example.com")).allowed
    assert not evaluate({"p": policy}, _req(from_address="app12@example.com")).allowed
    assert not evaluate({"p": policy}, _req(from_address="app@example.com")).allowed


def test_ignore_case_operator_and_null() -> None:
    policy = _doc(_stmt({"StringEqualsIgnoreCase": {"ses:FromAddress": "APP@EXAMPLE.COM"}}))
    assert evaluate({"p": policy}, _req(from_address="app@example.com")).allowed
    null = _doc(_stmt({"Null": {"aws:PrincipalOrgID": "false"}}))
    assert evaluate({"p": null}, _req()).allowed
    assert not evaluate({"p": null}, _req(None, org=None)).allowed


def test_display_name_absent_is_missing_key() -> None:
    policy = _doc(_stmt({"StringLike": {"ses:FromDisplayName": "Marketing*"}}))
    assert not evaluate({"p": policy}, _req()).allowed
    assert evaluate({"p": policy}, _req(from_display_name="Marketing team")).allowed


def test_actions_case_insensitive_and_globbed() -> None:
    policy = _doc(_stmt(Action="SES:send*"))
    for action in ("ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"):
        assert evaluate({"p": policy}, _req(action=action)).allowed
    narrow = _doc(_stmt(Action="ses:SendEmail"))
    decision = evaluate({"p": narrow}, _req(action="ses:SendRawEmail"))
    assert not decision.allowed and "does not cover ses:SendRawEmail" in decision.reason


def test_resource_must_be_this_identity() -> None:
    other = ARN.replace("example.com", "example.org")
    decision = evaluate({"p": _doc(_stmt(Resource=other))}, _req())
    assert not decision.allowed and "is not this identity" in decision.reason


def test_account_principals() -> None:
    by_root = build_policy_json(ARN, [Accounts((DELEGATE,))])
    assert evaluate({"p": by_root}, _req()).allowed
    assert evaluate({"p": by_root}, _req(None, org=None)).allowed  # no org needed
    assert not evaluate({"p": by_root}, _req(account="777788889999")).allowed
    by_id = _doc(_stmt(Principal={"AWS": DELEGATE}))
    assert evaluate({"p": by_id}, _req()).allowed
    with_org = build_policy_json(ARN, [Accounts((DELEGATE,), ORG)])
    assert not evaluate({"p": with_org}, _req(None, org=None)).allowed


def test_role_principal_needs_the_principal_arn() -> None:
    role = f"arn:aws:iam::{DELEGATE}:role/mail/ses-sender"
    policy = _doc(_stmt(Principal={"AWS": [role]}))
    unknown = evaluate({"p": policy}, _req())
    assert not unknown.allowed and "give the sender's ARN" in unknown.reason
    assert evaluate({"p": policy}, _req(principal_arn=role)).allowed
    session = f"arn:aws:sts::{DELEGATE}:assumed-role/ses-sender/test-email"
    assert evaluate({"p": policy}, _req(principal_arn=session)).allowed
    other = f"arn:aws:iam::{DELEGATE}:role/other"
    assert not evaluate({"p": policy}, _req(principal_arn=other)).allowed


def test_not_principal() -> None:
    policy = _doc(
        _stmt({"StringEquals": {"aws:PrincipalOrgID": ORG}}, NotPrincipal={"AWS": DELEGATE})
    )
    del_principal = json.loads(policy)
    del del_principal["Statement"][0]["Principal"]
    text = json.dumps(del_principal)
    assert not evaluate({"p": text}, _req()).allowed
    assert evaluate({"p": text}, _req(account="777788889999")).allowed


def test_unknown_operator_refuses_with_reason() -> None:
    policy = _doc(_stmt({"StringEqual": {"aws:PrincipalOrgID": ORG}}))
    decision = evaluate({"p": policy}, _req())
    assert not decision.allowed and decision.outcome == "unsupported"
    assert "unsupported" in decision.reason and "StringEqual" in decision.reason


@pytest.mark.parametrize(
    "condition",
    [
        {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
        {"StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/*"}},  # set key without set operator
        {"StringEquals": {"ses:FromAddress": "${aws:username}@example.com"}},
        {"ForSomeValues:StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/*"}},
    ],
)
def test_unsupported_conditions(condition: dict[str, Any]) -> None:
    decision = evaluate({"p": _doc(_stmt(condition))}, _req(from_address="app@example.com"))
    assert decision.outcome == "unsupported" and not decision.allowed


def test_unsupported_allow_does_not_hide_a_clean_allow() -> None:
    odd = _doc(_stmt({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}))
    assert evaluate({"a": SUBTREE, "b": odd}, _req()).allowed


def test_unsupported_deny_blocks_a_clean_allow() -> None:
    odd = _doc(_stmt({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}, Effect="Deny"))
    decision = evaluate({"a": SUBTREE, "b": odd}, _req())
    assert not decision.allowed and decision.outcome == "unsupported"
    assert decision.policy_name == "b"


def test_false_condition_outranks_unsupported_one() -> None:
    deny = _stmt(
        {
            "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
            "StringEquals": {"aws:PrincipalAccount": "777788889999"},
        },
        Effect="Deny",
    )
    assert evaluate({"a": SUBTREE, "b": _doc(deny)}, _req()).allowed


def test_unreadable_policy_refuses() -> None:
    decision = evaluate({"broken": "{", "ok": SUBTREE}, _req())
    assert not decision.allowed and decision.outcome == "unsupported"
    assert decision.policy_name == "broken"


def test_no_policy_and_owner() -> None:
    none = evaluate({}, _req())
    assert not none.allowed and "no sending authorization policy" in none.reason
    owner = evaluate({}, _req(None, org=None, account=OWNER))
    assert owner.allowed and owner.outcome == "owner"


def test_policy_documents_accepted_as_mappings() -> None:
    assert evaluate({"p": json.loads(SUBTREE)}, _req()).allowed


def test_trace_lists_every_statement() -> None:
    policy = build_policy_json(ARN, [WholeOrganization(ORG), Accounts((DELEGATE,))])
    decision = evaluate({"p": policy, "q": DIRECT}, _req())
    assert [(r.policy_name, r.index) for r in decision.trace] == [("p", 0), ("p", 1), ("q", 0)]
    assert decision.trace[0].status == "applies"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"account_id": "123"}, "account_id"),
        ({"identity_arn": "example.com"}, "identity_arn"),
        ({"org_id": None, "org_paths": (str(CHILD),)}, "org_paths"),
        ({"org_paths": (f"{OTHER_ORG}/r-ab12/",)}, "org_paths"),
        ({"principal_arn": "arn:aws:iam::777788889999:role/x"}, "principal_arn"),
        ({"action": " "}, "action"),
    ],
)
def test_request_validation(kwargs: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {"account_id": DELEGATE, "identity_arn": ARN, "org_id": ORG}
    with pytest.raises(PolicyInputError) as info:
        SendRequest(**{**base, **kwargs})
    assert info.value.field == field


def test_request_normalises_paths() -> None:
    request = SendRequest(DELEGATE, ARN, org_id=ORG, org_paths=(str(CHILD).rstrip("/"),))
    assert request.org_paths == (str(CHILD),)

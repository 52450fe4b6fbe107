"""Building identity policies: statement shapes, determinism, FromAddress, limits."""

from __future__ import annotations

import json

import pytest

from sesdmarc_tui.core.policy import (
    MAX_POLICY_BYTES,
    Accounts,
    OrgPath,
    OuDirectMembers,
    OuSubtree,
    PolicyInputError,
    PolicyLimitError,
    Scope,
    WholeOrganization,
    build_policy,
    build_policy_json,
    check_policy_count,
    check_policy_size,
    parse_identity_arn,
    policy_json,
    policy_json_pretty,
    require_policy_slot,
    simplify,
    validate_from_pattern,
)
from tests.unit.policy.policy_strategies import ARN, CHILD, ORG, PARENT, SIBLING

SEND = ["ses:SendEmail", "ses:SendRawEmail"]


def _only_statement(policy: dict[str, object]) -> dict[str, object]:
    statements = policy["Statement"]
    assert isinstance(statements, list) and len(statements) == 1
    statement = statements[0]
    assert isinstance(statement, dict)
    return statement


def test_whole_organization() -> None:
    policy = build_policy(ARN, [WholeOrganization(ORG)])
    assert policy["Version"] == "2012-10-17"
    assert _only_statement(policy) == {
        "Sid": "AllowWholeOrganization",
        "Effect": "Allow",
        "Principal": "*",
        "Action": SEND,
        "Resource": ARN,
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}},
    }


def test_ou_subtree_of_parent_uses_slash_star() -> None:
    statement = _only_statement(build_policy(ARN, [OuSubtree(PARENT)]))
    assert statement["Sid"] == "AllowOrgUnitSubtree"
    assert statement["Principal"] == "*"
    assert statement["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": ORG},
        "ForAnyValue:StringLike": {
            "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]
        },
    }


def test_direct_members_use_exact_path() -> None:
    statement = _only_statement(build_policy(ARN, [OuDirectMembers(PARENT)]))
    assert statement["Sid"] == "AllowOrgUnitDirectMembers"
    assert statement["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": ORG},
        "ForAnyValue:StringEquals": {
            "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]
        },
    }


def test_nested_child_ou_subtree() -> None:
    statement = _only_statement(build_policy(ARN, [OuSubtree(CHILD)]))
    condition = statement["Condition"]
    assert isinstance(condition, dict)
    assert condition["ForAnyValue:StringLike"] == {
        "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*"]
    }


def test_accounts_principals_use_identity_partition() -> None:
    gov = "arn:aws-us-gov:ses:us-gov-west-1:999999999999:identity/example.com"
    statement = _only_statement(build_policy(gov, [Accounts(("222233334444", "1111-2222-3333"))]))
    assert statement["Sid"] == "AllowAccounts"
    assert statement["Principal"] == {
        "AWS": [
            "arn:aws-us-gov:iam::111122223333:root",
            "arn:aws-us-gov:iam::222233334444:root",
        ]
    }
    assert "Condition" not in statement


def test_accounts_with_org_check() -> None:
    statement = _only_statement(build_policy(ARN, [Accounts(("111122223333",), ORG)]))
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ORG}}


def test_every_kind_in_fixed_order_with_from_restriction() -> None:
    other_ou = OrgPath(ORG, "r-ab12", ("ou-ab12-33333333",))
    policy = build_policy(
        ARN,
        [
            Accounts(("111122223333",)),
            OuDirectMembers(other_ou),
            OuSubtree(PARENT),
        ],
        from_addresses=["app@example.com", "*@Mail.Example.com"],
    )
    statements = policy["Statement"]
    assert [s["Sid"] for s in statements] == [
        "AllowOrgUnitSubtree",
        "AllowOrgUnitDirectMembers",
        "AllowAccounts",
    ]
    for statement in statements:
        assert statement["Condition"]["StringLike"] == {
            "ses:FromAddress": ["*@mail.example.com", "app@example.com"]
        }
        assert statement["Resource"] == ARN


def test_same_input_gives_byte_identical_json() -> None:
    scopes_a: list[Scope] = [
        OuSubtree(CHILD),
        OuSubtree(SIBLING),
        Accounts(("222233334444", "111122223333")),
    ]
    scopes_b: list[Scope] = [
        Accounts(("111122223333", "222233334444")),
        OuSubtree(SIBLING),
        OuSubtree(CHILD),
    ]
    first = build_policy_json(ARN, scopes_a, from_addresses=["b@example.com", "a@example.com"])
    second = build_policy_json(ARN, scopes_b, from_addresses=["a@example.com", "b@example.com"])
    assert first == second
    assert first == build_policy_json(
        ARN, scopes_a, from_addresses=["b@example.com", "a@example.com"]
    )
    assert " " not in first and "\n" not in first
    assert json.loads(policy_json_pretty(json.loads(first))) == json.loads(first)


def test_covered_scopes_are_dropped() -> None:
    scopes = simplify(
        [OuSubtree(CHILD), OuSubtree(PARENT), OuDirectMembers(CHILD), OuSubtree(PARENT)]
    )
    assert scopes == [OuSubtree(PARENT)]
    # The sibling shares a prefix with the parent's ID but is not below it.
    assert simplify([OuSubtree(PARENT), OuDirectMembers(SIBLING)]) == [
        OuSubtree(PARENT),
        OuDirectMembers(SIBLING),
    ]
    assert simplify([OuSubtree(PARENT), WholeOrganization(ORG)]) == [WholeOrganization(ORG)]


def test_scopes_from_two_organizations_are_refused() -> None:
    other = OrgPath("o-zzzzzzzzzz", "r-ab12", PARENT.ou_ids)
    with pytest.raises(PolicyInputError, match="more than one organization"):
        build_policy(ARN, [OuSubtree(PARENT), OuSubtree(other)])


def test_account_lists_disagreeing_on_org_are_refused() -> None:
    with pytest.raises(PolicyInputError, match="disagree"):
        simplify([Accounts(("111122223333",), ORG), Accounts(("222233334444",))])


def test_no_scope_or_bad_action_refused() -> None:
    with pytest.raises(PolicyInputError, match="No senders"):
        build_policy(ARN, [])
    with pytest.raises(PolicyInputError, match="not an SES send action"):
        build_policy(ARN, [WholeOrganization(ORG)], actions=["ses:*"])
    with pytest.raises(PolicyInputError):
        Accounts(())


def test_actions_are_canonical_and_ordered() -> None:
    statement = _only_statement(
        build_policy(
            ARN,
            [WholeOrganization(ORG)],
            actions=["ses:sendtemplatedemail", "SES:SendRawEmail", "ses:SendEmail"],
        )
    )
    assert statement["Action"] == ["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"]


# --- ses:FromAddress patterns

IDENTITY = parse_identity_arn(ARN)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*@example.com", "*@example.com"),
        ("app@example.com", "app@example.com"),
        ("App@EXAMPLE.com", "App@example.com"),
        ("news-?@example.com", "news-?@example.com"),
        ("*@*.example.com", "*@*.example.com"),
        ("marketing+*@mail.example.com", "marketing+*@mail.example.com"),
    ],
)
def test_from_pattern_valid(pattern: str, expected: str) -> None:
    assert validate_from_pattern(pattern, IDENTITY) == expected


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("marketing+.*@example.com", "regex syntax"),
        ("^app@example.com$", "regex syntax"),
        ("[a-z]+@example.com", "regex syntax"),
        ("app@other.com", "outside the identity"),
        ("app@example.com.evil.com", "outside the identity"),
        ("*@*example.com", "wildcard inside a label"),
        ("app@exam*.com", "wildcard inside a label"),
        ("example.com", "exactly one '@'"),
        ("a@b@example.com", "exactly one '@'"),
        ("app @example.com", "spaces"),
        ("", "empty"),
        ('"a b"@example.com', "spaces"),
    ],
)
def test_from_pattern_invalid(pattern: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_from_pattern(pattern, IDENTITY)
    assert said in info.value.message
    assert "example.com" in info.value.hint


def test_from_pattern_for_address_identity() -> None:
    identity = parse_identity_arn("arn:aws:ses:us-east-1:999999999999:identity/app@example.com")
    assert validate_from_pattern("app@example.com", identity) == "app@example.com"
    with pytest.raises(PolicyInputError, match="address identity"):
        validate_from_pattern("*@mail.example.com", identity)


def test_from_regex_refused_when_building() -> None:
    with pytest.raises(PolicyInputError, match="glob"):
        build_policy(ARN, [WholeOrganization(ORG)], from_addresses=[".*@example.com"])


# --- limits


def _many_ous(count: int) -> list[OuSubtree]:
    return [
        OuSubtree(OrgPath(ORG, "r-ab12", (f"ou-ab12-{i:08d}", f"ou-ab12-{i:08d}aaaaaaaaaaaaaaaa")))
        for i in range(count)
    ]


def test_size_limit_reports_bytes_over_and_suggests_combining() -> None:
    fits = build_policy_json(ARN, _many_ous(10))
    assert len(fits.encode()) <= MAX_POLICY_BYTES
    with pytest.raises(PolicyLimitError) as info:
        build_policy(ARN, _many_ous(80))
    text = policy_json({"x": "y" * 5000})
    over = len(text.encode()) - MAX_POLICY_BYTES
    assert "over the SES limit" in info.value.message
    assert "parent OU" in info.value.hint
    with pytest.raises(PolicyLimitError) as exact:
        check_policy_size(text)
    assert f"{over} bytes over" in exact.value.message
    assert isinstance(exact.value, PolicyInputError)


def test_size_limit_boundary() -> None:
    exactly = '"' + "a" * (MAX_POLICY_BYTES - 2) + '"'
    assert check_policy_size(exactly) == MAX_POLICY_BYTES
    with pytest.raises(PolicyLimitError, match="1 bytes over"):
        check_policy_size(exactly + " ")


def test_policy_count() -> None:
    nineteen = [f"p{i}" for i in range(19)]
    twenty = [*nineteen, "p19"]
    assert check_policy_count(nineteen, "new").allowed
    assert check_policy_count(nineteen, "new").count_after == 20
    full = check_policy_count(twenty, "new")
    assert not full.allowed and not full.is_update and "20" in full.message and full.hint
    update = check_policy_count(twenty, "p3")
    assert update.allowed and update.is_update and update.count_after == 20
    assert not check_policy_count(twenty, "P3").allowed  # names are case-sensitive
    with pytest.raises(PolicyLimitError):
        require_policy_slot(twenty, "new")
    with pytest.raises(PolicyInputError, match="characters SES refuses"):
        check_policy_count([], "bad name")

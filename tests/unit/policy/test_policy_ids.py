"""IDs, ARNs and organization paths: the documented patterns, boundaries and messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sesdmarc_tui.core.policy import (
    OrgPath,
    PolicyInputError,
    parse_identity_arn,
    parse_org_path,
    parse_principal_arn,
    partition_for_region,
    split_account_path,
    validate_account_id,
    validate_configuration_set_arn,
    validate_org_id,
    validate_ou_id,
    validate_partition,
    validate_policy_name,
    validate_region,
    validate_role_arn,
    validate_root_id,
)
from tests.unit.policy.policy_strategies import account_ids, org_paths


@pytest.mark.parametrize(
    "value",
    ["o-" + "a" * 10, "o-" + "z9" * 16, "o-a1b2c3d4e5", " o-a1b2c3d4e5 ", "O-A1B2C3D4E5"],
)
def test_org_id_valid(value: str) -> None:
    assert validate_org_id(value) == value.strip().lower()


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("o-" + "a" * 9, "9 characters where 10 to 32"),
        ("o-" + "a" * 33, "33 characters where 10 to 32"),
        ("o-a1b2c3d4e_", "'_'"),
        ("ou-ab12-11111111", "is an OU ID, not an organization ID"),
        ("r-ab12", "is a root ID"),
        ("111122223333", "is an account ID"),
        ("a1b2c3d4e5", "is not an organization ID"),
        ("", "empty"),
        ("o-a1b2c3d4e5\n", "o-a1b2c3d4e5"),  # stripped: valid
    ],
)
def test_org_id_messages(value: str, said: str) -> None:
    if value.strip() == "o-a1b2c3d4e5":
        assert validate_org_id(value) == "o-a1b2c3d4e5"
        return
    with pytest.raises(PolicyInputError) as info:
        validate_org_id(value)
    assert said in info.value.message
    assert isinstance(info.value, ValueError)
    assert info.value.field == "org_id"
    if value:
        assert "o-a1b2c3d4e5" in info.value.hint  # an example of right


@pytest.mark.parametrize("value", ["r-" + "a" * 4, "r-" + "0" * 32, "r-ab12"])
def test_root_id_valid(value: str) -> None:
    assert validate_root_id(value) == value


@pytest.mark.parametrize(
    "value", ["r-abc", "r-" + "a" * 33, "r-ab-12", "ab12", "o-a1b2c3d4e5", "r-ÄB12"]
)
def test_root_id_invalid(value: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_root_id(value)
    assert "r-ab12" in info.value.hint


@pytest.mark.parametrize(
    "value",
    [
        "ou-" + "a" * 4 + "-" + "b" * 8,
        "ou-" + "a" * 32 + "-" + "b" * 32,
        "ou-ab12-11111111",
        "ou-ab12-111111112",
    ],
)
def test_ou_id_valid(value: str) -> None:
    assert validate_ou_id(value) == value


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("ou-abc-11111111", "3 characters where 4 to 32"),
        ("ou-" + "a" * 33 + "-11111111", "33 characters where 4 to 32"),
        ("ou-ab12-1111111", "7 characters where 8 to 32"),
        ("ou-ab12-" + "1" * 33, "33 characters where 8 to 32"),
        ("ou-ab1211111111", "exactly two parts"),
        ("ou-ab12-1111-1111", "exactly two parts"),
        ("ou-ab12-1111111_", "'_'"),
        ("o-a1b2c3d4e5", "is an organization ID, not an OU ID"),
    ],
)
def test_ou_id_invalid(value: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_ou_id(value)
    assert said in info.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("111122223333", "111122223333"),
        ("1111-2222-3333", "111122223333"),
        (" 012345678901 ", "012345678901"),
    ],
)
def test_account_id_valid(value: str, expected: str) -> None:
    assert validate_account_id(value) == expected


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("11112222333", "has 11 digits"),
        ("1111222233334", "has 13 digits"),
        ("11112222333a", "digits only"),
        ("١١١١٢٢٢٢٣٣٣٣", "digits only"),  # Arabic-Indic digits are not an account ID
        ("arn:aws:iam::111122223333:root", "is an ARN"),
        ("o-a1b2c3d4e5", "is an organization ID"),
    ],
)
def test_account_id_invalid(value: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_account_id(value)
    assert said in info.value.message
    assert "111122223333" in info.value.hint


def test_short_account_id_hints_at_dropped_zeros() -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_account_id("12345678901")
    assert "leading zeros" in info.value.hint


@given(account_ids())
def test_every_twelve_digit_string_is_an_account(account: str) -> None:
    assert validate_account_id(account) == account


@pytest.mark.parametrize("name", ["a", "A" * 64, "delegated-sending_2", "0"])
def test_policy_name_valid(name: str) -> None:
    assert validate_policy_name(name) == name


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "empty"),
        ("a" * 65, "65 characters"),
        ("my policy", "' '"),
        ("pol.icy", "'.'"),
        ("pölicy", "'ö'"),
    ],
)
def test_policy_name_invalid(name: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_policy_name(name)
    assert said in info.value.message


def test_error_str_joins_message_and_hint() -> None:
    with pytest.raises(PolicyInputError) as info:
        validate_root_id("nope")
    assert str(info.value) == f"{info.value.message} {info.value.hint}"


# --- organization paths


def test_org_path_to_string_has_trailing_slash() -> None:
    path = OrgPath("o-a1b2c3d4e5", "r-ab12", ("ou-ab12-11111111", "ou-ab12-22222222"))
    assert path.to_string() == "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"
    assert str(path) == path.to_string()
    assert OrgPath("o-a1b2c3d4e5", "r-ab12").to_string() == "o-a1b2c3d4e5/r-ab12/"


def test_org_path_tree_navigation() -> None:
    root = OrgPath("o-a1b2c3d4e5", "r-ab12")
    parent = root.child("ou-ab12-11111111")
    child = parent.child("ou-ab12-22222222")
    assert child.parent == parent and parent.parent == root and root.parent is None
    assert child.leaf_id == "ou-ab12-22222222" and root.leaf_id == "r-ab12"
    assert parent.contains(child) and parent.contains(parent) and not child.contains(parent)
    assert not parent.contains(OrgPath("o-a1b2c3d4e5", "r-ab12", ("ou-ab12-111111112",)))
    other_org = OrgPath("o-zzzzzzzzzz", "r-ab12", parent.ou_ids)
    assert not parent.contains(other_org)


def test_org_path_refuses_repeated_ou() -> None:
    with pytest.raises(PolicyInputError, match="twice"):
        OrgPath("o-a1b2c3d4e5", "r-ab12", ("ou-ab12-11111111", "ou-ab12-11111111"))


@given(org_paths())
def test_org_path_round_trip(path: OrgPath) -> None:
    text = path.to_string()
    assert text.endswith("/")
    assert parse_org_path(text) == path
    assert parse_org_path(text.rstrip("/")) == path  # typed without the slash


@given(org_paths(), account_ids())
def test_account_path_round_trip(path: OrgPath, account: str) -> None:
    assert split_account_path(f"{path.to_string()}{account}/") == (path, account)
    assert parse_org_path(f"{path.to_string()}{account}/") == path
    assert split_account_path(path.to_string()) == (path, None)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "wildcard"),
        ("o-a1b2c3d4e5//ou-ab12-11111111/", "empty segment"),
        ("/o-a1b2c3d4e5/r-ab12/", "empty segment"),
        ("o-a1b2c3d4e5", "needs the organization and root IDs"),
        ("r-ab12/o-a1b2c3d4e5/", "Segment 1"),
        ("o-a1b2c3d4e5/ou-ab12-11111111/", "Segment 2"),
        ("o-a1b2c3d4e5/r-ab12/ou-ab12-1111/", "Segment 3"),
        ("o-a1b2c3d4e5/r-ab12/111122223333/ou-ab12-11111111/", "Segment 3"),
    ],
)
def test_org_path_invalid(text: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        parse_org_path(text)
    assert said in info.value.message
    assert "o-a1b2c3d4e5/r-ab12/" in info.value.hint


def test_org_path_accepts_organizations_paths_format() -> None:
    # Account.Paths as Organizations returns it: the OU chain then the account, slash-terminated.
    path, account = split_account_path("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/111122223333/")
    assert account == "111122223333"
    assert path.ou_ids == ("ou-ab12-11111111",)
    root_member, acct = split_account_path("o-a1b2c3d4e5/r-ab12/111122223333/")
    assert root_member.ou_ids == () and acct == "111122223333"


# --- partitions, regions, ARNs


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("ap-southeast-5", "aws"),
        ("cn-north-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"),
        ("us-isof-south-1", "aws-iso-f"),
        ("eusc-de-east-1", "aws-eusc"),
    ],
)
def test_region_partition(region: str, partition: str) -> None:
    assert validate_region(region, partition) == region
    assert partition_for_region(region) == partition


@pytest.mark.parametrize(
    "region", ["US East (N. Virginia)", "useast1", "us-east", "us-east-1a", ""]
)
def test_region_invalid(region: str) -> None:
    with pytest.raises(PolicyInputError, match="not an AWS region"):
        validate_region(region)


def test_region_in_wrong_partition() -> None:
    with pytest.raises(PolicyInputError, match="aws-cn"):
        validate_region("cn-north-1", "aws")


def test_partition() -> None:
    assert validate_partition("aws-us-gov") == "aws-us-gov"
    with pytest.raises(PolicyInputError, match="not an AWS partition"):
        validate_partition("azure")


def test_identity_arn_parse() -> None:
    arn = parse_identity_arn("arn:aws:ses:eu-west-1:111122223333:identity/Example.COM")
    assert (arn.partition, arn.region, arn.account_id, arn.name) == (
        "aws",
        "eu-west-1",
        "111122223333",
        "example.com",
    )
    assert arn.is_domain and arn.domain == "example.com"
    assert arn.to_string() == "arn:aws:ses:eu-west-1:111122223333:identity/example.com"
    address = parse_identity_arn("arn:aws-cn:ses:cn-north-1:111122223333:identity/App@example.com")
    assert not address.is_domain and address.name == "App@example.com"
    assert address.domain == "example.com"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("example.com", "not an ARN"),
        ("arn:aws:ses:us-east-1:111122223333", "six"),
        ("arn:aws:sns:us-east-1:111122223333:identity/example.com", "'sns' service"),
        ("arn:aws:ses:us-east-1:111122223333:configuration-set/x", "'configuration-set'"),
        ("arn:aws:ses:us-east-1:11112222333:identity/example.com", "11 digits"),
        ("arn:aws:ses:cn-north-1:111122223333:identity/example.com", "aws-cn"),
        ("arn:aws:ses:us-east-1:111122223333:identity/exa mple.com", "not a domain"),
        ("arn:aws:ses:us-east-1:111122223333:identity/com", "not a domain"),
        ("arn:aws:ses:us-east-1:111122223333:identity/a b@example.com", "not a valid email"),
        ("arn:aws:ses:us-east-1:111122223333:identity/.a@example.com", "not a valid email"),
    ],
)
def test_identity_arn_invalid(text: str, said: str) -> None:
    with pytest.raises(PolicyInputError) as info:
        parse_identity_arn(text)
    assert said in info.value.message
    assert info.value.hint


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("arn:aws:iam::111122223333:root", "root", ""),
        ("arn:aws:iam::111122223333:role/ses-sender", "role", "ses-sender"),
        ("arn:aws:iam::111122223333:role/team/mail/ses-sender", "role", "ses-sender"),
        ("arn:aws:iam::111122223333:user/alice", "user", "alice"),
        (
            "arn:aws:sts::111122223333:assumed-role/ses-sender/session-1",
            "assumed-role",
            "ses-sender",
        ),
    ],
)
def test_principal_arns(text: str, kind: str, name: str) -> None:
    principal = parse_principal_arn(text)
    assert (principal.kind, principal.name, principal.account_id) == (kind, name, "111122223333")
    assert principal.to_string() == text


def test_role_arn() -> None:
    role = validate_role_arn("arn:aws:iam::111122223333:role/path/ses-sender")
    assert role.path == "/path/" and role.name == "ses-sender"
    with pytest.raises(PolicyInputError, match="user ARN, not a role"):
        validate_role_arn("arn:aws:iam::111122223333:user/alice")
    for bad in (
        "arn:aws:iam::111122223333:role/",
        "arn:aws:iam:us-east-1:111122223333:role/x",
        "arn:aws:iam::111122223333:group/x",
        "arn:aws:s3:::bucket",
    ):
        with pytest.raises(PolicyInputError):
            validate_role_arn(bad)


def test_configuration_set_arn() -> None:
    text = "arn:aws:ses:us-east-1:111122223333:configuration-set/delegated_1"
    assert validate_configuration_set_arn(text) == text
    with pytest.raises(PolicyInputError, match="configuration-set ARN"):
        validate_configuration_set_arn("arn:aws:ses:us-east-1:111122223333:identity/example.com")


@given(st.text(max_size=40))
def test_validators_never_raise_anything_but_policy_input_error(text: str) -> None:
    for check in (
        validate_org_id,
        validate_root_id,
        validate_ou_id,
        validate_account_id,
        validate_policy_name,
        parse_org_path,
        parse_identity_arn,
        parse_principal_arn,
    ):
        try:
            check(text)
        except PolicyInputError as exc:
            assert exc.message

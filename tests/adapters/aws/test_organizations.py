"""The Organizations tree over moto: lazy loading, pagination, computed org paths, fallbacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.stub import Stubber

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.organizations import OrgTree, validate_typed_ids
from sesdmarc_tui.aws.session import AwsSession
from tests.adapters.aws._support import count_calls


@dataclass
class Org:
    id: str
    root: str
    marketing: str
    campaigns: str
    root_accounts: list[str]
    marketing_account: str
    campaign_account: str


def _account(client: Any, name: str, parent: str, root: str) -> str:
    status = client.create_account(Email=f"{name}@example.com", AccountName=name)[
        "CreateAccountStatus"
    ]
    account_id = str(status["AccountId"])
    if parent != root:
        client.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    return account_id


@pytest.fixture
def org(owner: AwsSession) -> Org:
    """root > Marketing > Campaigns, accounts at each level (root holds 3 plus the manager)."""
    client = owner.client("organizations")
    org_id = client.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = client.list_roots()["Roots"][0]["Id"]
    marketing = client.create_organizational_unit(ParentId=root, Name="Marketing")
    marketing_id = marketing["OrganizationalUnit"]["Id"]
    campaigns = client.create_organizational_unit(ParentId=marketing_id, Name="Campaigns")
    campaigns_id = campaigns["OrganizationalUnit"]["Id"]
    root_accounts = [_account(client, f"shared{i}", root, root) for i in range(3)]
    return Org(
        id=org_id,
        root=root,
        marketing=marketing_id,
        campaigns=campaigns_id,
        root_accounts=root_accounts,
        marketing_account=_account(client, "brand", marketing_id, root),
        campaign_account=_account(client, "promo", campaigns_id, root),
    )


def test_tree_is_loaded_lazily_with_paths(owner: AwsSession, org: Org) -> None:
    calls = count_calls(owner.client("organizations"), "organizations")
    tree = OrgTree(owner)
    assert calls == []  # nothing until asked
    access = tree.load()
    assert access.tree_available and access.organization is not None
    assert access.organization.id == org.id and access.organization.all_features
    [root] = tree.roots()
    assert root.path_string == f"{org.id}/{org.root}/"
    assert calls == ["DescribeOrganization", "ListRoots"]

    top = tree.children(root.id)
    assert [n.type for n in top][:1] == ["ORGANIZATIONAL_UNIT"]
    marketing = top[0]
    assert marketing.name == "Marketing"
    assert marketing.path_string == f"{org.id}/{org.root}/{org.marketing}/"
    accounts = [n for n in top if n.is_account]
    assert {a.id for a in accounts} >= set(org.root_accounts)
    assert all(a.path_string == f"{org.id}/{org.root}/" for a in accounts)

    below = tree.children(org.marketing)
    campaigns = next(n for n in below if n.id == org.campaigns)
    assert campaigns.path_string == f"{org.id}/{org.root}/{org.marketing}/{org.campaigns}/"
    [promo] = tree.children(org.campaigns)
    assert promo.id == org.campaign_account and promo.email == "promo@example.com"
    assert promo.path_string == campaigns.path_string  # an account's aws:PrincipalOrgPaths value
    assert "ListParents" not in calls  # walking down needs no parent lookups

    before = len(calls)
    tree.children(org.marketing)
    assert len(calls) == before  # cached per parent


def test_small_pages_are_followed(owner: AwsSession, org: Org) -> None:
    calls = count_calls(owner.client("organizations"), "organizations")
    tree = OrgTree(owner, page_size=2)
    tree.load()
    accounts = [n for n in tree.children(org.root) if n.is_account]
    assert len(accounts) == 4  # 3 created + the management account
    assert calls.count("ListAccountsForParent") == 2  # 4 accounts, 2 per page


def test_path_of_a_nested_account_through_list_parents(owner: AwsSession, org: Org) -> None:
    calls = count_calls(owner.client("organizations"), "organizations")
    tree = OrgTree(owner)
    path = tree.path_of_account(org.campaign_account)
    assert path.to_string() == f"{org.id}/{org.root}/{org.marketing}/{org.campaigns}/"
    assert calls.count("ListParents") == 3  # account -> Campaigns -> Marketing -> root
    assert tree.path_of_account(org.marketing_account).to_string() == (
        f"{org.id}/{org.root}/{org.marketing}/"
    )
    assert calls.count("ListParents") == 4  # Marketing's path came from the cache
    assert tree.path_of(org.campaigns).ou_ids == (org.marketing, org.campaigns)


def test_account_outside_any_organization_falls_back_to_typed_ids(
    owner: AwsSession, org: Org
) -> None:
    outsider = owner.assume_role("arn:aws:iam::333333333333:role/OrganizationAccountAccessRole")
    access = OrgTree(outsider).load()
    assert access.state == "not_in_organization"
    assert not access.tree_available and access.organization is None
    assert "Type the IDs instead" in access.reason


def test_no_organization_at_all(owner: AwsSession) -> None:
    tree = OrgTree(owner)
    assert tree.load().state == "not_in_organization"
    with pytest.raises(AwsError) as info:
        tree.roots()
    assert info.value.kind is ErrorKind.NOT_IN_ORGANIZATION


def test_member_account_sees_the_organization(owner: AwsSession, org: Org) -> None:
    member = owner.assume_role(
        f"arn:aws:iam::{org.marketing_account}:role/OrganizationAccountAccessRole"
    )
    access = OrgTree(member).load()
    assert access.organization is not None and access.organization.id == org.id


def test_validate_typed_ids(org: Org) -> None:
    good = validate_typed_ids(
        org_id=org.id.upper(),
        paths=[f"{org.id}/{org.root}/{org.marketing}"],
        ou_ids=[org.campaigns],
        account_ids=["1111-2222-3333"],
    )
    assert good.ok
    assert good.org_id == org.id
    assert good.paths[0].to_string() == f"{org.id}/{org.root}/{org.marketing}/"
    assert good.account_ids == ("111122223333",)

    bad = validate_typed_ids(
        org_id="o-short",
        paths=["o-zzzzzzzzzz/r-ab12/", "nonsense"],
        ou_ids=["ou-12"],
        account_ids=["12345"],
    )
    assert not bad.ok
    assert set(bad.problems) == {
        "organization ID 'o-short'",
        "path 'nonsense'",
        "OU ID 'ou-12'",
        "account ID '12345'",
    }
    mismatch = validate_typed_ids(org_id=org.id, paths=["o-zzzzzzzzzz/r-ab12/"])
    assert "belongs to o-zzzzzzzzzz" in mismatch.problems["path 'o-zzzzzzzzzz/r-ab12/'"]


def test_member_without_list_rights_keeps_the_org_id(offline_session: AwsSession) -> None:
    # Real AWS lets any member describe the organization but only the management account
    # (or a delegated admin) list it: moto does not enforce that, so the Stubber plays AWS.
    with Stubber(offline_session.client("organizations")) as stub:
        stub.add_response(
            "describe_organization",
            {
                "Organization": {
                    "Id": "o-a1b2c3d4e5",
                    "FeatureSet": "ALL",
                    "MasterAccountId": "111122223333",
                }
            },
            {},
        )
        stub.add_client_error(
            "list_roots",
            "AccessDeniedException",
            "You don't have permissions to access this resource.",
            403,
        )
        access = OrgTree(offline_session).load()
    assert access.state == "access_denied"
    assert access.organization is not None and access.organization.id == "o-a1b2c3d4e5"
    assert access.error is not None and "organizations:ListRoots" in access.error.remedy
    assert access.reason.startswith("Access denied")


def test_api_paths_are_used_when_present(offline_session: AwsSession) -> None:
    with Stubber(offline_session.client("organizations")) as stub:
        stub.add_response("describe_organization", {"Organization": {"Id": "o-a1b2c3d4e5"}}, {})
        stub.add_response("list_roots", {"Roots": [{"Id": "r-ab12", "Name": "Root"}]}, {})
        stub.add_response(
            "list_organizational_units_for_parent",
            {
                "OrganizationalUnits": [
                    {
                        "Id": "ou-ab12-11111111",
                        "Name": "Marketing",
                        "Path": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
                    }
                ]
            },
            {"ParentId": "r-ab12"},
        )
        stub.add_response(
            "list_accounts_for_parent",
            {
                "Accounts": [
                    {
                        "Id": "111122223333",
                        "Name": "mgmt",
                        "State": "ACTIVE",
                        "Paths": ["o-a1b2c3d4e5/r-ab12/111122223333/"],
                    }
                ]
            },
            {"ParentId": "r-ab12"},
        )
        tree = OrgTree(offline_session)
        tree.load()
        ou, account = tree.children("r-ab12")
    assert ou.path_string == "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
    assert account.path_string == "o-a1b2c3d4e5/r-ab12/"  # the account segment is dropped
    assert account.state == "ACTIVE"

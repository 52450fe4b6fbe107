"""Who the Authorization step lets send: scopes from the organization tree or typed IDs.

The tree is read from the owner's session when it is the management account (or a delegated
administrator); otherwise the operator types IDs, and OU scopes then need the full org path
(``o-.../r-.../ou-.../``), because only the tree can turn an OU ID into a path.
"""

from __future__ import annotations

from collections.abc import Mapping

from sesdmarc_tui.aws.errors import AwsError
from sesdmarc_tui.aws.organizations import OrgNode, OrgTree
from sesdmarc_tui.core.policy import (
    Accounts,
    Decision,
    OuDirectMembers,
    OuSubtree,
    Scope,
    SendRequest,
    WholeOrganization,
    evaluate,
    parse_org_path,
)
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import Choice, FlowError, split_multi
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    ACCOUNTS,
    AUTHORIZATION,
    domain_of,
    identity_arn,
    owner,
    owner_ses,
)

SCOPES = (
    Choice("organization", "The whole organization", "Every account in the organization."),
    Choice("ou_subtree", "OUs and everything below", "Accounts in the chosen OUs, at any depth."),
    Choice("ou_direct", "OUs, direct members only", "Only accounts placed directly in the OUs."),
    Choice("accounts", "Listed accounts", "Only the account IDs you list."),
)
MAX_TREE_NODES = 500


def org_tree(ctx: FlowContext, state: SessionState) -> OrgTree:
    return OrgTree(owner(ctx, state))


def walk(tree: OrgTree, limit: int = MAX_TREE_NODES) -> list[OrgNode]:
    """Every OU and account, breadth first, up to ``limit`` nodes (an operator picks from it)."""
    if not tree.load().tree_available:
        return []
    found: list[OrgNode] = []
    queue = list(tree.roots())
    while queue and len(found) < limit:
        node = queue.pop(0)
        if node.type != "ROOT":
            found.append(node)
        if not node.is_account:
            queue.extend(tree.children(node.id))
    return found


def target_choices(ctx: FlowContext, state: SessionState) -> list[Choice]:
    """The OUs or accounts to pick from, depending on the chosen scope."""
    scope = state.value(AUTHORIZATION, "scope")
    nodes = walk(org_tree(ctx, state))
    if scope == "accounts":
        return [Choice(n.id, f"{n.name} ({n.id})", n.path_string) for n in nodes if n.is_account]
    return [
        Choice(n.id, f"{n.name} ({n.id})", n.path_string)
        for n in nodes
        if n.type == "ORGANIZATIONAL_UNIT"
    ]


def organization_id(ctx: FlowContext, state: SessionState, tree: OrgTree | None) -> str | None:
    known = state.resource(ACCOUNTS, "organization_id")
    if isinstance(known, str):
        return known
    if tree is not None:
        info = tree.load().organization
        return info.id if info is not None else None
    return None


def build_scopes(ctx: FlowContext, state: SessionState, tree: OrgTree | None) -> list[Scope]:
    """The scopes the inputs describe; ``ValueError``/``FlowError`` saying what is missing."""
    inputs = state.inputs(AUTHORIZATION)
    scope = inputs.get("scope") or "organization"
    targets = split_multi(inputs.get("targets", ""))
    org_id = organization_id(ctx, state, tree)
    if scope == "organization":
        if org_id is None:
            raise FlowError(
                "The owner's account is in no organization.",
                "Choose 'Listed accounts' and type the delegates' account IDs.",
            )
        return [WholeOrganization(org_id)]
    if not targets:
        what = "account IDs" if scope == "accounts" else "OUs"
        raise FlowError(f"No {what} were chosen.", "Pick at least one, or choose another scope.")
    if scope == "accounts":
        return [Accounts(tuple(targets), org_id)]
    scopes: list[Scope] = []
    for target in targets:
        if "/" in target:
            path = parse_org_path(target)
        elif tree is not None and tree.load().tree_available:
            path = tree.path_of(target)
        else:
            # Say why (the refused call names the permission), not only what to type instead.
            denied = tree.load().error if tree is not None else None
            raise FlowError(
                f"The path of {target} cannot be read from the organization tree"
                + (f": {denied.message}" if denied is not None else "."),
                "Type the OU's full path instead, such as o-abc123defg/r-ab12/ou-ab12-cdef3456/"
                + (f"; or: {denied.remedy}" if denied is not None else "."),
            )
        scopes.append(OuSubtree(path) if scope == "ou_subtree" else OuDirectMembers(path))
    return scopes


def who_may_send(
    ctx: FlowContext,
    state: SessionState,
    account_id: str,
    *,
    from_address: str | None = None,
    policies: Mapping[str, str] | None = None,
) -> Decision:
    """May ``account_id`` send as the identity? The live policies unless ``policies`` is given.

    The account's org path comes from the tree when the owner can read it; without it, path
    conditions cannot match and the answer says so through the evaluator's trace.
    """
    tree = org_tree(ctx, state)
    access = tree.load()
    org_id = organization_id(ctx, state, tree)
    paths: tuple[str, ...] = ()
    if access.tree_available:
        try:
            paths = (tree.path_of_account(account_id).to_string(),)
        except AwsError:
            # The management account can list every member: not found means not a member.
            org_id = None
    live = (
        policies if policies is not None else owner_ses(ctx, state).get_policies(domain_of(state))
    )
    request = SendRequest(
        account_id=account_id,
        identity_arn=identity_arn(state),
        org_id=org_id,
        org_paths=paths,
        from_address=from_address,
    )
    return evaluate(live, request)

"""Random organization trees: built policies lint clean and allow exactly the chosen scope."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.policy import (
    Accounts,
    OrgPath,
    OuDirectMembers,
    OuSubtree,
    PolicyLimitError,
    Scope,
    SendRequest,
    Severity,
    WholeOrganization,
    build_policy_json,
    evaluate,
    lint_policy,
)
from tests.unit.policy.policy_strategies import ARN, Tree, account_ids, org_ids, org_trees

# From patterns and which sample addresses each admits, written out by hand so the oracle
# does not reuse the glob matcher under test.
FROM_TABLE = {
    "*@example.com": {"app@example.com", "other@example.com"},
    "app@example.com": {"app@example.com"},
    "*@*.example.com": {"app@mail.example.com"},
}
FROM_SAMPLES = ("app@example.com", "other@example.com", "app@mail.example.com")


@st.composite
def selections(draw: st.DrawFn) -> tuple[Tree, list[Scope], list[str], list[str]]:
    tree = draw(org_trees())
    nodes = [tree.root, *tree.ous]
    scopes: list[Scope] = []
    if draw(st.integers(0, 9)) == 0:
        scopes.append(WholeOrganization(tree.org_id))
    scopes += [OuSubtree(p) for p in draw(st.lists(st.sampled_from(nodes), max_size=3))]
    scopes += [OuDirectMembers(p) for p in draw(st.lists(st.sampled_from(nodes), max_size=3))]
    outsiders = draw(st.lists(account_ids(), max_size=3, unique=True))
    outsiders = [a for a in outsiders if a not in tree.members]
    listed = draw(st.lists(st.sampled_from(sorted(tree.members)), max_size=2)) + outsiders[:1]
    if listed:
        scopes.append(Accounts(tuple(listed), tree.org_id if draw(st.booleans()) else None))
    if not scopes:
        scopes.append(OuSubtree(draw(st.sampled_from(nodes))))
    patterns = draw(st.lists(st.sampled_from(sorted(FROM_TABLE)), max_size=2, unique=True))
    return tree, scopes, patterns, outsiders


def _below(node: OrgPath, top: OrgPath) -> bool:
    # Written independently of OrgPath.contains: same org, same root, OU chain starts with top's.
    return (node.org_id, node.root_id) == (top.org_id, top.root_id) and list(
        node.ou_ids[: len(top.ou_ids)]
    ) == list(top.ou_ids)


def _expected(scopes: list[Scope], account: str, org: str | None, node: OrgPath | None) -> bool:
    for scope in scopes:
        if isinstance(scope, WholeOrganization) and org == scope.org_id:
            return True
        if isinstance(scope, OuSubtree) and node is not None and _below(node, scope.path):
            return True
        if isinstance(scope, OuDirectMembers) and node == scope.path:
            return True
        if (
            isinstance(scope, Accounts)
            and account in scope.ids
            and (scope.org_id is None or scope.org_id == org)
        ):
            return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selections(), org_ids())
def test_built_policy_lints_clean_and_allows_exactly_the_scope(
    selection: tuple[Tree, list[Scope], list[str], list[str]], twin_org: str
) -> None:
    tree, scopes, patterns, outsiders = selection
    try:
        text = build_policy_json(ARN, scopes, from_addresses=patterns)
    except PolicyLimitError:
        return
    report = lint_policy(text, identity_arn=ARN)
    assert not report.errors and not report.warnings, report.to_dict()
    assert report.kinds(Severity.INFO) <= {"from_address_case_sensitive"}
    policies = {"delegates": text}
    allowed_from = set().union(*(FROM_TABLE[p] for p in patterns)) if patterns else None
    # Members of the org; the same tree under another org ID (same root and OU IDs);
    # accounts in no organization.
    cases: list[tuple[str, str | None, OrgPath | None]] = [
        (a, tree.org_id, node) for a, node in tree.members.items()
    ]
    if twin_org != tree.org_id:
        cases += [
            (a, twin_org, OrgPath(twin_org, node.root_id, node.ou_ids))
            for a, node in tree.members.items()
        ]
    cases += [(a, None, None) for a in outsiders]
    for account, org, node in cases:
        in_scope = _expected(scopes, account, org, node)
        for sender in FROM_SAMPLES:
            request = SendRequest(
                account,
                ARN,
                org_id=org,
                org_paths=(node.to_string(),) if node else (),
                from_address=sender,
            )
            decision = evaluate(policies, request)
            expected = in_scope and (allowed_from is None or sender in allowed_from)
            assert decision.allowed == expected, (account, org, node, sender, decision.reason, text)
            assert decision.reason


@settings(max_examples=40, deadline=None)
@given(org_trees())
def test_subtree_of_root_equals_whole_org(tree: Tree) -> None:
    whole = build_policy_json(ARN, [WholeOrganization(tree.org_id)])
    root = build_policy_json(ARN, [OuSubtree(tree.root)])
    for account, node in tree.members.items():
        request = SendRequest(account, ARN, org_id=tree.org_id, org_paths=(node.to_string(),))
        assert evaluate({"p": whole}, request).allowed
        assert evaluate({"p": root}, request).allowed

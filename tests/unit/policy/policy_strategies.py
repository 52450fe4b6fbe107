"""Hypothesis strategies and fixtures shared by the policy tests (IDs, org trees)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from sesdmarc_tui.core.policy import OrgPath

LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
OWNER = "999999999999"
ARN = f"arn:aws:ses:us-east-1:{OWNER}:identity/example.com"
ORG = "o-a1b2c3d4e5"
ROOT = "r-ab12"
PARENT = OrgPath(ORG, ROOT, ("ou-ab12-11111111",))
CHILD = PARENT.child("ou-ab12-22222222")
# Shares the parent's ID as a prefix: only the trailing '/' keeps it out of the subtree.
SIBLING = OrgPath(ORG, ROOT, ("ou-ab12-111111112",))


def _body(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.text(LOWER_ALNUM, min_size=lo, max_size=hi)


def org_ids() -> st.SearchStrategy[str]:
    return _body(10, 32).map(lambda b: "o-" + b)


def root_ids() -> st.SearchStrategy[str]:
    return _body(4, 32).map(lambda b: "r-" + b)


def ou_ids() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: f"ou-{a}-{b}", _body(4, 32), _body(8, 32))


def account_ids() -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=12, max_size=12).filter(lambda a: a != OWNER)


def org_paths() -> st.SearchStrategy[OrgPath]:
    return st.builds(
        OrgPath, org_ids(), root_ids(), st.lists(ou_ids(), max_size=5, unique=True).map(tuple)
    )


@dataclass(frozen=True)
class Tree:
    org_id: str
    root: OrgPath
    ous: tuple[OrgPath, ...]
    members: dict[str, OrgPath]  # account -> the node (root or OU) that holds it directly


@st.composite
def org_trees(draw: st.DrawFn) -> Tree:
    org = draw(org_ids())
    root = OrgPath(org, draw(root_ids()))
    ous: list[OrgPath] = []
    used: set[str] = set()
    for _ in range(draw(st.integers(1, 6))):
        parent = draw(st.sampled_from([root, *[p for p in ous if len(p.ou_ids) < 5]]))
        extend: bool = draw(st.booleans()) if ous else False
        if extend:
            # A sibling whose ID extends another's: where a missing '/' before '*' bites.
            base = draw(st.sampled_from(ous))
            parent = base.parent or root
            new = base.leaf_id + draw(st.sampled_from(LOWER_ALNUM))
            if len(new.split("-")[2]) > 32:
                continue
        else:
            new = draw(ou_ids())
        if new in used:
            continue
        used.add(new)
        ous.append(parent.child(new))
    nodes = [root, *ous]
    accounts = draw(st.lists(account_ids(), min_size=1, max_size=8, unique=True))
    members = {a: draw(st.sampled_from(nodes)) for a in accounts}
    return Tree(org, root, tuple(ous), members)

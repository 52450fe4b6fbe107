"""Who may send: the scopes an operator picks on the organization tree, or types as IDs.

Each scope knows the condition value it contributes to an identity policy. The path values
follow the IAM documentation for ``aws:PrincipalOrgPaths``: the path string already ends in
``/``, so a subtree is ``<path>*`` (never ``<path-without-slash>*``, which would also match
sibling OUs whose IDs share a prefix).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.ids import OrgPath, validate_account_id, validate_org_id


@dataclass(frozen=True)
class WholeOrganization:
    """Every account in the organization."""

    org_id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_id", validate_org_id(self.org_id))

    def describe(self) -> str:
        return f"every account in the organization {self.org_id}"


@dataclass(frozen=True)
class OuSubtree:
    """An OU and every OU below it, at any depth."""

    path: OrgPath

    @property
    def org_id(self) -> str:
        return self.path.org_id

    def path_value(self) -> str:
        return self.path.to_string() + "*"

    def describe(self) -> str:
        return f"accounts in {self.path.leaf_id} and in every OU below it"


@dataclass(frozen=True)
class OuDirectMembers:
    """Only the accounts placed directly in the OU (child OUs excluded)."""

    path: OrgPath

    @property
    def org_id(self) -> str:
        return self.path.org_id

    def path_value(self) -> str:
        return self.path.to_string()

    def describe(self) -> str:
        return f"accounts placed directly in {self.path.leaf_id} (not its child OUs)"


@dataclass(frozen=True)
class Accounts:
    """Explicit account IDs; ``org_id`` adds an organization check when the accounts share one."""

    ids: tuple[str, ...]
    org_id: str | None = None

    def __post_init__(self) -> None:
        ids = tuple(sorted({validate_account_id(i) for i in self.ids}))
        if not ids:
            raise PolicyInputError(
                "No account IDs were given.",
                "Type at least one 12-digit account ID.",
                field="accounts",
            )
        object.__setattr__(self, "ids", ids)
        if self.org_id is not None:
            object.__setattr__(self, "org_id", validate_org_id(self.org_id))

    def describe(self) -> str:
        return "the account" + ("s " if len(self.ids) > 1 else " ") + ", ".join(self.ids)


Scope = WholeOrganization | OuSubtree | OuDirectMembers | Accounts
OrgScope = WholeOrganization | OuSubtree | OuDirectMembers


def accounts(ids: Iterable[str], org_id: str | None = None) -> Accounts:
    return Accounts(tuple(ids), org_id)


def organization_of(scopes: Sequence[Scope]) -> str | None:
    """The one organization the org and OU scopes share; refuse a mix.

    OU and root IDs are unique only inside an organization, so a policy whose OU scopes came
    from two organizations cannot be checked against the tree the operator looked at.
    """
    orgs = sorted({s.org_id for s in scopes if not isinstance(s, Accounts)})
    if len(orgs) > 1:
        raise PolicyInputError(
            f"The scopes come from more than one organization ({', '.join(orgs)}).",
            "Build one policy per organization, or list outside accounts as account IDs.",
            field="scopes",
        )
    return orgs[0] if orgs else None


def simplify(scopes: Sequence[Scope]) -> list[Scope]:
    """Drop duplicates and scopes another scope already covers; merge account lists.

    The result is canonical (sorted, one ``Accounts`` at most), so equal selections build
    byte-identical policies, and covered OUs don't spend the 4 KB policy budget.
    """
    org_id = organization_of(scopes)
    whole = any(isinstance(s, WholeOrganization) for s in scopes)
    subtrees = sorted({s.path for s in scopes if isinstance(s, OuSubtree)})
    directs = sorted({s.path for s in scopes if isinstance(s, OuDirectMembers)})
    result: list[Scope] = []
    if whole and org_id is not None:
        result.append(WholeOrganization(org_id))
    else:
        kept = [p for p in subtrees if not any(q != p and q.contains(p) for q in subtrees)]
        result.extend(OuSubtree(p) for p in kept)
        result.extend(OuDirectMembers(p) for p in directs if not any(q.contains(p) for q in kept))
    account_scopes = [s for s in scopes if isinstance(s, Accounts)]
    if account_scopes:
        ids = sorted({i for s in account_scopes for i in s.ids})
        account_orgs = {s.org_id for s in account_scopes}
        if len(account_orgs) > 1:
            # Merging would drop the org check from one list and so widen it: refuse instead.
            raise PolicyInputError(
                "The account lists disagree on the organization check "
                f"({', '.join(sorted(str(o) for o in account_orgs))}).",
                "Give every account list the same organization ID, or none.",
                field="accounts",
            )
        result.append(Accounts(tuple(ids), account_orgs.pop()))
    return result

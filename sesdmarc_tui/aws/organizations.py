"""The AWS Organizations tree, loaded lazily, with the org path of every node.

Only the management account (or a delegated administrator) may list the tree; any member may
call DescribeOrganization. So :meth:`OrgTree.load` reports an :class:`OrgAccess` state instead
of raising: ``not_in_organization`` or ``access_denied`` tell the UI to fall back to typed IDs
(checked by :func:`validate_typed_ids`), often with the organization ID already known.

Paths: newer API responses carry ``OrganizationalUnit.Path``/``Account.Paths``; older botocore
and moto do not, so a path is otherwise built from the parent's path while walking down, or
from the ``ListParents`` chain (cached) for a node reached directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.ids import (
    OrgPath,
    parse_org_path,
    validate_account_id,
    validate_org_id,
    validate_ou_id,
)

SERVICE = "organizations"
NodeType = Literal["ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"]
AccessState = Literal["available", "not_in_organization", "access_denied", "error"]
# A child has one parent and OUs nest at most five deep; this only guards against a loop.
MAX_DEPTH = 10


@dataclass(frozen=True)
class OrgInfo:
    id: str
    arn: str | None
    management_account_id: str | None
    feature_set: str | None

    @property
    def all_features(self) -> bool:
        return self.feature_set == "ALL"


@dataclass(frozen=True)
class OrgNode:
    """A root, OU or account. ``path`` is the ``aws:PrincipalOrgPaths`` value that concerns it:
    for a root or OU its own path, for an account the path of the OU (or root) that holds it."""

    id: str
    name: str
    type: NodeType
    parent_id: str | None
    path: OrgPath
    email: str | None = None
    state: str | None = None

    @property
    def is_account(self) -> bool:
        return self.type == "ACCOUNT"

    @property
    def path_string(self) -> str:
        return self.path.to_string()


@dataclass(frozen=True)
class OrgAccess:
    state: AccessState
    organization: OrgInfo | None = None
    error: AwsError | None = None

    @property
    def tree_available(self) -> bool:
        return self.state == "available"

    @property
    def reason(self) -> str:
        """One line for the UI: why the tree is not shown and what to type instead."""
        if self.error is None:
            return ""
        return f"{self.error.message} Type the IDs instead. {self.error.remedy}".strip()


class OrgTree:
    """Lazily loaded organization tree; every list call pages with ``page_size`` items.

    Not thread-safe: one worker walks a tree at a time (the UI expands one node at a time).
    """

    def __init__(self, session: AwsSession, *, page_size: int | None = None) -> None:
        self.session = session
        self.page_size = page_size
        self._access: OrgAccess | None = None
        self._roots: list[OrgNode] | None = None
        self._children: dict[str, list[OrgNode]] = {}
        self._nodes: dict[str, OrgNode] = {}
        self._paths: dict[str, OrgPath] = {}

    def _call(self, operation: str, method: str, **params: Any) -> Any:
        return self.session.call(SERVICE, operation, method, **params)

    def _pages(self, operation: str, method: str, key: str, **params: Any) -> Iterator[Any]:
        return self.session.paginate(
            SERVICE, operation, method, key, page_size=self.page_size, **params
        )

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> OrgAccess:
        """DescribeOrganization and ListRoots; never raises for the expected refusals."""
        if self._access is not None:
            return self._access
        try:
            org = self._call("DescribeOrganization", "describe_organization")["Organization"]
        except AwsError as error:
            return self._settle(OrgAccess(_state_of(error), None, error))
        info = OrgInfo(
            id=str(org["Id"]),
            arn=org.get("Arn"),
            management_account_id=org.get("MasterAccountId"),
            feature_set=org.get("FeatureSet"),
        )
        try:
            roots = list(self._pages("ListRoots", "list_roots", "Roots"))
        except AwsError as error:
            return self._settle(OrgAccess(_state_of(error), info, error))
        self._roots = []
        for root in roots:
            path = OrgPath(info.id, str(root["Id"]))
            node = OrgNode(str(root["Id"]), str(root.get("Name") or "Root"), "ROOT", None, path)
            self._remember(node, path)
            self._roots.append(node)
        self._access = OrgAccess("available", info)
        return self._access

    def _settle(self, access: OrgAccess) -> OrgAccess:
        # A refusal is final for this session; a network error or throttle is worth retrying.
        if access.state != "error":
            self._access = access
        return access

    @property
    def organization(self) -> OrgInfo | None:
        return self.load().organization

    def _require_tree(self) -> OrgInfo:
        access = self.load()
        if access.error is not None:
            raise access.error
        assert access.organization is not None
        return access.organization

    def _remember(self, node: OrgNode, own_path: OrgPath) -> None:
        self._nodes[node.id] = node
        if node.type != "ACCOUNT":
            self._paths[node.id] = own_path

    def roots(self) -> list[OrgNode]:
        self._require_tree()
        return list(self._roots or ())

    def children(self, parent_id: str) -> list[OrgNode]:
        """OUs then accounts directly under a root or OU, each list sorted by name (cached)."""
        cached = self._children.get(parent_id)
        if cached is not None:
            return list(cached)
        parent_path = self.path_of(parent_id)
        ous: list[OrgNode] = []
        for ou in self._pages(
            "ListOrganizationalUnitsForParent",
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=parent_id,
        ):
            path = _api_path(ou.get("Path")) or parent_path.child(str(ou["Id"]))
            node = OrgNode(
                str(ou["Id"]),
                str(ou.get("Name") or ou["Id"]),
                "ORGANIZATIONAL_UNIT",
                parent_id,
                path,
            )
            self._remember(node, path)
            ous.append(node)
        accounts: list[OrgNode] = []
        for account in self._pages(
            "ListAccountsForParent", "list_accounts_for_parent", "Accounts", ParentId=parent_id
        ):
            paths = account.get("Paths") or ()
            path = (_api_path(paths[0]) if paths else None) or parent_path
            node = OrgNode(
                str(account["Id"]),
                str(account.get("Name") or account["Id"]),
                "ACCOUNT",
                parent_id,
                path,
                email=account.get("Email"),
                state=account.get("State") or account.get("Status"),
            )
            self._remember(node, path)
            accounts.append(node)
        result = sorted(ous, key=_by_name) + sorted(accounts, key=_by_name)
        self._children[parent_id] = result
        return list(result)

    def node(self, node_id: str) -> OrgNode | None:
        """A node already seen while walking (no API call)."""
        return self._nodes.get(node_id)

    # -- paths --------------------------------------------------------------------------------

    def _parent_of(self, child_id: str) -> tuple[str, str]:
        parents = list(self._pages("ListParents", "list_parents", "Parents", ChildId=child_id))
        if not parents:
            raise AwsError(
                ErrorKind.NOT_FOUND,
                f"Organizations lists no parent for {child_id}.",
                "Check that the ID belongs to this organization.",
                action="ListParents",
            )
        return str(parents[0]["Id"]), str(parents[0].get("Type") or "")

    def path_of(self, node_id: str) -> OrgPath:
        """The org path of a root or OU, from the cache or the ``ListParents`` chain."""
        cached = self._paths.get(node_id)
        if cached is not None:
            return cached
        info = self._require_tree()
        chain = [node_id]
        current = node_id
        for _ in range(MAX_DEPTH):
            if current.startswith("r-") or current in self._paths:
                break
            current, _type = self._parent_of(current)
            chain.append(current)
        else:
            raise AwsError(
                ErrorKind.UNEXPECTED_RESPONSE,
                f"The parent chain of {node_id} is deeper than {MAX_DEPTH} levels.",
                "Organizations nests OUs at most five deep: report this.",
                action="ListParents",
            )
        top = chain.pop()
        path = self._paths.get(top) or OrgPath(info.id, top)
        self._paths[top] = path
        for ou_id in reversed(chain):
            path = path.child(ou_id)
            self._paths[ou_id] = path
        return path

    def path_of_account(self, account_id: str) -> OrgPath:
        """The ``aws:PrincipalOrgPaths`` value of an account: the path of its parent."""
        known = self._nodes.get(account_id)
        if known is not None and known.is_account:
            return known.path
        self._require_tree()
        parent_id, _type = self._parent_of(account_id)
        return self.path_of(parent_id)


def _by_name(node: OrgNode) -> str:
    return node.name.lower()


def _api_path(value: object) -> OrgPath | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_org_path(value)
    except PolicyInputError:
        return None


def _state_of(error: AwsError) -> AccessState:
    if error.kind is ErrorKind.NOT_IN_ORGANIZATION:
        return "not_in_organization"
    if error.kind in (ErrorKind.ACCESS_DENIED, ErrorKind.EXPLICIT_DENY):
        return "access_denied"
    return "error"


@dataclass(frozen=True)
class TypedIds:
    """IDs typed by hand when the tree cannot be read, in canonical form, with any problems."""

    org_id: str | None
    paths: tuple[OrgPath, ...]
    account_ids: tuple[str, ...]
    ou_ids: tuple[str, ...]
    problems: Mapping[str, str]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_typed_ids(
    *,
    org_id: str | None = None,
    paths: Iterable[str] = (),
    ou_ids: Iterable[str] = (),
    account_ids: Iterable[str] = (),
) -> TypedIds:
    """Check typed IDs with the core validators; ``problems`` maps each bad input to why."""
    problems: dict[str, str] = {}

    def check(label: str, text: str, validator: Any) -> Any:
        try:
            return validator(text)
        except PolicyInputError as exc:
            problems[f"{label} {text!r}"] = str(exc)
            return None

    org = check("organization ID", org_id, validate_org_id) if org_id is not None else None
    good_paths: list[OrgPath] = []
    for text in paths:
        path = check("path", text, parse_org_path)
        if path is None:
            continue
        if org is not None and path.org_id != org:
            problems[f"path {text!r}"] = (
                f"The path belongs to {path.org_id}, not to the organization {org}."
            )
            continue
        good_paths.append(path)
    ous = [v for t in ou_ids if (v := check("OU ID", t, validate_ou_id)) is not None]
    accounts = [v for t in account_ids if (v := check("account ID", t, validate_account_id))]
    return TypedIds(org, tuple(good_paths), tuple(accounts), tuple(ous), problems)

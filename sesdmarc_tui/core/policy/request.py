"""A delegated send request, as the "who may send?" question describes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sesdmarc_tui.core.policy.arns import (
    IdentityArn,
    PrincipalArn,
    parse_identity_arn,
    parse_principal_arn,
)
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.ids import parse_org_path, validate_account_id, validate_org_id


@dataclass(frozen=True)
class SendRequest:
    """Account ``account_id`` (in organization ``org_id`` at ``org_paths``) sends as the identity.

    ``org_id`` is None for an account outside any organization. ``org_paths`` are
    ``aws:PrincipalOrgPaths`` values such as ``o-x/r-y/ou-a/ou-b/`` (normalised to end in
    ``/``). ``principal_arn`` optionally names the exact role or user that sends, for policies
    that name roles rather than accounts.
    """

    account_id: str
    identity_arn: str
    org_id: str | None = None
    org_paths: tuple[str, ...] = ()
    action: str = "ses:SendEmail"
    from_address: str | None = None
    from_display_name: str | None = None
    principal_arn: str | None = None
    identity: IdentityArn = field(init=False, repr=False, compare=False)
    principal: PrincipalArn | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        account = validate_account_id(self.account_id)
        object.__setattr__(self, "account_id", account)
        object.__setattr__(self, "identity", parse_identity_arn(self.identity_arn))
        object.__setattr__(self, "identity_arn", self.identity.to_string())
        org = validate_org_id(self.org_id) if self.org_id is not None else None
        object.__setattr__(self, "org_id", org)
        paths = tuple(sorted({parse_org_path(p).to_string() for p in self.org_paths}))
        if paths and org is None:
            raise PolicyInputError(
                "Organization paths were given for an account outside any organization.",
                "Give the organization ID too, or no paths.",
                field="org_paths",
            )
        foreign = [p for p in paths if not p.startswith(f"{org}/")]
        if foreign:
            raise PolicyInputError(
                f"The path {foreign[0]} is not in the organization {org}.",
                "Every path starts with the account's own organization ID.",
                field="org_paths",
            )
        object.__setattr__(self, "org_paths", paths)
        if not isinstance(self.action, str) or not self.action.strip():
            raise PolicyInputError(
                "The action is empty.", "For example ses:SendEmail.", field="action"
            )
        object.__setattr__(self, "action", self.action.strip())
        principal = None
        if self.principal_arn is not None:
            principal = parse_principal_arn(self.principal_arn)
            if principal.account_id != account:
                raise PolicyInputError(
                    f"The principal {self.principal_arn} belongs to account "
                    f"{principal.account_id}, not {account}.",
                    "Give the ARN of a role or user in the sending account.",
                    field="principal_arn",
                )
        object.__setattr__(self, "principal", principal)
        if self.from_address is not None:
            object.__setattr__(self, "from_address", self.from_address.strip())

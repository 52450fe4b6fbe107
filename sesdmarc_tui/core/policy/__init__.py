"""Sending authorization: SES identity policies for delegated senders in an organization.

Pure logic, no I/O: validate IDs and ARNs, build the identity policy for the chosen scopes,
lint any policy text, answer "may this account send?", and produce the delegate's IAM policy.
"""

from __future__ import annotations

from sesdmarc_tui.core.policy.arns import (
    PARTITIONS,
    IdentityArn,
    PrincipalArn,
    parse_identity_arn,
    parse_principal_arn,
    partition_for_region,
    validate_configuration_set_arn,
    validate_partition,
    validate_region,
    validate_role_arn,
)
from sesdmarc_tui.core.policy.build import (
    DEFAULT_ACTIONS,
    DEFAULT_POLICY_NAME,
    POLICY_VERSION,
    PolicyDocument,
    build_policy,
    build_policy_json,
    policy_json,
    policy_json_pretty,
)
from sesdmarc_tui.core.policy.errors import PolicyInputError, PolicyLimitError
from sesdmarc_tui.core.policy.evaluate import Decision, StatementResult, evaluate
from sesdmarc_tui.core.policy.findings import Finding, LintReport, Severity
from sesdmarc_tui.core.policy.fromaddr import validate_from_pattern
from sesdmarc_tui.core.policy.iam import (
    GET_ACCOUNT_NOTE,
    check_delegate_iam_policy,
    delegate_iam_policy,
)
from sesdmarc_tui.core.policy.ids import (
    OrgPath,
    parse_org_path,
    split_account_path,
    validate_account_id,
    validate_org_id,
    validate_ou_id,
    validate_policy_name,
    validate_root_id,
)
from sesdmarc_tui.core.policy.limits import (
    MAX_POLICIES_PER_IDENTITY,
    MAX_POLICY_BYTES,
    PolicyCountCheck,
    check_policy_count,
    check_policy_size,
    require_policy_slot,
)
from sesdmarc_tui.core.policy.lint import lint_policy
from sesdmarc_tui.core.policy.request import SendRequest
from sesdmarc_tui.core.policy.scopes import (
    Accounts,
    OuDirectMembers,
    OuSubtree,
    Scope,
    WholeOrganization,
    simplify,
)

__all__ = [
    "DEFAULT_ACTIONS",
    "DEFAULT_POLICY_NAME",
    "GET_ACCOUNT_NOTE",
    "MAX_POLICIES_PER_IDENTITY",
    "MAX_POLICY_BYTES",
    "PARTITIONS",
    "POLICY_VERSION",
    "Accounts",
    "Decision",
    "Finding",
    "IdentityArn",
    "LintReport",
    "OrgPath",
    "OuDirectMembers",
    "OuSubtree",
    "PolicyCountCheck",
    "PolicyDocument",
    "PolicyInputError",
    "PolicyLimitError",
    "PrincipalArn",
    "Scope",
    "SendRequest",
    "Severity",
    "StatementResult",
    "WholeOrganization",
    "build_policy",
    "build_policy_json",
    "check_delegate_iam_policy",
    "check_policy_count",
    "check_policy_size",
    "delegate_iam_policy",
    "evaluate",
    "lint_policy",
    "parse_identity_arn",
    "parse_org_path",
    "parse_principal_arn",
    "partition_for_region",
    "policy_json",
    "policy_json_pretty",
    "require_policy_slot",
    "simplify",
    "split_account_path",
    "validate_account_id",
    "validate_configuration_set_arn",
    "validate_from_pattern",
    "validate_org_id",
    "validate_ou_id",
    "validate_partition",
    "validate_policy_name",
    "validate_region",
    "validate_role_arn",
    "validate_root_id",
]

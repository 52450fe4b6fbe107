"""Every policy the tool can produce, over generated inputs: lint-clean and no broader than asked.

The producers: the SES identity policy (``core.policy.build``) for every scope (organization,
OU subtree, OU direct members, accounts with and without an org pin), with and without
``ses:FromAddress`` patterns, in every partition, also as ``sesdmarc export`` builds it from a
config; the delegate's IAM policy (``core.policy.iam``); the S3 bucket policy statement that
lets SES receiving store reports (``core.reports.collection``). Each property is checked by an
oracle written here (not by the linter alone): an open ``Principal`` always carries
``aws:PrincipalOrgID``, ``ses:FromAddress`` holds exactly the requested globs, the IAM policy
grants only SendEmail and SendRawEmail on exactly the owner's identity ARN, SES may write only
below the reports prefix of the one bucket and only for the receipt rule. The last tests show
the oracles and the linter fail on the policies a careless generator would make.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.policy import (
    Accounts,
    IdentityArn,
    OuDirectMembers,
    OuSubtree,
    PolicyLimitError,
    Scope,
    Severity,
    WholeOrganization,
    build_policy,
    check_delegate_iam_policy,
    delegate_iam_policy,
    lint_policy,
    policy_json,
)
from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.sandbox.reports.inbound import ses_may_write
from tests.unit.policy.policy_strategies import PARENT, account_ids, org_ids, org_paths

SEND = ["ses:SendEmail", "ses:SendRawEmail"]
REGIONS = [("aws", "eu-west-1"), ("aws", "us-east-1"), ("aws-us-gov", "us-gov-west-1")]
LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
DOMAINS = st.builds(lambda a, b: f"{a}.{b}", LABEL, st.sampled_from(["com", "example", "co.uk"]))
LOCAL_GLOB = st.from_regex(r"[a-z0-9+_*?-]([a-z0-9.+_*?-]{0,10}[a-z0-9+_*?-])?", fullmatch=True)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# -- inputs --------------------------------------------------------------------------------------


@st.composite
def identities(draw: st.DrawFn) -> IdentityArn:
    partition, region = draw(st.sampled_from(REGIONS))
    return IdentityArn(partition, region, draw(account_ids()), draw(DOMAINS))


@st.composite
def from_patterns(draw: st.DrawFn, domain: str) -> tuple[str, str]:
    """(what the operator types, the exact glob the policy must hold)."""
    local = draw(LOCAL_GLOB.filter(lambda s: ".*" not in s and ".+" not in s and ".." not in s))
    where = draw(st.sampled_from(["apex", "sub", "any_sub"]))
    host = {"apex": domain, "sub": f"{draw(LABEL)}.{domain}", "any_sub": f"*.{domain}"}[where]
    typed = f"{local}@{draw(st.sampled_from([host, host.upper()]))}"
    return f"  {typed} " if draw(st.booleans()) else typed, f"{local}@{host}"


@st.composite
def scope_lists(draw: st.DrawFn) -> list[Scope]:
    org = draw(org_ids())
    paths = draw(st.lists(org_paths(), max_size=3))
    paths = [type(p)(org, p.root_id, p.ou_ids) for p in paths]
    scopes: list[Scope] = []
    if draw(st.integers(0, 4)) == 0:
        scopes.append(WholeOrganization(org))
    scopes += [OuSubtree(p) for p in paths if draw(st.booleans())]
    scopes += [OuDirectMembers(p) for p in paths if draw(st.booleans())]
    accounts = draw(st.lists(account_ids(), max_size=4, unique=True))
    if accounts:
        scopes.append(Accounts(tuple(accounts), org if draw(st.booleans()) else None))
    return scopes or [OuSubtree(draw(org_paths()))]


# -- oracles -------------------------------------------------------------------------------------


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), value
    return list(value)


def _conditions(statement: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """Condition key (lower case) -> (operator, values)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for operator, block in statement.get("Condition", {}).items():
        for key, values in block.items():
            assert key.lower() not in found, f"{key} twice"
            found[key.lower()] = (operator, _list(values))
    return found


def assert_identity_policy_is_tight(
    policy: dict[str, Any], arn: str, scopes: list[Scope], patterns: list[str]
) -> None:
    assert set(policy) == {"Version", "Statement"} and policy["Version"] == "2012-10-17"
    wanted_accounts = {a for s in scopes if isinstance(s, Accounts) for a in s.ids}
    granted_accounts: set[str] = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert not {"NotPrincipal", "NotAction", "NotResource"} & set(statement)
        assert statement["Action"] == SEND
        assert statement["Resource"] == arn
        conditions = _conditions(statement)
        principal = statement["Principal"]
        if principal == "*":
            # Open to every AWS account, so the organization must be pinned, exactly.
            operator, orgs = conditions["aws:principalorgid"]
            assert operator == "StringEquals" and len(orgs) == 1 and orgs[0].startswith("o-")
        else:
            roots = _list(principal["AWS"])
            assert set(principal) == {"AWS"} and "*" not in roots
            partition = arn.split(":")[1]
            assert all(
                r.startswith(f"arn:{partition}:iam::") and r.endswith(":root") for r in roots
            )
            granted_accounts |= {r.split(":")[4] for r in roots}
        if "aws:principalorgpaths" in conditions:
            operator, values = conditions["aws:principalorgpaths"]
            assert operator in ("ForAnyValue:StringLike", "ForAnyValue:StringEquals")
            for value in values:
                assert value.endswith("/*") if operator.endswith("Like") else value.endswith("/")
                assert "*" not in value[:-1] and "?" not in value
        if patterns:
            operator, values = conditions["ses:fromaddress"]
            assert operator == "StringLike" and values == sorted(set(patterns))
        else:
            assert "ses:fromaddress" not in conditions
    assert granted_accounts == wanted_accounts


def assert_iam_policy_is_least_privilege(
    policy: dict[str, Any], arn: str, patterns: list[str], get_account: bool
) -> None:
    send, *rest = policy["Statement"]
    assert "Principal" not in send and send["Effect"] == "Allow"
    assert not {"NotAction", "NotResource"} & set(send)
    assert send["Action"] == SEND and send["Resource"] == [arn]
    if patterns:
        assert _conditions(send) == {"ses:fromaddress": ("StringLike", sorted(set(patterns)))}
    else:
        assert "Condition" not in send
    if get_account:
        # Read-only and resource-less: the one extra the delegate may be given, on request.
        assert rest == [
            {
                "Sid": "ReadDelegateAccount",
                "Effect": "Allow",
                "Action": ["ses:GetAccount"],
                "Resource": "*",
            }
        ]
    else:
        assert rest == []


def assert_lint_clean(text: str, arn: str) -> None:
    report = lint_policy(text, identity_arn=arn)
    assert not report.errors and not report.warnings, report.to_dict()


# -- the identity policy -----------------------------------------------------------------------


@SETTINGS
@given(data=st.data(), identity=identities(), scopes=scope_lists())
def test_identity_policies_lint_clean_and_grant_no_more_than_asked(
    data: st.DataObject, identity: IdentityArn, scopes: list[Scope]
) -> None:
    chosen = data.draw(st.lists(from_patterns(identity.domain), max_size=3))
    typed, exact = [t for t, _ in chosen], [e for _, e in chosen]
    arn = identity.to_string()
    try:
        policy = build_policy(identity, scopes, from_addresses=typed)
    except PolicyLimitError:
        return  # over the 4 KB SES limit: refused, not produced
    assert_identity_policy_is_tight(policy, arn, scopes, exact)
    assert_lint_clean(policy_json(policy), arn)


def test_an_address_identity_allows_only_its_own_address() -> None:
    identity = IdentityArn("aws", "eu-west-1", "111122223333", "app@example.com")
    scopes: list[Scope] = [OuSubtree(PARENT)]
    policy = build_policy(identity, scopes, from_addresses=["app@example.com"])
    assert_identity_policy_is_tight(policy, identity.to_string(), scopes, ["app@example.com"])
    assert_lint_clean(policy_json(policy), identity.to_string())
    for broader in ("*@example.com", "app@*.example.com", "other@example.com"):
        with pytest.raises(ValueError):
            build_policy(identity, scopes, from_addresses=[broader])


@pytest.mark.parametrize(
    "pattern",
    ["*", "*@*", "*@*.com", "*@example.*", "a@*example.com", ".*@example.com", "a@other.org"],
)
def test_patterns_broader_than_the_identity_are_refused(pattern: str) -> None:
    identity = IdentityArn("aws", "eu-west-1", "111122223333", "example.com")
    with pytest.raises(ValueError):
        build_policy(identity, [WholeOrganization("o-a1b2c3d4e5")], from_addresses=[pattern])


CONFIG = """
[accounts]
region = "eu-west-1"
[domain]
name = "example.com"
dns_provider = "manual"
[authorization]
{authorization}
"""


@pytest.mark.parametrize(
    "authorization",
    [
        'scope = "ou_subtree"\ntargets = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]',
        'scope = "ou_direct"\ntargets = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]\n'
        'from_addresses = ["app@example.com", "*@*.example.com"]',
        'scope = "accounts"\ntargets = ["111122223333", "444455556666"]',
        'scope = "accounts"\ntargets = ["111122223333"]\nfrom_addresses = ["*@Example.COM"]',
    ],
    ids=["subtree", "direct-from", "accounts", "accounts-from"],
)
def test_the_policy_export_builds_from_a_config_is_tight(authorization: str) -> None:
    from sesdmarc_tui.export import build_facts
    from sesdmarc_tui.setup_config import parse_config
    from sesdmarc_tui.setup_config.validate import validate_config

    config = parse_config(CONFIG.format(authorization=authorization), environ={})
    facts = build_facts(validate_config(config), source="t", from_session=False)
    assert facts.policy is not None
    policy = json.loads(facts.policy)
    arn = policy["Statement"][0]["Resource"]
    assert_lint_clean(facts.policy, arn)
    for statement in policy["Statement"]:
        if statement["Principal"] == "*":
            assert "aws:PrincipalOrgID" in statement["Condition"]["StringEquals"]
        if "from_addresses" in authorization:
            values = statement["Condition"]["StringLike"]["ses:FromAddress"]
            assert all(v.endswith(("@example.com", "@*.example.com")) for v in values)


# -- the delegate's IAM policy -----------------------------------------------------------------


@SETTINGS
@given(data=st.data(), identity=identities(), get_account=st.booleans())
def test_delegate_iam_policy_grants_only_sending_as_the_owner(
    data: st.DataObject, identity: IdentityArn, get_account: bool
) -> None:
    chosen = data.draw(st.lists(from_patterns(identity.domain), max_size=3))
    typed, exact = [t for t, _ in chosen], [e for _, e in chosen]
    arn = identity.to_string()
    policy = delegate_iam_policy(identity, from_addresses=typed, include_get_account=get_account)
    assert_iam_policy_is_least_privilege(policy, arn, exact, get_account)
    report = check_delegate_iam_policy(policy, identity)
    assert not report.errors and not report.warnings, report.to_dict()


# -- the S3 bucket policy for SES receiving ------------------------------------------------------


@st.composite
def receiving(draw: st.DrawFn) -> dict[str, str]:
    domain = draw(DOMAINS)
    address = spec.reports_address(f"{draw(LABEL)}@reports.{domain}")
    account = draw(account_ids())
    region = draw(st.sampled_from(spec.RECEIVING_REGIONS))
    rule = spec.rule_name(address)
    return {
        "account": account,
        "bucket": spec.bucket_name(account, region, domain),
        "prefix": spec.key_prefix(address),
        "source_arn": spec.rule_arn(region, account, spec.RULE_SET, rule),
    }


@SETTINGS
@given(case=receiving(), other=account_ids())
def test_the_bucket_policy_lets_ses_write_only_reports_for_the_rule(
    case: dict[str, str], other: str
) -> None:
    bucket, prefix, account = case["bucket"], case["prefix"], case["account"]
    assert spec.validate_bucket(bucket) == bucket and spec.validate_prefix(prefix) == prefix
    statement = spec.policy_statement(bucket, prefix, account, case["source_arn"])
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statement["Action"] == "s3:PutObject" and statement["Effect"] == "Allow"
    assert statement["Resource"] == f"arn:aws:s3:::{bucket}/{prefix}*"
    assert "*" not in bucket + prefix and "?" not in bucket + prefix
    assert statement["Condition"] == {
        "StringEquals": {"AWS:SourceAccount": account, "AWS:SourceArn": case["source_arn"]}
    }
    text = spec.merged_policy(
        json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "Theirs", "Effect": "Deny"}]}),
        statement,
    )
    merged = json.loads(text)["Statement"]
    assert [s.get("Sid") for s in merged] == ["Theirs", spec.STATEMENT_SID]
    context = {"aws:sourceaccount": account, "aws:sourcearn": case["source_arn"]}
    assert ses_may_write(text, bucket, f"{prefix}message-1", context)
    assert not ses_may_write(text, bucket, "elsewhere/message-1", context)
    if other != account:
        assert not ses_may_write(
            text, bucket, f"{prefix}m", {**context, "aws:sourceaccount": other}
        )
    assert not ses_may_write(
        text, bucket, f"{prefix}m", {**context, "aws:sourcearn": case["source_arn"] + "x"}
    )


@pytest.mark.parametrize("bucket", ["*", "my-*", "a", "Bucket", "192.168.0.1", "a..b", "a/b"])
def test_bucket_names_that_would_widen_the_resource_are_refused(bucket: str) -> None:
    with pytest.raises(spec.CollectionError):
        spec.validate_bucket(bucket)


@pytest.mark.parametrize("prefix", ["*", "dmarc/*", "dmarc/?", "/dmarc/", "a//b", "", "a b/"])
def test_prefixes_with_wildcards_are_refused(prefix: str) -> None:
    with pytest.raises(spec.CollectionError):
        spec.validate_prefix(prefix)


def test_the_reports_fields_use_the_checks() -> None:
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.model import InputError

    wizard = Wizard(FlowContext(state_dir=Path(os.devnull), lookup=StaticLookup({})))
    wizard.state.domain = "example.com"
    wizard.state.inputs("reports")["collect"] = "ses"
    fields = {f.key: f for f in wizard.step("reports").fields(wizard.state)}
    with pytest.raises(InputError):
        fields["bucket"].validate("*")
    with pytest.raises(InputError):
        fields["prefix"].validate("dmarc/*")
    assert fields["prefix"].validate("dmarc/example.com") == "dmarc/example.com/"


# -- the oracles and the linter can fail -----------------------------------------------------------


def _built() -> tuple[dict[str, Any], str, list[Scope]]:
    identity = IdentityArn("aws", "eu-west-1", "111122223333", "example.com")
    scopes: list[Scope] = [WholeOrganization("o-a1b2c3d4e5")]
    return build_policy(identity, scopes, from_addresses=["app@example.com"]), str(identity), scopes


@pytest.mark.parametrize(
    ("edit", "lint_kind"),
    [
        (lambda s: s.pop("Condition"), "principal_wildcard_without_org"),
        (lambda s: s["Condition"].pop("StringEquals"), "principal_wildcard_without_org"),
        (lambda s: s.update(Action=["ses:*"]), "bad_action"),
        (lambda s: s.update(Resource="*"), "resource_mismatch"),
    ],
    ids=["no-condition", "no-org-id", "ses-star", "any-resource"],
)
def test_a_careless_identity_policy_fails_both_checks(edit: Any, lint_kind: str) -> None:
    policy, arn, scopes = _built()
    edit(policy["Statement"][0])
    with pytest.raises((AssertionError, KeyError)):
        assert_identity_policy_is_tight(policy, arn, scopes, ["app@example.com"])
    report = lint_policy(policy_json(policy), identity_arn=arn)
    assert lint_kind in report.kinds(Severity.ERROR), report.to_dict()


def test_a_broader_from_glob_fails_the_oracle() -> None:
    policy, arn, scopes = _built()
    policy["Statement"][0]["Condition"]["StringLike"]["ses:FromAddress"] = ["*@example.com"]
    with pytest.raises(AssertionError):
        assert_identity_policy_is_tight(policy, arn, scopes, ["app@example.com"])


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.update(Action=["ses:*"]),
        lambda s: s.update(Action=["ses:SendEmail"]),
        lambda s: s.update(Resource=["*"]),
        lambda s: s.update(Resource=["arn:aws:ses:eu-west-1:444455556666:identity/example.com"]),
    ],
    ids=["ses-star", "no-raw", "any-resource", "own-identity"],
)
def test_a_careless_iam_policy_fails_both_checks(edit: Any) -> None:
    arn = "arn:aws:ses:eu-west-1:111122223333:identity/example.com"
    policy = delegate_iam_policy(arn)
    edit(policy["Statement"][0])
    with pytest.raises(AssertionError):
        assert_iam_policy_is_least_privilege(policy, arn, [], False)
    assert check_delegate_iam_policy(policy, arn).errors

"""Profiles, sessions, client configuration, caller identity and assume-role (STS over moto)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.profiles import list_profiles
from sesdmarc_tui.aws.session import AwsSession, owner_and_delegate
from tests.adapters.aws._support import (
    DELEGATE_ACCOUNT,
    OWNER_ACCOUNT,
    REGION,
    count_calls,
    dummy_session,
)

ROOT = Path(__file__).resolve().parents[3]

CONFIG = """\
[default]
region = eu-west-1

[profile sso-admin]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = us-east-1

[profile legacy-sso]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1

[profile deployer]
role_arn = arn:aws:iam::111122223333:role/Deployer
source_profile = default

[profile tool]
credential_process = /usr/bin/true

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
"""


def test_list_profiles_reads_kinds_regions_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text(CONFIG)
    creds = tmp_path / "credentials"
    creds.write_text("[default]\naws_access_key_id = x\n\n[ci]\naws_access_key_id = y\n")
    profiles = list_profiles(
        config_file=config,
        credentials_file=creds,
        environ={"AWS_ACCESS_KEY_ID": "testing", "AWS_REGION": "eu-central-1"},
    )
    by_name = {p.name: p for p in profiles}
    assert [p.name for p in profiles][:2] == ["environment", "default"]
    assert by_name["environment"].kind == "environment"
    assert by_name["environment"].region == "eu-central-1"
    assert by_name["default"].source == "config+credentials"
    assert by_name["default"].region == "eu-west-1"
    assert by_name["sso-admin"].is_sso
    assert by_name["sso-admin"].sso_start_url == "https://corp.awsapps.com/start"
    assert by_name["legacy-sso"].kind == "sso"
    assert by_name["deployer"].kind == "assume_role"
    assert by_name["tool"].kind == "process"
    assert by_name["ci"].kind == "static" and by_name["ci"].source == "credentials"
    assert "corp" not in by_name  # sso-session sections are not profiles
    assert by_name["sso-admin"].label == "sso-admin (SSO, us-east-1)"


def test_list_profiles_without_files_or_environment(tmp_path: Path) -> None:
    assert (
        list_profiles(
            config_file=tmp_path / "none", credentials_file=tmp_path / "none2", environ={}
        )
        == []
    )


def test_broken_config_file_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("region = eu-west-1\n[profile x\n")
    with pytest.raises(AwsError) as info:
        list_profiles(config_file=config, credentials_file=tmp_path / "none", environ={})
    assert info.value.kind is ErrorKind.INVALID_CONFIG


def test_region_must_be_an_ses_region() -> None:
    with pytest.raises(AwsError) as info:
        dummy_session("ap-east-1")
    assert info.value.kind is ErrorKind.INVALID_INPUT
    assert "not available" in info.value.message
    assert dummy_session("EU-WEST-1").region == "eu-west-1"


def test_profile_region_is_used_and_missing_region_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile eu]\nregion = eu-west-2\n[profile bare]\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert AwsSession.from_profile("eu").region == "eu-west-2"
    assert AwsSession.from_profile("eu", "us-east-2").region == "us-east-2"
    with pytest.raises(AwsError) as info:
        AwsSession.from_profile("bare")
    assert info.value.kind is ErrorKind.NO_REGION


def test_clients_are_cached_and_configured() -> None:
    session = AwsSession.from_credentials("testing", "testing", region="eu-west-1")
    ses = session.client("sesv2")
    assert session.client("sesv2") is ses
    config = ses.meta.config
    # SES: one botocore attempt, our own reported back-off (standard mode would silently
    # retry LimitExceededException).
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert session.client("organizations").meta.config.retries["total_max_attempts"] == 3
    assert "sesdmarc/" in config.user_agent_extra
    assert config.connect_timeout == 5.0


def test_endpoint_url_from_the_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    session = AwsSession.from_credentials("testing", "testing", region="eu-west-1")
    assert session.client("sesv2").meta.endpoint_url == "http://127.0.0.1:4566"


def test_caller_identity_over_moto(owner: AwsSession) -> None:
    identity = owner.caller_identity()
    assert identity.account == OWNER_ACCOUNT
    assert identity.arn.startswith(f"arn:aws:sts::{OWNER_ACCOUNT}:")
    assert owner.account_id == OWNER_ACCOUNT
    assert owner.pacing_key() == (OWNER_ACCOUNT, REGION)
    assert owner.caller_identity() is identity  # cached


def test_assume_role_gives_a_delegate_in_the_other_account(delegate: AwsSession) -> None:
    assert delegate.known_account_id == DELEGATE_ACCOUNT  # known from the ARN, no call
    identity = delegate.caller_identity(refresh=True)
    assert identity.account == DELEGATE_ACCOUNT
    assert identity.arn == (
        f"arn:aws:sts::{DELEGATE_ACCOUNT}:assumed-role/OrganizationAccountAccessRole/sesdmarc-tests"
    )
    assert identity.principal == "OrganizationAccountAccessRole"
    assert delegate.region == REGION


def test_owner_and_delegate_side_by_side(owner: AwsSession) -> None:
    pair = owner_and_delegate(
        owner,
        role_arn=f"arn:aws:iam::{DELEGATE_ACCOUNT}:role/OrganizationAccountAccessRole",
        external_id="sesdmarc-ext-1",
    )
    assert pair.owner.caller_identity().account == OWNER_ACCOUNT
    assert pair.delegate.caller_identity().account == DELEGATE_ACCOUNT
    assert pair.delegate.region == pair.owner.region


def test_owner_and_delegate_needs_exactly_one_source(owner: AwsSession) -> None:
    with pytest.raises(AwsError) as info:
        owner_and_delegate(owner)
    assert info.value.kind is ErrorKind.INVALID_INPUT


@pytest.mark.parametrize(
    ("role_arn", "external_id", "session_name"),
    [
        ("arn:aws:iam::12345:role/x", None, "sesdmarc"),
        ("arn:aws:iam::123456789012:user/alice", None, "sesdmarc"),
        ("arn:aws:iam::123456789012:role/x", "a", "sesdmarc"),
        ("arn:aws:iam::123456789012:role/x", None, "bad name"),
    ],
)
def test_assume_role_input_is_checked_before_calling(
    role_arn: str, external_id: str | None, session_name: str
) -> None:
    session = AwsSession.from_credentials(
        "testing", "testing", region="eu-west-1", endpoint_url="http://127.0.0.1:9"
    )
    with pytest.raises(AwsError) as info:
        session.assume_role(role_arn, external_id=external_id, session_name=session_name)
    assert info.value.kind is ErrorKind.INVALID_INPUT


def test_importing_the_adapters_does_not_load_boto3() -> None:
    modules = ", ".join(
        f"sesdmarc_tui.aws.{m}"
        for m in (
            "errors",
            "session",
            "profiles",
            "pacing",
            "ses",
            "organizations",
            "route53",
            "access_analyzer",
            "sts",
        )
    )
    code = (
        f"import sys, importlib\nfor m in '{modules}'.split(', '): importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_assumed_role_credentials_are_renewed_before_expiry(owner: AwsSession) -> None:
    delegate = owner.assume_role(
        f"arn:aws:iam::{DELEGATE_ACCOUNT}:role/OrganizationAccountAccessRole"
    )
    calls = count_calls(owner.client("sts"), "sts")
    first = delegate.client("sts")
    assert delegate.client("sts") is first and calls == []
    delegate._expires_at = time.time() + 60  # inside the renewal margin
    renewed = delegate.client("sts")
    assert renewed is not first and calls == ["AssumeRole"]
    assert delegate.caller_identity(refresh=True).account == DELEGATE_ACCOUNT


def test_errors_serialise_for_json_output() -> None:
    error = AwsError(ErrorKind.THROTTLED, "slow", "wait", action="GetAccount", retryable=True)
    assert error.as_dict() == {
        "kind": "throttled",
        "action": "GetAccount",
        "message": "slow",
        "remedy": "wait",
        "code": None,
        "retryable": True,
        "region": None,
    }
    assert str(error) == "slow wait"

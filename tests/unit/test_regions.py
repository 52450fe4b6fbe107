"""regions.py: the SES region table, DKIM target zones, MAIL FROM hosts and identity ARNs."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sesdmarc_tui.core.names import DomainError
from sesdmarc_tui.core.regions import (
    DEFAULT_DKIM_ZONE,
    SES_REGIONS,
    Region,
    UnknownRegionError,
    dkim_cname_target,
    dkim_target_zone,
    identity_arn,
    mail_from_mx_host,
    normalize_dkim_token,
    ses_region,
    ses_region_names,
)

# Located, not imported: core must not depend on botocore, and its data files are plain JSON.
_BOTOCORE = importlib.util.find_spec("botocore")
assert _BOTOCORE is not None and _BOTOCORE.origin is not None
BOTOCORE_DATA = Path(_BOTOCORE.origin).parent / "data"
TOKEN = "abcdefghijklmnopqrstuvwxyz012345"

REQUIRED = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-south-1", "ap-south-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-5", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1",
    "il-central-1", "me-south-1", "me-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
]  # fmt: skip

# reference/ses-api.md s1.4, rebuilt from the AWS General Reference "DKIM domains" table.
REGIONAL_DKIM = {
    "af-south-1": "dkim.af-south-1.amazonses.com",
    "ap-northeast-3": "dkim.ap-northeast-3.amazonses.com",
    "ap-south-2": "dkim.ap-south-2.amazonses.com",
    "ap-southeast-3": "dkim.ap-southeast-3.amazonses.com",
    "ap-southeast-5": "dkim.ap-southeast-5.amazonses.com",
    "ca-west-1": "dkim.ca-west-1.amazonses.com",
    "eu-central-2": "dkim.eu-central-2.amazonses.com",
    "eu-south-1": "dkim.eu-south-1.amazonses.com",
    "il-central-1": "dkim.il-central-1.amazonses.com",
    "me-central-1": "dkim.me-central-1.amazonses.com",
    "us-gov-east-1": "dkim.us-gov-east-1.amazonses.com",
}
UNCONFIRMED = {"ap-east-2", "ap-southeast-4", "ap-southeast-6", "ap-southeast-7", "eu-south-2",
               "mx-central-1"}  # fmt: skip


def botocore_email_regions() -> dict[str, tuple[str, str]]:
    """region -> (partition, description) for SES endpoints in the installed botocore."""
    data = json.loads((BOTOCORE_DATA / "endpoints.json").read_text())
    found: dict[str, tuple[str, str]] = {}
    for part in data["partitions"]:
        if part["partition"] not in ("aws", "aws-us-gov"):
            continue
        for name in part["services"].get("email", {}).get("endpoints", {}):
            if not name.startswith("fips-"):
                found[name] = (part["partition"], part["regions"][name]["description"])
    return found


def deed_regions() -> set[str]:
    model_dir = next((BOTOCORE_DATA / "sesv2").iterdir())
    path = model_dir / "service-2.json.gz"
    if path.exists():
        with gzip.open(path) as fh:
            raw = fh.read()
    else:
        raw = (model_dir / "service-2.json").read_bytes()
    enum = json.loads(raw)["shapes"]["DkimSigningAttributesOrigin"]["enum"]
    return {
        e.removeprefix("AWS_SES_").lower().replace("_", "-")
        for e in enum
        if e.startswith("AWS_SES_")
    }


# --- the table ----------------------------------------------------------------------------------


def test_required_regions_are_present() -> None:
    missing = [r for r in REQUIRED if r not in SES_REGIONS]
    assert not missing


def test_every_deed_region_is_known() -> None:
    assert deed_regions() <= set(SES_REGIONS)
    # The DEED enum lists exactly the regions whose DKIM zone the reference confirms.
    assert deed_regions() == {n for n, r in SES_REGIONS.items() if r.dkim_zone_confirmed}


def test_every_botocore_ses_region_is_known_with_its_description() -> None:
    boto = botocore_email_regions()
    missing = sorted(set(boto) - set(SES_REGIONS))
    assert not missing, f"botocore knows SES regions this table lacks: {missing}"
    for name, (partition, description) in boto.items():
        assert SES_REGIONS[name].partition == partition
        assert SES_REGIONS[name].description == description


def test_table_invents_no_region() -> None:
    assert set(SES_REGIONS) <= set(botocore_email_regions()) | deed_regions()


@pytest.mark.parametrize("name", sorted(SES_REGIONS))
def test_region_entry(name: str) -> None:
    region = SES_REGIONS[name]
    assert region.name == name
    assert region.dkim_zone == REGIONAL_DKIM.get(name, DEFAULT_DKIM_ZONE)
    assert region.feedback_host == f"feedback-smtp.{name}.amazonses.com"
    assert region.partition == ("aws-us-gov" if name.startswith("us-gov-") else "aws")
    assert region.dkim_zone_confirmed is (name not in UNCONFIRMED)
    assert region.endpoint == f"email.{name}.amazonaws.com"
    assert region.label == f"{name} ({region.description})"
    assert ses_region(name) is region


def test_regions_are_frozen_and_the_table_read_only() -> None:
    region = SES_REGIONS["us-east-1"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        SES_REGIONS["x"] = region  # type: ignore[index]


def test_region_names_in_table_order() -> None:
    names = ses_region_names()
    assert names == tuple(SES_REGIONS)
    assert names[0] == "us-east-1"
    assert len(set(names)) == len(names) == 35


# --- ses_region ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["us-east-1", " US-EAST-1 ", "us_east_1", "Us-East-1\n"])
def test_ses_region_is_forgiving_about_form(text: str) -> None:
    assert ses_region(text).name == "us-east-1"


def test_ses_region_passes_a_region_through() -> None:
    region = SES_REGIONS["eu-west-1"]
    assert ses_region(region) is region


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("us-est-1", "us-east-1"),
        ("eu-west-4", "eu-west-1"),
        ("euwest1", "eu-west-1"),
        ("frankfurt", "eu-central-1"),
        ("Tokyo", "ap-northeast-1"),
        ("ireland", "eu-west-1"),
        ("useast1", "us-east-1"),
    ],
)
def test_unknown_region_suggests_near_matches(text: str, suggestion: str) -> None:
    with pytest.raises(UnknownRegionError) as info:
        ses_region(text)
    err = info.value
    assert suggestion in err.suggestions
    assert suggestion in err.hint
    assert "not an AWS region" in err.message
    assert str(err) == f"{err.message} {err.hint}"
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("text", ["ap-east-1", "cn-north-1", "cn-northwest-1", "eusc-de-east-1"])
def test_aws_regions_without_ses_are_named_as_such(text: str) -> None:
    with pytest.raises(UnknownRegionError, match="not available"):
        ses_region(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_region(text: str) -> None:
    with pytest.raises(UnknownRegionError, match="empty"):
        ses_region(text)


def test_gibberish_region_gets_a_generic_hint() -> None:
    with pytest.raises(UnknownRegionError) as info:
        ses_region("qqqqqqqqqqqq")
    assert info.value.suggestions == ()
    assert "us-east-1" in info.value.hint


def test_non_text_region() -> None:
    with pytest.raises(UnknownRegionError, match="text"):
        ses_region(42)  # type: ignore[arg-type]


@given(st.text(st.characters(exclude_categories=()), max_size=40))
def test_ses_region_never_raises_anything_else(text: str) -> None:
    try:
        region = ses_region(text)
    except UnknownRegionError as exc:
        assert exc.message
        assert len(exc.suggestions) <= 3
        assert all(s in SES_REGIONS for s in exc.suggestions)
    else:
        assert isinstance(region, Region)


# --- DKIM ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("us-east-1", "dkim.amazonses.com"),
        ("eu-west-1", "dkim.amazonses.com"),
        ("us-gov-west-1", "dkim.amazonses.com"),
        ("af-south-1", "dkim.af-south-1.amazonses.com"),
        ("ap-northeast-3", "dkim.ap-northeast-3.amazonses.com"),
        ("eu-south-1", "dkim.eu-south-1.amazonses.com"),
        ("us-gov-east-1", "dkim.us-gov-east-1.amazonses.com"),
        ("ap-southeast-4", "dkim.amazonses.com"),
    ],
)
def test_dkim_target_zone_from_table(region: str, zone: str) -> None:
    assert dkim_target_zone(region) == zone
    assert dkim_target_zone(SES_REGIONS[region]) == zone
    assert dkim_target_zone(region, None) == zone
    assert dkim_target_zone(region, "") == zone
    assert dkim_target_zone(region, " . ") == zone


@pytest.mark.parametrize(
    ("given_zone", "expected"),
    [
        ("dkim.amazonses.com.", "dkim.amazonses.com"),
        ("DKIM.AF-South-1.AmazonSES.com.", "dkim.af-south-1.amazonses.com"),
        ("dkim.new-region-9.amazonses.com", "dkim.new-region-9.amazonses.com"),
        ("  dkim.amazonses.com  ", "dkim.amazonses.com"),
    ],
)
def test_signing_hosted_zone_wins(given_zone: str, expected: str) -> None:
    # af-south-1's table entry is regional: the SES answer still wins.
    assert dkim_target_zone("af-south-1", given_zone) == expected


def test_signing_hosted_zone_covers_regions_newer_than_the_table() -> None:
    assert dkim_target_zone("xx-future-1", "dkim.xx-future-1.amazonses.com") == (
        "dkim.xx-future-1.amazonses.com"
    )
    with pytest.raises(UnknownRegionError):
        dkim_target_zone("xx-future-1")


def test_garbage_signing_hosted_zone_is_refused() -> None:
    with pytest.raises(DomainError, match="SigningHostedZone"):
        dkim_target_zone("us-east-1", "not a zone")


@pytest.mark.parametrize(
    ("region", "zone", "target"),
    [
        ("us-east-1", None, f"{TOKEN}.dkim.amazonses.com"),
        ("af-south-1", None, f"{TOKEN}.dkim.af-south-1.amazonses.com"),
        ("us-east-1", "dkim.amazonses.com.", f"{TOKEN}.dkim.amazonses.com"),
        (
            "me-central-1",
            "Dkim.ME-Central-1.amazonses.com.",
            f"{TOKEN}.dkim.me-central-1.amazonses.com",
        ),
    ],
)
def test_dkim_cname_target(region: str, zone: str | None, target: str) -> None:
    assert dkim_cname_target(TOKEN, region, zone) == target
    assert dkim_cname_target(TOKEN.upper(), region, zone) == target


@pytest.mark.parametrize(
    "token",
    ["", "short", "a" * 15, "a" * 65, f"{TOKEN}.", "abc def ghi jkl mno pqr", "ä" * 32, "a_" * 16],
)
def test_bad_dkim_tokens(token: str) -> None:
    with pytest.raises(ValueError, match="Easy DKIM token"):
        normalize_dkim_token(token)
    with pytest.raises(ValueError):
        dkim_cname_target(token, "us-east-1")


def test_dkim_token_is_lowercased_and_trimmed() -> None:
    assert normalize_dkim_token(f"  {TOKEN.upper()} ") == TOKEN
    assert normalize_dkim_token("a" * 16) == "a" * 16
    assert normalize_dkim_token("a" * 64) == "a" * 64


# --- MAIL FROM and ARNs -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SES_REGIONS))
def test_mail_from_mx_host(name: str) -> None:
    assert mail_from_mx_host(name) == f"feedback-smtp.{name}.amazonses.com"
    assert mail_from_mx_host(SES_REGIONS[name]) == f"feedback-smtp.{name}.amazonses.com"


def test_mail_from_mx_host_unknown_region() -> None:
    with pytest.raises(UnknownRegionError):
        mail_from_mx_host("moon-1")


@pytest.mark.parametrize(
    ("region", "identity", "arn"),
    [
        ("us-east-1", "example.com", "arn:aws:ses:us-east-1:123456789012:identity/example.com"),
        ("us-east-1", "Example.COM.", "arn:aws:ses:us-east-1:123456789012:identity/example.com"),
        (
            "eu-west-2",
            "bücher.example",
            "arn:aws:ses:eu-west-2:123456789012:identity/xn--bcher-kva.example",
        ),
        (
            "us-gov-west-1",
            "example.com",
            "arn:aws-us-gov:ses:us-gov-west-1:123456789012:identity/example.com",
        ),
        (
            "us-gov-east-1",
            "Ops@Example.COM",
            "arn:aws-us-gov:ses:us-gov-east-1:123456789012:identity/Ops@example.com",
        ),
        (
            " AF-SOUTH-1 ",
            "a.b@example.co.uk",
            "arn:aws:ses:af-south-1:123456789012:identity/a.b@example.co.uk",
        ),
    ],
)
def test_identity_arn(region: str, identity: str, arn: str) -> None:
    assert identity_arn(region, "123456789012", identity) == arn


@pytest.mark.parametrize(
    "account", ["", "12345678901", "1234567890123", "12345678901a", "1234 5678 9012"]
)
def test_identity_arn_refuses_bad_accounts(account: str) -> None:
    with pytest.raises(ValueError, match="account"):
        identity_arn("us-east-1", account, "example.com")


@pytest.mark.parametrize(
    "identity", ["", "com", "@example.com", "user@", "exa mple.com", "https://example.com"]
)
def test_identity_arn_refuses_bad_identities(identity: str) -> None:
    with pytest.raises(ValueError):
        identity_arn("us-east-1", "123456789012", identity)


def test_identity_arn_unknown_region() -> None:
    with pytest.raises(UnknownRegionError):
        identity_arn("ap-east-1", "123456789012", "example.com")

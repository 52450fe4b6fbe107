"""Records for an SES custom MAIL FROM domain."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.names import DomainError
from sesdmarc_tui.core.spf import mail_from_records, parse_spf
from sesdmarc_tui.core.spf.mailfrom import RegionError, validate_region


@pytest.mark.parametrize(
    ("region", "mx"),
    [
        ("us-east-1", "10 feedback-smtp.us-east-1.amazonses.com"),
        ("EU-West-2 ", "10 feedback-smtp.eu-west-2.amazonses.com"),
        ("us-gov-west-1", "10 feedback-smtp.us-gov-west-1.amazonses.com"),
        ("il-central-1", "10 feedback-smtp.il-central-1.amazonses.com"),
        ("ap-southeast-7", "10 feedback-smtp.ap-southeast-7.amazonses.com"),
    ],
)
def test_records(region: str, mx: str) -> None:
    mx_value, txt_value = mail_from_records("mail.example.com", region)
    assert mx_value == mx
    assert txt_value == "v=spf1 include:amazonses.com ~all"
    assert parse_spf(txt_value).valid


@pytest.mark.parametrize(
    "region",
    [
        "",
        "us-east",
        "useast1",
        "us-east-1.evil.com",
        "us_east_1",
        "us-east-1 x",
        "1-us-east",
        "\udcff",
    ],
)
def test_bad_regions(region: str) -> None:
    with pytest.raises(RegionError, match="not an AWS region"):
        validate_region(region)
    with pytest.raises(RegionError):
        mail_from_records("mail.example.com", region)


@pytest.mark.parametrize(
    "domain", ["", "mail", "mail..example.com", "http://mail.example.com", "\x00"]
)
def test_bad_mail_from_domains(domain: str) -> None:
    with pytest.raises(DomainError):
        mail_from_records(domain, "us-east-1")

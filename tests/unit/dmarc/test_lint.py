"""lint_dmarc: verdicts, the operational warnings, and the JSON contract."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.dmarc import lint_dmarc
from sesdmarc_tui.core.lookup import StaticLookup

GOOD = "v=DMARC1; p=none; rua=mailto:dmarc@example.com"


def warning_kinds(
    text: str, domain: str | None = None, lookup: StaticLookup | None = None
) -> list[str]:
    return [f.kind for f in lint_dmarc(text, domain, lookup).warnings]


def test_good_record_is_ok() -> None:
    result = lint_dmarc(GOOD)
    assert result.verdict == "ok" and result.valid and result.valid_rfc7489


def test_json_keys_and_kinds() -> None:
    payload = lint_dmarc(GOOD).to_json()
    assert list(payload) == [
        "valid",
        "valid_rfc7489",
        "verdict",
        "tags",
        "effective",
        "errors",
        "warnings",
    ]
    assert payload["tags"] == {"v": "DMARC1", "p": "none", "rua": ["mailto:dmarc@example.com"]}
    assert set(payload["effective"]) == {"p", "sp", "np", "adkim", "aspf", "fo", "t", "psd"}
    with_domain = lint_dmarc(GOOD, "example.com").to_json()
    assert "external_destinations" in with_domain


def test_not_dmarc_json() -> None:
    payload = lint_dmarc("v=DMARC1 p=none").to_json()
    assert payload["tags"] is None and payload["effective"] is None
    assert payload["verdict"] == "error" and payload["warnings"] == []


def test_version_alone_is_refused() -> None:
    result = lint_dmarc("v=DMARC1")
    assert result.verdict == "error"
    assert [f.kind for f in result.errors] == ["missing_p"]
    assert [f.kind for f in result.warnings] == ["no_rua"]
    assert result.valid and not result.valid_rfc7489


def test_p_not_second_is_refused_but_valid_under_9989() -> None:
    result = lint_dmarc("v=DMARC1; rua=mailto:d@example.com; p=quarantine")
    assert result.verdict == "error" and result.valid and not result.valid_rfc7489


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("v=DMARC1; p=none", "no_rua"),
        ("v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.com", "pct_removed_in_rfc9989"),
        ("v=DMARC1; p=none; rf=afrf; rua=mailto:d@example.com", "rf_removed_in_rfc9989"),
        ("v=DMARC1; p=none; ri=86400; rua=mailto:d@example.com", "ri_removed_in_rfc9989"),
        ("v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com", "t_ignored_by_rfc7489_receivers"),
        (
            "v=DMARC1; p=none; aspf=s; rua=mailto:d@example.com",
            "aspf_strict_breaks_ses_custom_mail_from",
        ),
        (
            "v=DMARC1; p=none; adkim=s; rua=mailto:d@example.com",
            "adkim_strict_breaks_subdomain_from",
        ),
        ("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", "sp_weaker_than_p"),
        ("v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com", "np_weaker_than_sp"),
        ("v=DMARC1; p=none; fo=1; rua=mailto:d@example.com", "fo_without_ruf_ignored"),
        (
            "v=DMARC1; p=none; psd=y; rua=mailto:d@example.com",
            "psd_y_only_for_public_suffix_operators",
        ),
        ("v=DMARC1; p=none; x=1; rua=mailto:d@example.com", "unknown_tag_ignored"),
        ("v=DMARC1; p=none; rua=mailto:d@example.com!10m", "obsolete_uri_size_suffix"),
        ("v=DMARC1; p=none; rua=https://example.com/r", "non_mailto_uri_likely_ignored"),
        ("v=DMARC1; p = none; rua=mailto:d@example.com", "noncanonical_whitespace"),
        ("v=DMARC1; P=none; rua=mailto:d@example.com", "noncanonical_tag_case"),
    ],
)
def test_warning_kinds(text: str, kind: str) -> None:
    result = lint_dmarc(text)
    assert kind in [f.kind for f in result.warnings]
    assert result.verdict == "warn"


def test_pct_message_explains_rfc9989_ignores_it() -> None:
    [finding] = lint_dmarc("v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.com").warnings
    assert "100%" in finding.message and "pct=25" in finding.message


def test_staged_test_record_explains_the_pairing() -> None:
    result = lint_dmarc("v=DMARC1; p=reject; t=y; pct=0; rua=mailto:d@example.com")
    assert result.verdict == "warn"
    messages = " ".join(f.message for f in result.warnings)
    assert "staged test mode" in messages


def test_t_without_pct_zero_suggests_it() -> None:
    [t] = lint_dmarc("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com").warnings
    assert "add pct=0" in t.message


def test_sp_not_weaker_no_warning() -> None:
    assert warning_kinds("v=DMARC1; p=none; sp=reject; np=reject; rua=mailto:d@example.com") == []


def test_invalid_policy_message_mentions_p_none_fallback() -> None:
    result = lint_dmarc("v=DMARC1; p=reject; sp=rejct; rua=mailto:d@example.com")
    assert result.verdict == "error"
    assert result.to_json()["effective"]["p"] == "none"
    assert "p=none" in result.errors[0].message


def test_sp_in_subdomain_record_is_ignored() -> None:
    kinds = warning_kinds(
        "v=DMARC1; p=none; sp=reject; rua=mailto:d@example.com", "mail.example.com"
    )
    assert "sp_ignored_on_subdomain_record" in kinds
    kinds = warning_kinds(
        "v=DMARC1; p=none; sp=reject; psd=n; rua=mailto:d@example.com", "mail.example.com"
    )
    assert "sp_ignored_on_subdomain_record" not in kinds


def test_external_destination_warning_with_domain() -> None:
    lookup = StaticLookup()
    text = "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:r@reports.example.net"
    result = lint_dmarc(text, "example.com", lookup)
    assert "external_destination_needs_authorization" in [f.kind for f in result.warnings]
    external = result.to_json()["external_destinations"]
    assert [e["authorized"] for e in external] == [None, False]
    assert external[1]["verification_query"] == "example.com._report._dmarc.reports.example.net"
    assert set(external[0]) >= {"uri", "host", "authorized", "verification_query"}


def test_external_destination_authorized_no_warning() -> None:
    lookup = StaticLookup(
        {("example.com._report._dmarc.reports.example.net", "TXT"): ["v=DMARC1;"]}
    )
    text = "v=DMARC1; p=none; rua=mailto:r@reports.example.net"
    result = lint_dmarc(text, "example.com", lookup)
    assert result.verdict == "ok"
    assert result.to_json()["external_destinations"][0]["authorized"] is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00" * 50,
        "v=DMARC1; " + "p=none; " * 2000,
        "é" * 10_000,
        "\udcff\udcfe",
        "v=DMARC1;" + ";" * 5000,
        "v=DMARC1; p=none; rua=mailto:a@" + "x" * 10_000,
        "v=DMARC1; p=none; rua=mailto:a@" + "x." * 3000 + "com",
        "v=DMARC1; p=" + "reject" * 2000,
    ],
)
def test_hostile_input_gives_a_verdict(text: str) -> None:
    result = lint_dmarc(text)
    assert result.verdict in ("ok", "warn", "error")
    assert isinstance(result.to_json(), dict)
    for finding in (*result.errors, *result.warnings):
        assert len(finding.message) < 1000

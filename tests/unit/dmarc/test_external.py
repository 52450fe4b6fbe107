"""External report destinations: the query, the wildcard, overrides, DNS errors."""

from __future__ import annotations

from sesdmarc_tui.core.dmarc import authorization_record, external_destinations, parse_dmarc
from sesdmarc_tui.core.lookup import StaticLookup

RECORD = (
    "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:agg@thirdparty.example.net; "
    "ruf=mailto:f@thirdparty.example.net"
)
QUERY = "example.com._report._dmarc.thirdparty.example.net"


def test_authorization_record() -> None:
    assert authorization_record("Example.com.", "thirdparty.example.net") == (QUERY, "v=DMARC1;")


def test_same_organization_needs_no_check() -> None:
    lookup = StaticLookup()
    [dest] = external_destinations(
        "v=DMARC1; p=none; rua=mailto:d@reports.example.com", "example.com", lookup
    )
    assert dest.authorized is None and dest.verification_query is None
    assert dest.status == "same_organization" and lookup.queries == []


def test_not_authorized() -> None:
    lookup = StaticLookup()
    dests = external_destinations(RECORD, "example.com", lookup)
    assert [(d.tag, d.host, d.authorized) for d in dests] == [
        ("rua", "example.com", None),
        ("rua", "thirdparty.example.net", False),
        ("ruf", "thirdparty.example.net", False),
    ]
    assert dests[1].verification_query == QUERY
    assert dests[1].required_record == (QUERY, "v=DMARC1;")
    assert "must publish" in dests[1].detail
    # the specific name first, then the wildcard
    assert lookup.queries[:2] == [
        (QUERY + ".", "TXT"),
        ("*._report._dmarc.thirdparty.example.net.", "TXT"),
    ]


def test_authorized_by_specific_record() -> None:
    # RFC 9989 B.2.3
    lookup = StaticLookup({(QUERY, "TXT"): ["v=DMARC1;"]})
    dests = external_destinations(RECORD, "example.com", lookup)
    assert [d.status for d in dests] == ["same_organization", "authorized", "authorized"]
    assert dests[1].to_json() == {
        "uri": "mailto:agg@thirdparty.example.net",
        "host": "thirdparty.example.net",
        "authorized": True,
        "verification_query": QUERY,
        "tag": "rua",
        "status": "authorized",
        "required_record": {"name": QUERY, "value": "v=DMARC1;"},
    }


def test_authorized_by_wildcard() -> None:
    lookup = StaticLookup({("*._report._dmarc.thirdparty.example.net", "TXT"): ["v=DMARC1"]})
    dests = external_destinations(RECORD, "example.com", lookup)
    assert dests[1].authorized is True and dests[1].status == "authorized_by_wildcard"
    assert dests[1].verification_query == QUERY


def test_non_dmarc_txt_does_not_authorize() -> None:
    lookup = StaticLookup({(QUERY, "TXT"): ["hello", "v=spf1 -all"]})
    assert external_destinations(RECORD, "example.com", lookup)[1].authorized is False


def test_override_on_same_host_is_accepted() -> None:
    # RFC 9989 B.2.4
    lookup = StaticLookup(
        {
            (QUERY, "TXT"): [
                "v=DMARC1; rua=mailto:aggregate-reports@thirdparty.example.net; "
                "ruf=mailto:failure-reports@thirdparty.example.net"
            ]
        }
    )
    dests = external_destinations(RECORD, "example.com", lookup)
    assert dests[2].authorized is True
    assert "failure-reports@thirdparty.example.net" in dests[2].detail


def test_override_to_another_host_means_no_reports() -> None:
    lookup = StaticLookup({(QUERY, "TXT"): ["v=DMARC1; rua=mailto:x@elsewhere.example.org"]})
    dests = external_destinations(RECORD, "example.com", lookup)
    assert dests[1].authorized is False and dests[1].status == "override_to_other_host"
    assert dests[2].authorized is True  # ruf has no override


def test_dns_error_is_not_a_no() -> None:
    lookup = StaticLookup(
        errors={
            (QUERY, "TXT"): "timed out",
            ("*._report._dmarc.thirdparty.example.net", "TXT"): "timed out",
        }
    )
    dest = external_destinations(RECORD, "example.com", lookup)[1]
    assert dest.authorized is None and dest.status == "dns_error" and dest.needs_authorization


def test_without_lookup_nothing_is_queried() -> None:
    dest = external_destinations(parse_dmarc(RECORD), "example.com", None)[1]
    assert dest.status == "not_checked" and dest.authorized is None
    assert dest.verification_query == QUERY


def test_invalid_and_hostless_uris_are_skipped() -> None:
    record = "v=DMARC1; p=none; rua=mailto:@bad,https://,mailto:ok@example.org"
    dests = external_destinations(record, "example.com", StaticLookup())
    assert [d.host for d in dests] == ["example.org"]

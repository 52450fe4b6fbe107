"""Parsing aggregate reports: both schemas, the lenient parts, and every hostile input refused.

Reports are made by the product's own renderer from ``Report`` values (tests.support), so a
round trip checks both; hand-written XML covers what a renderer would never produce.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.reports import Limits, Problem, Report, parse_documents, parse_report
from tests.support.dmarc_reports import forwarder_row, report, ses_row, xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE feedback [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>"""


@pytest.mark.parametrize("schema", ["rfc7489", "rfc9990"])
def test_a_report_round_trips_in_both_schemas(schema: str) -> None:
    made = report(3, (ses_row(), forwarder_row()), schema=schema)  # type: ignore[arg-type]
    parsed = parse_report(xml(made), "r.xml")
    assert isinstance(parsed, Report)
    assert parsed.schema == schema
    if schema == "rfc7489":  # RFC 7489 always carries pct; a 9990 report never does
        made = replace(made, policy=replace(made.policy, pct=100))
    assert parsed == replace(made, source="r.xml")


def test_rfc9990_is_recognised_by_its_elements_without_the_namespace() -> None:
    text = xml(report(0, schema="rfc9990")).replace(
        b' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"', b""
    )
    parsed = parse_report(text)
    assert isinstance(parsed, Report) and parsed.schema == "rfc9990"
    assert parsed.policy.np == "none" and parsed.policy.discovery_method == "treewalk"
    assert parsed.generator == "test generator"


def test_the_published_rfc9990_sample_shape() -> None:
    sample = b"""<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata><org_name>Sample Reporter</org_name>
    <email>report_sender@example-reporter.com</email><report_id>3v98abbp8ya9n3va8yr8oa3ya</report_id>
    <date_range><begin>302832000</begin><end>302918399</end></date_range>
    <generator>Example DMARC Aggregate Reporter v1.2</generator></report_metadata>
  <policy_published><domain>example.com</domain><p>quarantine</p><sp>none</sp><np>none</np>
    <testing>n</testing><discovery_method>treewalk</discovery_method></policy_published>
  <record><row><source_ip>192.0.2.123</source_ip><count>123</count>
      <policy_evaluated><disposition>pass</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><envelope_from>example.com</envelope_from><header_from>example.com</header_from></identifiers>
    <auth_results><dkim><domain>example.com</domain><result>pass</result><selector>abc123</selector></dkim>
      <spf><domain>example.com</domain><result>fail</result></spf></auth_results></record>
</feedback>"""
    parsed = parse_report(sample)
    assert isinstance(parsed, Report)
    assert (parsed.schema, parsed.policy.p, parsed.policy.testing) == ("rfc9990", "quarantine", "n")
    row = parsed.rows[0]
    assert (row.disposition, row.count, row.aligned, row.dkim[0].selector) == (
        "pass",
        123,
        True,
        "abc123",
    )


def test_lenient_values_are_normalised() -> None:
    text = (
        xml(report(0))
        .replace(b"<p>none</p>", b"<p> NONE </p>")
        .replace(
            b"<header_from>example.com</header_from>", b"<header_from>Example.COM.</header_from>"
        )
    )
    parsed = parse_report(text)
    assert isinstance(parsed, Report)
    assert parsed.policy.p == "none" and parsed.rows[0].header_from == "example.com"


@pytest.mark.parametrize(
    ("edit", "kind"),
    [
        ((b"<report_id>google.com-0</report_id>", b""), "invalid_report"),
        ((b"<begin>", b"<begin>x"), "invalid_report"),
        ((b"<feedback>", b"<feedbak>"), "malformed_xml"),
        ((b"<domain>example.com</domain>", b""), "invalid_report"),
    ],
)
def test_reports_that_cannot_be_trusted_are_refused(edit: tuple[bytes, bytes], kind: str) -> None:
    text = xml(report(0)).replace(*edit, 1)
    found = parse_report(text, "bad.xml")
    assert isinstance(found, Problem) and found.kind == kind and found.source == "bad.xml"


def test_not_a_report_and_bad_rows() -> None:
    assert parse_report(b"<html><body/></html>").kind == "not_a_report"  # type: ignore[union-attr]
    text = xml(report(0)).replace(
        b"<source_ip>54.240.8.21</source_ip>", b"<source_ip>999</source_ip>"
    )
    parsed = parse_report(text)
    assert isinstance(parsed, Report) and len(parsed.rows) == 1 and parsed.notes


def test_entity_expansion_and_external_entities_are_refused() -> None:
    for attack in (BILLION_LAUGHS, EXTERNAL):
        found = parse_report(attack, "attack.xml")
        assert isinstance(found, Problem) and found.kind == "entities_refused"


def test_size_and_row_limits() -> None:
    big = xml(report(0, tuple(ses_row(1) for _ in range(50))))
    assert parse_report(big, limits=Limits(max_xml_bytes=1000)).kind == "too_large"  # type: ignore[union-attr]
    assert parse_report(big, limits=Limits(max_rows=10)).kind == "too_many_records"  # type: ignore[union-attr]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    text = xml(report(0)).replace(b"google.com</org_name>", b"g\xe9ogle</org_name>")
    parsed = parse_report(text)
    assert isinstance(parsed, Report) and "\ufffd" in parsed.org_name and parsed.notes


def test_the_time_budget_stops_a_batch() -> None:
    ticks = iter(range(0, 1000, 10))
    documents = [(f"r{n}.xml", xml(report(n))) for n in range(5)]
    parsed = parse_documents(documents, Limits(time_budget=25), clock=lambda: next(ticks))
    assert len(parsed.reports) == 2
    assert [p.kind for p in parsed.problems] == ["time_budget"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    assert isinstance(parse_report(data), Report | Problem)


VALID = xml(report(0, (ses_row(), forwarder_row())))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.binary(min_size=1, max_size=8))
def test_mutated_reports_never_raise(at: int, junk: bytes) -> None:
    result = parse_report(VALID[:at] + junk + VALID[at + len(junk) :])
    assert isinstance(result, Report | Problem)
    if isinstance(result, Report):
        assert result.policy.domain and all(r.count >= 0 for r in result.rows)

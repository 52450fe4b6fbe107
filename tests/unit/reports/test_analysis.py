"""Counting, grouping, duplicates and the readiness verdict, on reports made in the test."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sesdmarc_tui.core.dmarc import get_stage
from sesdmarc_tui.core.reports import (
    Identity,
    Options,
    Row,
    Thresholds,
    analyze,
    classify,
    parse_known,
    parse_thresholds,
    stage_of,
)
from sesdmarc_tui.core.reports.model import DkimAuth, SpfAuth
from tests.support.dmarc_reports import (
    DOMAIN,
    MAIL_FROM,
    forwarder_row,
    report,
    ses_row,
    spoofer_row,
)

IDENTITY = Identity(DOMAIN, MAIL_FROM)


def run(reports, **options):  # type: ignore[no-untyped-def]
    return analyze(reports, [], Options(identity=IDENTITY, **options))


def test_counts_per_source_org_group_and_day() -> None:
    found = run(
        [
            report(0, (ses_row(40), forwarder_row(5), spoofer_row(3))),
            report(0, (ses_row(10),), org="Yahoo", schema="rfc9990"),
            report(1, (ses_row(20, aligned=False),)),
        ]
    )
    agg = found.aggregate
    assert (agg.total.messages, agg.total.aligned) == (78, 55)
    assert agg.sources["54.240.8.21"].messages == 70
    assert agg.orgs["yahoo"].messages == 10 and agg.orgs["google.com"].reports == 2
    assert {g: s.messages for g, s in agg.groups.items()} == {"ses": 50, "known": 25, "unknown": 3}
    assert [(d, t.aligned, t.not_aligned) for d, t in agg.days.items()] == [
        ("2026-11-14", 55, 3),
        ("2026-11-15", 0, 20),
    ]
    assert found.to_json()["groups"][0]["title"] == "SES for this identity"


def test_sender_groups() -> None:
    assert classify(ses_row(), IDENTITY) == ("ses", f"Amazon SES (MAIL FROM {MAIL_FROM})")
    # Without the MAIL FROM domain, SES's signature and an SPF pass under the domain tell it.
    assert classify(ses_row(), Identity(DOMAIN))[0] == "ses"
    assert classify(forwarder_row(), IDENTITY) == ("known", "Forwarded SES mail")
    assert classify(spoofer_row(), IDENTITY) == ("unknown", "Unknown")
    default = Row(
        "54.240.8.21",
        1,
        "none",
        True,
        False,
        DOMAIN,
        "eu-west-1.amazonses.com",
        dkim=(DkimAuth(DOMAIN, "t", "pass"),),
        spf=(SpfAuth("eu-west-1.amazonses.com", "mfrom", "pass"),),
    )
    assert classify(default, IDENTITY) == ("ses", "Amazon SES (default MAIL FROM)")
    other = Row(
        "192.0.2.9",
        1,
        "none",
        True,
        False,
        DOMAIN,
        "crm.invalid",
        dkim=(DkimAuth(DOMAIN, "crm", "pass"),),
    )
    assert classify(other, IDENTITY) == ("known", "Authenticates as the domain (d=example.com)")
    crm = parse_known("crm=192.0.2.0/24")
    assert classify(spoofer_row(ip="192.0.2.7"), IDENTITY, [crm]) == ("known", "crm")
    lists = parse_known("lists=lists.example.org")
    listed = Row(
        "198.51.100.60",
        1,
        "none",
        False,
        False,
        DOMAIN,
        "lists.example.org",
        spf=(SpfAuth("lists.example.org", "mfrom", "pass"),),
    )
    assert classify(listed, IDENTITY, [lists]) == ("known", "lists")


@pytest.mark.parametrize("bad", ["crm", "crm=", "=1.2.3.4", "x=not a thing"])
def test_known_sender_syntax(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_known(bad)


def test_duplicates_are_counted_once_and_overlaps_are_flagged() -> None:
    first = replace(report(0), source="a.xml")
    again = replace(report(0), source="b.xml")
    resent = replace(report(0, report_id="new-id"), source="c.xml")
    overlapping = replace(
        report(0, (ses_row(7),), report_id="other"), begin=first.begin + 3600, source="d.xml"
    )
    found = run([first, again, resent, overlapping])
    assert [r.source for r in found.reports] == ["a.xml", "d.xml"]
    assert [(p.source, p.kind) for p in found.problems] == [
        ("b.xml", "duplicate"),
        ("c.xml", "duplicate"),
        ("d.xml", "overlap"),
    ]
    assert not found.has_errors


def test_filters() -> None:
    other = replace(report(2), policy=replace(report(2).policy, domain="other.example"))
    found = run([report(0), report(5), other], since=report(3).begin, domain_filter=DOMAIN)
    assert [r.report_id for r in found.reports] == ["google.com-5"] and found.ignored == 2


def _days(n: int, **kwargs):  # type: ignore[no-untyped-def]
    return [report(d, (ses_row(50), forwarder_row(2), spoofer_row(3)), **kwargs) for d in range(n)]


def test_ready_after_enough_clean_days() -> None:
    verdict = run(_days(14)).readiness
    assert verdict.verdict == "ready" and verdict.ready
    assert verdict.stage == get_stage("monitor") and verdict.next == get_stage("test_quarantine")
    assert all(e.passed for e in verdict.evidence)
    assert [e.key for e in verdict.evidence] == ["days", "ses_aligned", "aligned", "unexplained"]


def test_not_ready_with_the_failing_check_named() -> None:
    few = run(_days(5)).readiness
    assert few.verdict == "not_ready" and "days of reports" in few.summary
    failing = run([report(d, (ses_row(50, aligned=False),)) for d in range(14)]).readiness
    assert {e.key for e in failing.evidence if not e.passed} == {"ses_aligned", "aligned"}
    loud = run([report(d, (ses_row(50), spoofer_row(20))) for d in range(14)]).readiness
    assert [e.key for e in loud.evidence if not e.passed] == ["unexplained"]
    assert "203.0.113.66 (280)" in loud.evidence[-1].detail


def test_thresholds_change_the_verdict() -> None:
    reports = [report(d, (ses_row(50), spoofer_row(20))) for d in range(10)]
    assert run(reports).readiness.verdict == "not_ready"
    relaxed = parse_thresholds(["days=7", "unexplained=500", "aligned=90%"])
    assert relaxed == Thresholds(7, 0.9, 500)
    assert run(reports, thresholds=relaxed).readiness.verdict == "ready"
    for bad in (["nope=1"], ["days=x"], ["aligned=101"], ["days=-1"]):
        with pytest.raises(ValueError):
            parse_thresholds(bad)


def test_stage_comes_from_the_reports_or_the_operator() -> None:
    test_quarantine = _days(14, p="quarantine", pct=0)
    assert run(test_quarantine).readiness.stage == get_stage("test_quarantine")
    assert stage_of(report(0, schema="rfc9990", p="reject", testing="y").policy).number == 4
    assert run(_days(14), stage=get_stage("quarantine")).readiness.verdict == "not_ready"
    final = run(_days(14, p="reject")).readiness
    assert final.verdict == "final" and final.next is None


def test_no_reports_is_no_data() -> None:
    assert run([]).readiness.verdict == "no_data"

"""Cell classification and mistake hints on hand-made results (no server needed)."""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.dns.classify import CellStatus, classify, equivalent_txt
from sesdmarc_tui.dns.mistakes import HintKind, answer_hints, cname_probe_hints, merge_hints
from sesdmarc_tui.dns.query import QueryResult, Server, ServerKind
from sesdmarc_tui.dns.round import RecordState, record_state

AUTH = Server("127.0.0.1", 53, ServerKind.AUTHORITATIVE, "ns1")
RES = Server("127.0.0.2", 53, ServerKind.RECURSIVE, "res")
CNAME = make_record("tok._domainkey.example.com", "CNAME", ["tok.dkim.amazonses.com"])
SPF = make_record("mail.example.com", "TXT", ["v=spf1 include:amazonses.com ~all"])
DMARC = make_record("_dmarc.example.com", "TXT", ["v=DMARC1; p=none; rua=mailto:d@example.com"])


def answer(
    kind: AnswerKind, *values: str, server: Server = AUTH, rdtype: str = "TXT", **kw: Any
) -> QueryResult:
    return QueryResult(server, "x.example.com.", rdtype, kind, values, queried_at=1000.0, **kw)


def test_cname_match_and_wrong_target_explained() -> None:
    ok = classify(answer(AnswerKind.OK, "tok.dkim.amazonses.com.", rdtype="CNAME"), CNAME)
    assert ok.status is CellStatus.MATCH
    wrong = classify(
        answer(AnswerKind.OK, "tok.dkim.amazonses.com.example.com.", rdtype="CNAME"), CNAME
    )
    assert wrong.status is CellStatus.WRONG_VALUE
    assert wrong.found == ("tok.dkim.amazonses.com.example.com.",)
    assert "example.com appended" in wrong.detail


def test_missing_keeps_kind_and_negative_ttl() -> None:
    cell = classify(answer(AnswerKind.NXDOMAIN, server=RES, negative_ttl=900), SPF)
    assert cell.status is CellStatus.MISSING
    assert cell.missing == "nxdomain"
    assert cell.negative_ttl == 900
    assert cell.absence_cached_until == 1900.0
    assert "900 s" in cell.detail
    nodata = classify(answer(AnswerKind.NODATA, negative_ttl=300), SPF)
    assert nodata.missing == "nodata"
    assert nodata.absence_cached_until is None  # an authoritative server caches nothing


def test_error_is_not_missing() -> None:
    cell = classify(answer(AnswerKind.ERROR, error="no answer within 2 s"), SPF)
    assert cell.status is CellStatus.ERROR
    assert cell.detail == "no answer within 2 s"


def test_unrelated_txt_beside_spf_is_still_a_match() -> None:
    cell = classify(answer(AnswerKind.OK, *SPF.values, "google-site-verification=x"), SPF)
    assert cell.status is CellStatus.MATCH
    assert "1 other TXT value" in cell.detail


def test_two_spf_records_are_wrong_even_if_one_is_expected() -> None:
    result = answer(AnswerKind.OK, *SPF.values, "v=spf1 include:_spf.google.com ~all")
    cell = classify(result, SPF)
    assert cell.status is CellStatus.WRONG_VALUE
    assert "permerror" in cell.detail
    assert [h.kind for h in answer_hints(SPF, result)] == [HintKind.MULTIPLE_SPF]


def test_two_dmarc_records_even_when_both_read_as_expected() -> None:
    result = answer(
        AnswerKind.OK,
        "v=DMARC1; p=none; rua=mailto:d@example.com",
        "v=DMARC1;p=none;rua=mailto:d@example.com",
    )
    assert classify(result, DMARC).status is CellStatus.WRONG_VALUE
    assert [h.kind for h in answer_hints(DMARC, result)] == [HintKind.MULTIPLE_DMARC]


def test_dmarc_and_spf_compare_by_meaning() -> None:
    cell = classify(answer(AnswerKind.OK, "v=DMARC1;p=none;rua=mailto:d@example.com"), DMARC)
    assert cell.status is CellStatus.MATCH
    assert "equivalent" in cell.detail
    assert equivalent_txt(
        "v=spf1 include:amazonses.com ~all", "v=spf1  +include:AmazonSES.com ~all"
    )
    assert not equivalent_txt("v=DMARC1; p=none", "v=DMARC1; p=reject")
    assert not equivalent_txt("v=spf1 -all", "v=spf1 ~all")


def test_extra_mx_is_wrong_and_hinted() -> None:
    mx = make_record("mail.example.com", "MX", ["10 feedback-smtp.us-east-1.amazonses.com"])
    result = answer(
        AnswerKind.OK,
        "10 feedback-smtp.us-east-1.amazonses.com.",
        "20 mx.example.net.",
        rdtype="MX",
    )
    assert classify(result, mx).status is CellStatus.WRONG_VALUE
    assert [h.kind for h in answer_hints(mx, result)] == [HintKind.EXTRA_MX]


def test_txt_through_a_cname_is_not_txt_at_the_name() -> None:
    through = answer(AnswerKind.OK, "k=rsa; p=x", cname_chain=("tok.dkim.amazonses.com.",))
    assert cname_probe_hints(CNAME, None, through) == []
    direct = answer(AnswerKind.OK, "tok.dkim.amazonses.com")
    assert [h.kind for h in cname_probe_hints(CNAME, None, direct)] == [
        HintKind.TXT_INSTEAD_OF_CNAME
    ]


def test_hints_merge_across_servers() -> None:
    a = answer(AnswerKind.OK, "104.16.1.1", rdtype="A")
    b = answer(AnswerKind.OK, "104.16.1.2", rdtype="A", server=RES)
    merged = merge_hints([*cname_probe_hints(CNAME, a, None), *cname_probe_hints(CNAME, b, None)])
    assert len(merged) == 1
    assert merged[0].servers == (AUTH.name, RES.name)
    assert merged[0].found == ("104.16.1.1", "104.16.1.2")


def test_record_state_never_declares_success_on_a_partial_view() -> None:
    match = classify(answer(AnswerKind.OK, *SPF.values), SPF)
    error = classify(answer(AnswerKind.ERROR, error="timeout"), SPF)
    missing = classify(answer(AnswerKind.NXDOMAIN), SPF)
    res_ok = classify(answer(AnswerKind.OK, *SPF.values, server=RES), SPF)
    res_missing = classify(answer(AnswerKind.NXDOMAIN, server=RES), SPF)
    assert record_state([match, error]) is RecordState.INCOMPLETE
    assert record_state([match, missing]) is RecordState.PARTIAL
    assert record_state([missing, missing]) is RecordState.MISSING
    assert record_state([match, res_missing]) is RecordState.PUBLISHED
    assert record_state([match, res_ok]) is RecordState.VISIBLE
    assert record_state([res_ok]) is RecordState.UNKNOWN

"""The check's areas on in-memory DNS and a stub SES: the logic without servers."""

from __future__ import annotations

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.core.checklist import Area, Severity
from sesdmarc_tui.core.lookup import AnswerKind, StaticLookup
from sesdmarc_tui.dns.query import QueryResult, Server, ServerKind
from sesdmarc_tui.troubleshoot.areas.dmarc import dmarc_items
from sesdmarc_tui.troubleshoot.areas.dmarc_names import server_items
from sesdmarc_tui.troubleshoot.areas.mail_from_plan import feedback_region
from sesdmarc_tui.troubleshoot.areas.policy_scope import summarize_policy
from sesdmarc_tui.troubleshoot.areas.spf import spf_items
from sesdmarc_tui.troubleshoot.servers import find_zone
from sesdmarc_tui.troubleshoot.ses_reader import read_ses
from tests.support import check_world as w

AUTH1 = Server("127.0.0.1", 5301, ServerKind.AUTHORITATIVE, "ns1")
AUTH2 = Server("127.0.0.1", 5302, ServerKind.AUTHORITATIVE, "ns2")
SES_SPF = ("amazonses.com", "TXT"), ["v=spf1 ip4:199.255.192.0/22 -all"]


def answer(server: Server, rdtype: str, *values: str, chain: tuple[str, ...] = ()) -> QueryResult:
    kind = AnswerKind.OK if values else AnswerKind.NODATA
    return QueryResult(server, "_dmarc.example.com.", rdtype, kind, values, cname_chain=chain)


def test_credential_failure_skips_the_ses_half_at_once() -> None:
    factory = w.no_credentials()
    report = read_ses("example.test", ["us-east-1", "eu-west-1"], None, factory)
    assert not report.readable
    assert {s.area for s in report.skipped} == {
        Area.SES,
        Area.DKIM,
        Area.AUTHORIZATION,
        Area.MAIL_FROM,
    }
    assert factory.asked == [(None, "us-east-1")]  # the second region was not tried


def test_access_denied_in_one_region_keeps_the_others() -> None:
    class Factory(w.StubSes):
        def __call__(self, profile: str | None, region: str | None) -> w._Reader:
            if region == "eu-west-1":
                raise AwsError(ErrorKind.ACCESS_DENIED, "Denied.", "Grant ses:GetEmailIdentity.")
            return super().__call__(profile, region)

    view = read_ses(
        "example.test", ["eu-west-1", "us-east-1"], "p", Factory({"us-east-1": w.identity()})
    )
    assert view.regions == ("us-east-1",)
    assert [i.id for i in view.items] == ["ses_unreadable"]
    assert view.items[0].fix == "Grant ses:GetEmailIdentity."
    assert view.account_id is None  # no policies: no STS call needed


def test_feedback_region_from_mx() -> None:
    assert feedback_region(("10 feedback-smtp.eu-west-1.amazonses.com.",)) == "eu-west-1"
    assert (
        feedback_region(("10 mx.example.com.", "5 feedback-smtp.nowhere-9.amazonses.com.")) is None
    )


def test_txt_and_cname_at_dmarc() -> None:
    items = server_items(
        "example.com",
        [
            answer(AUTH1, "TXT", "v=DMARC1; p=none"),
            answer(AUTH1, "CNAME"),
            answer(AUTH2, "TXT", "v=DMARC1; p=reject", chain=("d.vendor.example.",)),
            answer(AUTH2, "CNAME", "d.vendor.example."),
        ],
    )
    assert [i.id for i in items] == ["dmarc_txt_and_cname"]


def test_name_servers_disagreeing_on_dmarc() -> None:
    items = server_items(
        "example.com",
        [answer(AUTH1, "TXT", "v=DMARC1; p=none"), answer(AUTH2, "TXT", "v=DMARC1; p=reject")],
    )
    assert [(i.id, i.severity) for i in items] == [("dmarc_servers_disagree", Severity.WARNING)]


def test_policy_summary_names_who_may_send() -> None:
    lines = summarize_policy(w.POLICY)
    assert lines == [
        "statement 1 allows ses:SendEmail, ses:SendRawEmail to any principal; organization "
        "o-a1b2c3d4e5 (StringEquals); organization paths o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/* "
        "(ForAnyValue:StringLike)"
    ]
    account = '{"Statement":{"Effect":"Deny","Principal":{"AWS":"222233334444"},"Action":"ses:*"}}'
    assert summarize_policy(account) == ["statement 1 denies ses:* to AWS 222233334444"]
    assert summarize_policy("{")[0].startswith("unreadable")


def test_zone_is_the_closest_name_with_its_own_soa() -> None:
    lookup = StaticLookup({("example.com", "SOA"): ["ns1.example.com. h. 1 2 3 4 5"]})
    assert find_zone("mail.example.com", lookup) == "example.com"
    assert find_zone("a.b.example.org", StaticLookup()) == "example.org"


def test_ses_include_reached_through_another_include() -> None:
    lookup = StaticLookup(
        {
            ("mail.example.com", "TXT"): ["v=spf1 include:_spf.example.com ~all"],
            ("_spf.example.com", "TXT"): ["v=spf1 include:amazonses.com -all"],
            ("example.com", "TXT"): ["v=spf1 -all"],
            SES_SPF[0]: SES_SPF[1],
        }
    )
    items = spf_items("example.com", ["mail.example.com"], lookup)
    assert [i.id for i in items] == ["spf_valid", "spf_valid"]


def test_subdomain_record_without_org_record() -> None:
    lookup = StaticLookup(
        {("_dmarc.news.example.com", "TXT"): ["v=DMARC1; p=none; rua=mailto:d@example.com"]}
    )
    found = {i.id: i for i in dmarc_items("news.example.com", "example.com", lookup, [])}
    assert "dmarc_published" in found
    assert found["dmarc_org_record_missing"].severity is Severity.WARNING
    assert "_dmarc.example.com" in found["dmarc_org_record_missing"].fix


def test_subdomain_covered_by_the_org_record() -> None:
    lookup = StaticLookup(
        {
            ("_dmarc.example.com", "TXT"): [
                "v=DMARC1; p=none; sp=quarantine; rua=mailto:d@example.com"
            ]
        }
    )
    found = {i.id: i for i in dmarc_items("news.example.com", "example.com", lookup, [])}
    assert found["dmarc_inherited"].title.endswith("(sp=quarantine)")
    assert not any(i.severity is Severity.ERROR for i in found.values())

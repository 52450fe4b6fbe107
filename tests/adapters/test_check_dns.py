"""``run_check`` against real knotd zones: a healthy setup, and each operator mistake that DNS
shows (email-auth reference section 7), found with its fix.

The DNS-only mistakes run without AWS credentials, as an operator without access would. The
DKIM and MAIL FROM activation mistakes need SES's tokens, so a stub SES reader stands in for
the owner account (the sandbox tests do the same end to end through moto).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from typing import Any

import dns.asyncquery
import dns.query
import pytest

from sesdmarc_tui.core.checklist import Area, CheckItem, CheckReport, Severity
from sesdmarc_tui.dns.burst import Burst
from sesdmarc_tui.dns.query import Server, ServerKind
from sesdmarc_tui.troubleshoot import run_check
from tests.support import check_world as w
from tests.support.knot import KNOTD, KnotServer, start_knot

pytestmark = pytest.mark.realdns

Zone = Callable[[list[str]], KnotServer]


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test whose check would ask a server off this machine."""

    def guard(module: Any, fn: str) -> None:
        real = getattr(module, fn)

        def check(where: str) -> None:
            assert ipaddress.ip_address(where).is_loopback, f"queried {where}"

        if module is dns.asyncquery:

            async def guarded_async(q: Any, where: str, *a: Any, **kw: Any) -> Any:
                check(where)
                return await real(q, where, *a, **kw)

            monkeypatch.setattr(module, fn, guarded_async)
        else:

            def guarded(q: Any, where: str, *a: Any, **kw: Any) -> Any:
                check(where)
                return real(q, where, *a, **kw)

            monkeypatch.setattr(module, fn, guarded)

    for module in (dns.asyncquery, dns.query):
        for fn in ("udp", "tcp"):
            guard(module, fn)
    real_burst = Burst._udp

    async def guarded_burst(
        self: Burst, request: Any, wire: bytes, server: Any, *a: Any, **kw: Any
    ) -> Any:
        assert ipaddress.ip_address(server.address).is_loopback, f"queried {server}"
        return await real_burst(self, request, wire, server, *a, **kw)

    monkeypatch.setattr(Burst, "_udp", guarded_burst)


@pytest.fixture(scope="module")
def helpers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[KnotServer]]:
    """amazonses.com and other.test, shared by every test of the module."""
    if KNOTD is None:
        pytest.skip("knotd is not installed")
    base = tmp_path_factory.mktemp("helpers")
    servers = [
        start_knot(base / "ses", "amazonses.com.", w.AMAZONSES_ZONE),
        start_knot(base / "other", "other.test.", w.OTHER_ZONE),
    ]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def zone(knot_server_factory: Callable[[str, list[str]], KnotServer]) -> Zone:
    return lambda lines: knot_server_factory("example.test.", lines)


def check(
    zone_servers: list[KnotServer], helpers: list[KnotServer], ses: Any = None, **kw: Any
) -> CheckReport:
    nameservers = [(s.host, s.port) for s in [*zone_servers, *helpers]]
    factory = ses if ses is not None else w.no_credentials()
    return run_check(w.DOMAIN, nameservers=nameservers, session_factory=factory, **kw)


def only(report: CheckReport, item_id: str) -> CheckItem:
    found = report.find(item_id)
    assert len(found) == 1, (item_id, [i.to_json() for i in report.items])
    return found[0]


def ids(report: CheckReport, *severities: Severity) -> set[str]:
    return {i.id for i in report.items if not severities or i.severity in severities}


# --- healthy --------------------------------------------------------------------------------


def test_healthy_zone_without_credentials(zone: Zone, helpers: list[KnotServer]) -> None:
    report = check([zone(w.HEALTHY)], helpers)
    assert report.problems == ()
    assert not report.has_errors
    assert {"mail_from_dns_ok", "dmarc_published", "spf_valid"} <= ids(report, Severity.OK)
    assert {s.area for s in report.skipped} == {
        Area.SES,
        Area.DKIM,
        Area.AUTHORIZATION,
        Area.MAIL_FROM,
    }
    ses = next(s for s in report.skipped if s.area is Area.SES)
    assert "No AWS credentials" in ses.reason
    assert "name servers asked: ns1.example.test" in report.notes[0]


def test_healthy_setup_with_ses(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(policies={"org": w.POLICY})})
    report = check([zone([*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)])], helpers, ses)
    assert report.problems == (), [i.to_json() for i in report.problems]
    assert report.skipped == ()
    assert {
        "ses_verified",
        "dkim_published",
        "mail_from_active",
        "spf_valid",
        "dmarc_published",
        "policy_ok",
    } <= ids(report, Severity.OK)
    allows = only(report, "policy_allows")
    assert "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" in allows.detail
    assert report.to_json()["summary"]["errors"] == 0


# --- DNS-visible mistakes, no credentials -----------------------------------------------------

_DMARC = "_dmarc 300 IN TXT"
_NO_DMARC = [w.APEX_SPF, w.MAIL_MX, w.MAIL_SPF]
_LOOKUPS = " ".join(f"a:h{i}.example.test" for i in range(11))

MISTAKES: list[tuple[str, list[str], str, Severity, str]] = [
    (
        "dmarc doubled zone",
        [*_NO_DMARC, '_dmarc.example.test.example.test. 300 IN TXT "v=DMARC1; p=none"'],
        "dmarc_doubled_zone",
        Severity.ERROR,
        "Rename the record to _dmarc.example.test",
    ),
    (
        "two DMARC records",
        [*w.HEALTHY, f'{_DMARC} "v=DMARC1; p=reject"'],
        "dmarc_multiple_records",
        Severity.ERROR,
        "Delete all but one v=DMARC1 record",
    ),
    (
        "two SPF records",
        [*w.HEALTHY, 'example.test. 300 IN TXT "v=spf1 include:other.test ~all"'],
        "spf_multiple_spf_records",
        Severity.ERROR,
        "Merge them into one v=spf1 record",
    ),
    (
        "include after -all",
        [w.APEX_SPF, w.MAIL_MX, 'mail 300 IN TXT "v=spf1 -all include:amazonses.com"', w.DMARC],
        "spf_include_after_all",
        Severity.ERROR,
        "Move include:amazonses.com before the all term",
    ),
    (
        "too many lookups",
        [
            f'example.test. 300 IN TXT "v=spf1 {_LOOKUPS} -all"',
            *[f"h{i} 300 IN A 192.0.2.{i + 1}" for i in range(11)],
            w.MAIL_MX,
            w.MAIL_SPF,
            w.DMARC,
        ],
        "spf_too_many_dns_lookups",
        Severity.ERROR,
        "stay within 10 lookups",
    ),
    (
        "DMARC at the apex only",
        [*_NO_DMARC, 'example.test. 300 IN TXT "v=DMARC1; p=none"'],
        "dmarc_at_apex",
        Severity.ERROR,
        "Publish the record at _dmarc.example.test and delete the copy at example.test",
    ),
    (
        "stray apex copy",
        [*w.HEALTHY, 'example.test. 300 IN TXT "v=DMARC1; p=quarantine"'],
        "dmarc_at_apex",
        Severity.WARNING,
        "Delete the DMARC copy at example.test",
    ),
    (
        "missing semicolon",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1 p=none; rua=mailto:d@example.test"'],
        "dmarc_missing_semicolon",
        Severity.ERROR,
        "Separate the tags with ';'",
    ),
    (
        "leading whitespace",
        [*_NO_DMARC, f'{_DMARC} " v=DMARC1; p=none; rua=mailto:d@example.test"'],
        "dmarc_leading_whitespace",
        Severity.ERROR,
        "Remove the spaces before v=DMARC1",
    ),
    (
        "SPF at _dmarc",
        [*_NO_DMARC, f'{_DMARC} "v=spf1 -all"'],
        "dmarc_spf_at_dmarc_name",
        Severity.ERROR,
        "Move the SPF record to example.test",
    ),
    (
        "no DMARC",
        _NO_DMARC,
        "dmarc_missing",
        Severity.ERROR,
        'Publish _dmarc.example.test TXT "v=DMARC1; p=none;',
    ),
    (
        "external rua not authorized",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=none; rua=mailto:r@reports.other.test"'],
        "dmarc_external_rua_unauthorized",
        Severity.WARNING,
        "publish the authorization record",
    ),
    (
        "p=reject",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=reject; rua=mailto:d@example.test"'],
        "dmarc_p_reject",
        Severity.INFO,
        "",
    ),
    (
        "aspf=s",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=none; aspf=s; rua=mailto:d@example.test"'],
        "dmarc_aspf_strict",
        Severity.WARNING,
        "Remove aspf=s",
    ),
    (
        "adkim=s",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=none; adkim=s; rua=mailto:d@example.test"'],
        "dmarc_adkim_strict",
        Severity.WARNING,
        "Remove adkim=s",
    ),
    (
        "pct assumed to ramp",
        [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.test"'],
        "dmarc_pct_ramp",
        Severity.WARNING,
        "t=y plus pct=0",
    ),
    (
        "two MX at MAIL FROM",
        [*w.HEALTHY, "mail 300 IN MX 20 inbound.example.test."],
        "mail_from_extra_mx",
        Severity.ERROR,
        "Delete every MX record at mail.example.test except 10 feedback-smtp.us-east-1",
    ),
    (
        "MAIL FROM doubled zone",
        [
            w.APEX_SPF,
            w.DMARC,
            "mail.example.test.example.test. 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
        ],
        "mail_from_doubled_zone",
        Severity.ERROR,
        "Rename mail.example.test.example.test to mail.example.test",
    ),
    (
        "MAIL FROM SPF without SES",
        [w.APEX_SPF, w.MAIL_MX, 'mail 300 IN TXT "v=spf1 ip4:192.0.2.1 ~all"', w.DMARC],
        "spf_mail_from_no_amazonses",
        Severity.ERROR,
        "Add include:amazonses.com before the all term",
    ),
    (
        "MAIL FROM without SPF",
        [w.APEX_SPF, w.MAIL_MX, w.DMARC],
        "spf_mail_from_missing",
        Severity.ERROR,
        'Publish mail.example.test TXT "v=spf1 include:amazonses.com ~all"',
    ),
]


@pytest.mark.parametrize(
    ("lines", "item_id", "severity", "fix"),
    [pytest.param(*m[1:], id=m[0]) for m in MISTAKES],
)
def test_each_dns_mistake_is_found_with_its_fix(
    zone: Zone,
    helpers: list[KnotServer],
    lines: list[str],
    item_id: str,
    severity: Severity,
    fix: str,
) -> None:
    report = check([zone(lines)], helpers)
    item = only(report, item_id)
    assert item.severity is severity
    assert fix in item.fix
    if severity is Severity.ERROR:
        assert report.has_errors
    assert {s.area for s in report.skipped} >= {Area.SES, Area.DKIM}


def test_authorized_external_destination_is_no_finding(
    zone: Zone, helpers: list[KnotServer]
) -> None:
    lines = [*_NO_DMARC, f'{_DMARC} "v=DMARC1; p=none; rua=mailto:r@other.test"']
    report = check([zone(lines)], helpers)
    assert report.problems == ()


def test_txt_and_cname_at_dmarc_seen_across_name_servers(
    knot_server_factory: Callable[[str, list[str]], KnotServer], helpers: list[KnotServer]
) -> None:
    # One zone cannot hold both (knot refuses it); two name servers of the zone can serve one
    # each, which is what a resolver meets when a provider keeps both.
    a = knot_server_factory("example.test.", w.HEALTHY)
    b = knot_server_factory("example.test.", [*_NO_DMARC, "_dmarc 300 IN CNAME dmarc.other.test."])
    report = check([a, b], helpers)
    item = only(report, "dmarc_txt_and_cname")
    assert item.severity is Severity.ERROR
    assert "delete the CNAME at _dmarc.example.test" in item.fix
    assert "dmarc.other.test." in item.evidence


# --- mistakes that need SES's answer ------------------------------------------------------------


def _with_ses(
    zone: Zone, helpers: list[KnotServer], lines: list[str], ses: w.StubSes, **kw: Any
) -> CheckReport:
    return check([zone(lines)], helpers, ses, **kw)


US = w.StubSes({"us-east-1": w.identity()})


@pytest.mark.parametrize(
    ("dkim", "item_id", "fix"),
    [
        pytest.param(
            [
                f"{w.US_TOKENS[0]}._domainkey.example.test.example.test. 1800 IN CNAME "
                f"{w.US_TOKENS[0]}.dkim.amazonses.com.",
                *w.dkim_lines(w.US_TOKENS[1:]),
            ],
            "dkim_doubled_zone",
            f"Rename {w.US_TOKENS[0]}._domainkey.example.test.example.test to "
            f"{w.US_TOKENS[0]}._domainkey.example.test",
            id="doubled zone",
        ),
        pytest.param(
            [f"{w.US_TOKENS[0]}._domainkey 300 IN A 104.16.1.1", *w.dkim_lines(w.US_TOKENS[1:])],
            "dkim_proxied",
            "to DNS only (no proxy)",
            id="proxied",
        ),
        pytest.param(
            [
                f'{w.US_TOKENS[0]}._domainkey 300 IN TXT "{w.US_TOKENS[0]}.dkim.amazonses.com"',
                *w.dkim_lines(w.US_TOKENS[1:]),
            ],
            "dkim_txt_instead_of_cname",
            "Delete the TXT record at",
            id="TXT where the CNAME belongs",
        ),
        pytest.param(
            [
                f"{w.US_TOKENS[0]}._domainkey 1800 IN CNAME "
                f"{w.US_TOKENS[0]}.dkim.amazonses.com.example.test.",
                *w.dkim_lines(w.US_TOKENS[1:]),
            ],
            "dkim_record_wrong",
            f"Change the record to {w.US_TOKENS[0]}._domainkey.example.test CNAME "
            f"{w.US_TOKENS[0]}.dkim.amazonses.com",
            id="zone appended to the target",
        ),
        pytest.param(
            [],
            "dkim_records_missing",
            "Publish these 3 CNAMEs",
            id="not published",
        ),
    ],
)
def test_dkim_mistakes(
    zone: Zone, helpers: list[KnotServer], dkim: list[str], item_id: str, fix: str
) -> None:
    report = _with_ses(zone, helpers, [*w.HEALTHY, *dkim], US)
    item = only(report, item_id)
    assert item.severity is Severity.ERROR
    assert fix in item.fix
    assert "dkim_published" not in ids(report)


def test_regional_dkim_zone_expected(zone: Zone, helpers: list[KnotServer]) -> None:
    # af-south-1 signs from its own zone: records copied from a us-east-1 guide are wrong.
    ses = w.StubSes({"af-south-1": w.identity("af-south-1")}, default_region="af-south-1")
    lines = [*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)]
    report = _with_ses(zone, helpers, lines, ses)
    wrong = report.find("dkim_record_wrong")
    assert len(wrong) == 3, [i.to_json() for i in report.items]
    assert "dkim.af-south-1.amazonses.com" in wrong[0].fix


def test_records_for_one_region_only(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(), "eu-west-1": w.identity("eu-west-1", w.EU_TOKENS)})
    lines = [*w.HEALTHY, *w.dkim_lines(w.EU_TOKENS)]
    report = _with_ses(zone, helpers, lines, ses, regions=["us-east-1", "eu-west-1"])
    item = only(report, "dkim_records_for_other_region")
    assert item.title == "DKIM records exist for eu-west-1 but not for us-east-1"
    assert "Publish the 3 CNAMEs of us-east-1 as well" in item.fix
    assert report.regions == ("us-east-1", "eu-west-1")
    assert len(report.find("dkim_published")) == 1


def test_mail_from_published_but_never_activated(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(mail_from=None)})
    report = _with_ses(zone, helpers, [*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)], ses)
    item = only(report, "mail_from_not_activated")
    assert item.severity is Severity.ERROR
    assert "Set mail.example.test as the identity's custom MAIL FROM domain" in item.fix


def test_mail_from_not_configured_at_all(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(mail_from=None)})
    lines = [w.APEX_SPF, w.DMARC, *w.dkim_lines(w.US_TOKENS)]
    item = only(_with_ses(zone, helpers, lines, ses), "mail_from_not_configured")
    assert item.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("behaviour", "effect"),
    [("USE_DEFAULT_VALUE", "silently sends"), ("REJECT_MESSAGE", "rejects every send")],
)
def test_mx_missing_says_what_ses_does(
    zone: Zone, helpers: list[KnotServer], behaviour: str, effect: str
) -> None:
    ses = w.StubSes({"us-east-1": w.identity(mail_from_status="PENDING", behaviour=behaviour)})
    lines = [w.APEX_SPF, w.MAIL_SPF, w.DMARC, *w.dkim_lines(w.US_TOKENS)]
    item = only(_with_ses(zone, helpers, lines, ses), "mail_from_mx_unusable")
    assert effect in item.detail
    assert "Publish exactly one MX: mail.example.test MX 10 feedback-smtp" in item.fix


def test_pending_is_not_a_failure(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(status="PENDING", mail_from_status="PENDING")})
    report = _with_ses(zone, helpers, [*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)], ses)
    assert report.problems == ()
    assert "VerifiedForSendingStatus stays false" in only(report, "ses_pending").detail
    assert only(report, "mail_from_pending").severity is Severity.INFO


def test_failed_dkim_and_missing_identity(zone: Zone, helpers: list[KnotServer]) -> None:
    ses = w.StubSes({"us-east-1": w.identity(status="FAILED"), "eu-west-1": None})
    report = _with_ses(zone, helpers, w.HEALTHY, ses, regions=["us-east-1", "eu-west-1"])
    assert "restart verification" in only(report, "ses_dkim_failed").fix
    assert "in eu-west-1" in only(report, "ses_identity_missing").fix


def test_policy_findings_come_with_their_fix(zone: Zone, helpers: list[KnotServer]) -> None:
    broken = w.POLICY.replace("ou-ab12-11111111/*", "ou-ab12-11111111")
    ses = w.StubSes({"us-east-1": w.identity(policies={"org": broken})})
    report = _with_ses(zone, helpers, [*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)], ses)
    item = only(report, "policy_org_path_missing_slash")
    assert item.severity is Severity.ERROR
    assert item.fix.startswith("Write o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")
    assert "policy_ok" not in ids(report)


def test_mail_from_mx_for_another_region(zone: Zone, helpers: list[KnotServer]) -> None:
    lines = [
        w.APEX_SPF,
        w.MAIL_SPF,
        w.DMARC,
        "mail 300 IN MX 10 feedback-smtp.eu-west-1.amazonses.com.",
        *w.dkim_lines(w.US_TOKENS),
    ]
    item = only(_with_ses(zone, helpers, lines, US), "mail_from_mx_unusable")
    assert "10 feedback-smtp.eu-west-1.amazonses.com." in item.evidence
    assert item.fix == (
        "Publish exactly one MX: mail.example.test MX 10 feedback-smtp.us-east-1.amazonses.com."
    )


def test_without_name_servers_the_resolvers_decide(zone: Zone, helpers: list[KnotServer]) -> None:
    # What the sandbox's simulated resolvers give: no server answers for the zone itself.
    knot = zone([*w.HEALTHY, *w.dkim_lines(w.US_TOKENS[:2])])
    resolvers = [Server(s.host, s.port, ServerKind.RECURSIVE) for s in (knot, *helpers)]
    report = check([knot], helpers, US, authoritative=[], resolvers=resolvers)
    missing = only(report, "dkim_record_missing")
    assert missing.title.endswith(f"{w.US_TOKENS[2]}._domainkey.example.test CNAME")
    assert "mail_from_active" in ids(report, Severity.OK)
    assert report.find("dkim_record_unchecked") == []


def test_independent_lookup_chains_run_side_by_side_and_ask_once(
    zone: Zone, helpers: list[KnotServer]
) -> None:
    """The SPF walk and the DMARC tree walk overlap; no (name, type) is asked twice."""
    import threading
    import time
    from collections import Counter

    from sesdmarc_tui.core.lookup import Answer
    from sesdmarc_tui.dns.lookup import make_lookup

    servers = [zone([*w.HEALTHY, *w.dkim_lines(w.US_TOKENS)]), *helpers]
    real = make_lookup([(s.host, s.port) for s in servers])
    asked: Counter[tuple[str, str]] = Counter()
    busy, peak, guard = [0], [0], threading.Lock()

    def slow(name: str, rdtype: str) -> Answer:
        with guard:
            asked[(name.rstrip(".").lower(), rdtype)] += 1
            busy[0] += 1
            peak[0] = max(peak[0], busy[0])
        time.sleep(0.05)  # a distant resolver: overlapping chains show as two at once
        try:
            return real(name, rdtype)
        finally:
            with guard:
                busy[0] -= 1

    ses = w.StubSes({"us-east-1": w.identity(policies={"org": w.POLICY})})
    report = check(servers[:1], helpers, ses, lookup=slow)
    assert report.problems == (), [i.to_json() for i in report.problems]
    assert peak[0] >= 2, "every lookup ran alone: the chains were not overlapped"
    assert max(asked.values()) == 1, asked

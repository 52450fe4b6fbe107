"""The demo's seeded zones: the operator's domain and the amazonses.com world SES points to."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from sesdmarc_tui.core.lookup import AnswerKind
from sesdmarc_tui.core.records import dkim_records
from sesdmarc_tui.core.regions import dkim_target_zone, mail_from_mx_host, ses_region_names
from sesdmarc_tui.core.spf.check import check_spf
from sesdmarc_tui.sandbox.dns.runner import SandboxDns
from sesdmarc_tui.sandbox.dns.seed import (
    DEMO_DOMAIN,
    SES_SENDING_IP,
    SES_SPF,
    demo_zone_records,
    dkim_key_name,
    publish_dkim_key,
    seed_store,
)
from tests.sandbox.dns._support import resolver_lookup

TOKEN = "abcdefghijklmnopqrstuvwxyz012345"


def test_default_world_serves_the_demo_domain_and_every_regions_ses_names() -> None:
    store = seed_store()
    assert {"amazonses.com", "dkim.amazonses.com", "example.com"} <= set(store.zones())
    for region in ses_region_names():
        assert store.get_rrset(mail_from_mx_host(region), "A") is not None
        assert dkim_target_zone(region) in store.zones()
    for record in demo_zone_records(DEMO_DOMAIN):
        view = store.get_rrset(record.name, record.rtype)
        assert view is not None and view.ttl == record.ttl
    assert store.get_rrset("_dmarc.example.com", "TXT") is None  # the wizard's job
    assert store.get_rrset("feedback-smtp.us-east-1.amazonses.com", "A") is not None


def test_a_world_for_chosen_regions_only() -> None:
    store = seed_store(domain="demo.example.net", regions=("us-east-1", "af-south-1"))
    assert store.zones() == (
        "amazonses.com",
        "demo.example.net",
        "dkim.af-south-1.amazonses.com",
        "dkim.amazonses.com",
    )
    assert store.get_rrset("feedback-smtp.eu-west-1.amazonses.com", "A") is None
    assert store.get_rrset("feedback-smtp.af-south-1.amazonses.com", "A") is not None
    assert store.zone_for("_dmarc.demo.example.net") == "demo.example.net"


def test_amazonses_spf_is_ip4_only_and_covers_the_sending_ip() -> None:
    terms = SES_SPF.split()
    assert terms[0] == "v=spf1" and terms[-1] == "-all"
    networks = [ipaddress.ip_network(t.removeprefix("ip4:")) for t in terms[1:-1]]
    assert all(t.startswith("ip4:") for t in terms[1:-1])
    assert any(ipaddress.ip_address(SES_SENDING_IP) in net for net in networks)


def test_include_amazonses_costs_one_lookup_through_a_sandbox_resolver(
    sandbox_factory: Callable[..., SandboxDns],
) -> None:
    sandbox = sandbox_factory()
    sandbox.set_rrset("mail.example.com", "TXT", 300, ["v=spf1 include:amazonses.com ~all"])
    check = check_spf("mail.example.com", resolver_lookup(sandbox))
    assert check.valid, check.errors
    assert check.dns_lookups == 1


def test_an_easy_dkim_cname_resolves_to_the_published_key(
    sandbox_factory: Callable[..., SandboxDns],
) -> None:
    sandbox = sandbox_factory()
    name = publish_dkim_key(sandbox.store, TOKEN, "us-east-1", "MIIBIjANBgkq")
    assert name == dkim_key_name(TOKEN, "us-east-1") == f"{TOKEN}.dkim.amazonses.com"
    (cname,) = dkim_records(DEMO_DOMAIN, [TOKEN], "us-east-1")[:1]
    lookup = resolver_lookup(sandbox)
    assert lookup(cname.name, "TXT").kind is AnswerKind.NXDOMAIN  # not published yet
    sandbox.set_rrset(cname.name, "CNAME", cname.ttl, list(cname.values))
    sandbox.flush_resolvers()
    answer = lookup(cname.name, "TXT")
    assert answer.values == ("p=MIIBIjANBgkq",)
    assert answer.cname_chain == (f"{TOKEN}.dkim.amazonses.com.",)


def test_a_signing_hosted_zone_not_yet_served_is_added() -> None:
    store = seed_store()
    name = publish_dkim_key(
        store, TOKEN, "us-east-1", "KEY", signing_hosted_zone="dkim.sandbox-signing.amazonses.com"
    )
    assert store.zone_for(name) == "dkim.sandbox-signing.amazonses.com"
    assert store.get_rrset(name, "TXT").values == ("p=KEY",)  # type: ignore[union-attr]

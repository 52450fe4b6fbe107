"""Cleanup in the sandbox through the engine: exactly the wizard's records and policy go.

The setup is made by the step engine as the wizard makes it, with foreign data seeded where a
careless cleanup would hit it: a TXT value at the MAIL FROM name (merged into the same set as
the wizard's SPF), the zone's own MX and SPF at the apex, and a second identity policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sesdmarc_tui.dns.lookup import make_lookup
from sesdmarc_tui.flow.cleanup import CleanupRequest, apply_cleanup, find_session, plan_cleanup
from sesdmarc_tui.flow.context import TSIG_SECRET
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.steps.base import AUTHORIZATION, DKIM, DMARC, MAIL_FROM
from tests.support.sandbox_setup import (
    DOMAIN,
    MAIL_FROM_DOMAIN,
    REGION,
    put_foreign_policy,
    rfc2136_inputs,
    route53_records,
    sandbox_context,
    ses_policies,
    set_up,
    upsert,
)

FOREIGN_TXT = '"google-site-verification=abc123"'


def ses_identity(box: Any) -> dict[str, Any]:
    client = box.session(region=REGION).client("sesv2")
    return dict(client.get_email_identity(EmailIdentity=DOMAIN))


def test_route53_cleanup_removes_exactly_what_the_wizard_made(sandbox: Any, tmp_path: Path) -> None:
    upsert(sandbox, MAIL_FROM_DOMAIN, "TXT", [FOREIGN_TXT])
    ctx = sandbox_context(sandbox, tmp_path / "data")
    wizard = Wizard(ctx)
    set_up(wizard, sandbox)
    put_foreign_policy(sandbox)
    before = route53_records(sandbox)
    cnames = [k for k in before if k[1] == "CNAME" and "_domainkey" in k[0]]
    assert len(cnames) == 3
    assert sorted(before[(MAIL_FROM_DOMAIN, "TXT")]) == sorted(
        [FOREIGN_TXT, '"v=spf1 include:amazonses.com ~all"']
    )

    request = CleanupRequest(DOMAIN, REGION, sandbox.profiles.owner)
    plan = plan_cleanup(ctx, request)
    assert plan.source == "state" and plan.state_path == wizard.state_path
    ids = [a.id for a in plan.actions]
    assert ids[:2] == [
        "cleanup.delete_policy.sesdmarc-delegated-sending",
        "cleanup.reset_mail_from",
    ]
    assert sorted(ids[2:]) == sorted(
        [f"cleanup.dns.cname.{name}" for name, _ in cnames]
        + [f"cleanup.dns.mx.{MAIL_FROM_DOMAIN}", f"cleanup.dns.txt.{MAIL_FROM_DOMAIN}"]
        + [f"cleanup.dns.txt._dmarc.{DOMAIN}"]
    )
    assert any(f.label == "Policy other-team" for f in plan.kept)
    assert route53_records(sandbox) == before  # planning wrote nothing

    report = apply_cleanup(ctx, plan)
    assert all(r.ok for r in report.results)
    after = route53_records(sandbox)
    assert not [k for k in after if "_domainkey" in k[0]]
    assert (MAIL_FROM_DOMAIN, "MX") not in after
    assert after[(MAIL_FROM_DOMAIN, "TXT")] == [FOREIGN_TXT]  # the foreign value stays
    assert (f"_dmarc.{DOMAIN}", "TXT") not in after
    untouched = {k: v for k, v in before.items() if k[0] in (DOMAIN, f"www.{DOMAIN}")}
    assert {k: after[k] for k in untouched} == untouched  # apex MX, SPF, A, NS, SOA
    assert set(ses_policies(sandbox)) == {"other-team"}
    identity = ses_identity(sandbox)  # kept without --delete-identity
    assert "MailFromDomain" not in identity.get("MailFromAttributes", {})

    entries = [e for e in ctx.audit.entries() if e["step"] == "cleanup"]
    assert [e["action"] for e in entries] == ids and {e["result"] for e in entries} == {"ok"}
    saved = ctx.store.load(wizard.state_path)  # type: ignore[arg-type]
    assert saved.resource(AUTHORIZATION, "policy_name") is None
    assert saved.resource(DMARC, "record") is None
    assert saved.resource(MAIL_FROM, "mail_from_domain") is None
    for step in (DKIM, MAIL_FROM, DMARC):
        assert saved.resource(step, "published") == {}
    assert set(saved.step("cleanup").done) == {a.key for a in plan.actions}

    again = plan_cleanup(ctx, request)
    assert again.empty  # a second cleanup has nothing left to delete


def test_rfc2136_cleanup_and_identity_deletion(sandbox: Any, tmp_path: Path) -> None:
    ctx = sandbox_context(sandbox, tmp_path / "data")
    wizard = Wizard(ctx)
    set_up(wizard, sandbox, rfc2136_inputs(sandbox))
    sandbox.dns.store.set_rrset(f"_dmarc.{DOMAIN}", "TXT", 300, ["v=DMARC1; p=reject"])

    fresh = sandbox_context(sandbox, tmp_path / "data")  # a new process: the secret is gone
    fresh.secrets[TSIG_SECRET] = sandbox.dns.tsig.secret
    request = CleanupRequest(DOMAIN, REGION, sandbox.profiles.owner, delete_identity=True)
    plan = plan_cleanup(fresh, request, find_session(fresh, request))
    ids = [a.id for a in plan.actions]
    assert ids[:2] == [
        "cleanup.delete_policy.sesdmarc-delegated-sending",
        "cleanup.delete_identity",
    ]
    assert f"cleanup.dns.txt._dmarc.{DOMAIN}" not in ids  # changed since: left in place
    assert any(f.label == f"TXT _dmarc.{DOMAIN}" for f in plan.kept)
    assert len([i for i in ids if i.startswith("cleanup.dns.")]) == 5

    cnames = wizard.inspect("dkim").records
    apply_cleanup(fresh, plan)
    lookup = make_lookup([sandbox.dns.auth_address])  # the zone itself, no resolver cache
    assert not lookup(MAIL_FROM_DOMAIN, "MX").values
    assert not lookup(MAIL_FROM_DOMAIN, "TXT").values
    assert lookup(f"_dmarc.{DOMAIN}", "TXT").values == ("v=DMARC1; p=reject",)
    assert len(cnames) == 3
    for record in cnames:
        assert not lookup(record.name, "CNAME").values
    client = sandbox.session(region=REGION).client("sesv2")
    assert DOMAIN not in [
        i["IdentityName"] for i in client.list_email_identities()["EmailIdentities"]
    ]
    assert sandbox.dns.tsig.secret not in (tmp_path / "data" / "audit.jsonl").read_text()


def test_without_a_session_only_exact_matches_and_manual_prints(
    sandbox: Any, tmp_path: Path
) -> None:
    ctx = sandbox_context(sandbox, tmp_path / "data")
    set_up(Wizard(ctx), sandbox)
    other = sandbox_context(sandbox, tmp_path / "elsewhere")  # no session file there
    request = CleanupRequest(DOMAIN, REGION, sandbox.profiles.owner, provider="manual")
    plan = plan_cleanup(other, request)
    assert plan.source == "matched" and plan.state_path is None
    dns = [a.id for a in plan.actions if a.kind == "dns_change"]
    assert len(dns) == 5 and f"cleanup.dns.txt._dmarc.{DOMAIN}" not in dns
    assert any(n.label == "DMARC record" for n in plan.notes)
    before = route53_records(sandbox)

    report = apply_cleanup(other, plan)
    assert route53_records(sandbox) == before  # manual: nothing deleted, only told
    assert len(report.instructions) == 5
    assert all(kit.zone_snippet.startswith("; remove:") for kit in report.instructions)
    manual = [e for e in other.audit.entries() if e["result"] == "manual"]
    assert len(manual) == 5

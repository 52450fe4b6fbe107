"""A finished setup in the sandbox, made through the step engine as the wizard makes it.

Used by the line-mode and cleanup tests: a context pointed at a running ``Sandbox`` (as
``sesdmarc demo`` points it, without SES pacing), the engine driven through the steps with the
inputs an operator would give, and small readers for what Route 53 and SES then hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sesdmarc_tui.aws.pacing import Pacer
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext
from sesdmarc_tui.flow.engine import Wizard

DOMAIN = "example.com"
REGION = "eu-west-1"
MAIL_FROM_DOMAIN = f"mail.{DOMAIN}"


def sandbox_context(box: Any, state_dir: Path) -> FlowContext:
    """The context ``sesdmarc demo`` builds, with SES pacing off and short poll delays."""
    ctx = FlowContext.from_environment(
        box.profiles.owner,
        box.region,
        nameservers=[box.nameserver],
        authoritative=[box.dns.auth_address],
        board_resolvers=box.resolvers,
        state_dir=state_dir,
        clock=box.clock.now,
        mailbox=box.mailbox.fetch,
    )
    ctx.ses_adapter = lambda s: SesAdapter(s, pacer=Pacer(0.0))
    ctx.poll_delays = (0.05, 0.1, 0.2)
    return ctx


def rfc2136_inputs(box: Any) -> dict[str, object]:
    host, port = box.dns.auth_address
    tsig = box.dns.tsig
    return {
        "provider": "rfc2136",
        "rfc2136_server": host,
        "rfc2136_port": str(port),
        "rfc2136_key_name": tsig.name.rstrip("."),
        "rfc2136_algorithm": tsig.algorithm.rstrip("."),
        TSIG_SECRET: tsig.secret,
    }


def set_up(wizard: Wizard, box: Any, provider: dict[str, object] | None = None) -> None:
    """Accounts to Authorization (the test email is not needed for what these tests check)."""
    domain_inputs = {"domain": DOMAIN, **(provider or {"provider": "route53"})}
    assert not wizard.set_inputs("accounts", {"profile": box.profiles.owner, "region": REGION})
    wizard.run_step("accounts")
    assert not wizard.set_inputs("domain", domain_inputs)
    wizard.run_step("domain")
    wizard.run_step("dkim")
    assert wizard.wait_until_done("dkim", timeout=20).done
    assert not wizard.set_inputs("mail_from", {"subdomain": MAIL_FROM_DOMAIN})
    wizard.run_step("mail_from")
    assert wizard.wait_until_done("mail_from", timeout=20).done
    assert not wizard.set_inputs("dmarc", {"stage": "1", "rua": f"dmarc-reports@{DOMAIN}"})
    assert wizard.run_step("dmarc").status.done
    assert not wizard.set_inputs("authorization", {"scope": "organization"})
    assert wizard.run_step("authorization").status.done


def route53_records(box: Any) -> dict[tuple[str, str], list[str]]:
    """Every record set of the sandbox's hosted zone, values sorted."""
    client = box.session().client("route53")
    pages = client.get_paginator("list_resource_record_sets")
    found: dict[tuple[str, str], list[str]] = {}
    for page in pages.paginate(HostedZoneId=box.world.hosted_zone_id):
        for rrset in page["ResourceRecordSets"]:
            key = (rrset["Name"].rstrip(".").lower(), rrset["Type"])
            found[key] = sorted(r["Value"] for r in rrset.get("ResourceRecords", []))
    return found


def upsert(box: Any, name: str, rtype: str, values: list[str], ttl: int = 300) -> None:
    """Write a record set through Route 53 (mirrored into the sandbox's DNS)."""
    box.session().client("route53").change_resource_record_sets(
        HostedZoneId=box.world.hosted_zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": rtype,
                        "TTL": ttl,
                        "ResourceRecords": [{"Value": v} for v in values],
                    },
                }
            ]
        },
    )


def ses_policies(box: Any) -> dict[str, str]:
    client = box.session(region=REGION).client("sesv2")
    return dict(client.get_email_identity_policies(EmailIdentity=DOMAIN)["Policies"])


def put_foreign_policy(box: Any, name: str = "other-team") -> None:
    account = box.world.management.id
    policy = (
        '{"Version":"2012-10-17","Statement":[{"Sid":"Other","Effect":"Allow",'
        f'"Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"ses:SendEmail",'
        f'"Resource":"arn:aws:ses:{REGION}:{account}:identity/{DOMAIN}"}}]}}'
    )
    box.session(region=REGION).client("sesv2").create_email_identity_policy(
        EmailIdentity=DOMAIN, PolicyName=name, Policy=policy
    )

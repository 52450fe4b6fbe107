"""The demo's AWS world, created through the AWS APIs exactly as an operator's world exists.

An organization whose management account (moto's default account, 123456789012) owns the
domain; OUs with a nested OU and a member account in each; the domain's public Route 53
hosted zone with the records the DNS half seeds (an apex SPF and a site-verification string
next to it, so the wizard has a TXT set to merge into and must not wipe). Everything goes
through boto3 and the sandbox's endpoint, so the seed also proves the plumbing works.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.core.records import make_record
from sesdmarc_tui.core.render import route53_values
from sesdmarc_tui.sandbox.dns.seed import demo_zone_records

# (OU name, parent OU name or None for the root), parents first.
ORGANIZATIONAL_UNITS: tuple[tuple[str, str | None], ...] = (
    ("Marketing", None),
    ("Campaigns", "Marketing"),
    ("Engineering", None),
)
# (account name, OU name): who could become a delegate sender.
MEMBER_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("marketing", "Marketing"),
    ("campaigns", "Campaigns"),
    ("engineering", "Engineering"),
)
DELEGATE_ROLE = "OrganizationAccountAccessRole"  # what Organizations creates in new accounts


@dataclass(frozen=True)
class DemoAccount:
    name: str
    id: str
    ou: str  # the OU's path of names, "Marketing/Campaigns" ("Root" for the management account)
    ou_id: str

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.id}:role/{DELEGATE_ROLE}"


@dataclass(frozen=True)
class SeededWorld:
    domain: str
    org_id: str
    root_id: str
    management: DemoAccount
    ous: dict[str, str]  # OU name -> OU ID
    members: tuple[DemoAccount, ...]
    hosted_zone_id: str

    def account(self, name: str) -> DemoAccount:
        for account in (self.management, *self.members):
            if account.name == name:
                return account
        raise KeyError(name)


def _organization(org: Any) -> tuple[str, str, str, dict[str, str]]:
    """(organization ID, root ID, management account ID, OU name -> ID)."""
    created = org.create_organization(FeatureSet="ALL")["Organization"]
    root_id = str(org.list_roots()["Roots"][0]["Id"])
    ous: dict[str, str] = {}
    for name, parent in ORGANIZATIONAL_UNITS:
        parent_id = ous[parent] if parent else root_id
        made = org.create_organizational_unit(ParentId=parent_id, Name=name)
        ous[name] = str(made["OrganizationalUnit"]["Id"])
    return str(created["Id"]), root_id, str(created["MasterAccountId"]), ous


def ou_path(name: str) -> str:
    """``Marketing/Campaigns``: the OU's name under its parents' names."""
    parents = dict(ORGANIZATIONAL_UNITS)
    names = [name]
    while parents.get(names[0]):
        names.insert(0, str(parents[names[0]]))
    return "/".join(names)


def _members(org: Any, domain: str, root_id: str, ous: dict[str, str]) -> tuple[DemoAccount, ...]:
    members = []
    for name, ou in MEMBER_ACCOUNTS:
        status = org.create_account(AccountName=name, Email=f"aws+{name}@{domain}")
        account_id = str(status["CreateAccountStatus"]["AccountId"])
        org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=ous[ou])
        members.append(DemoAccount(name, account_id, ou_path(ou), ous[ou]))
    return tuple(members)


def _hosted_zone(route53: Any, domain: str) -> str:
    created = route53.create_hosted_zone(Name=domain, CallerReference=f"sesdmarc-demo-{domain}")
    zone_id = str(created["HostedZone"]["Id"]).rpartition("/")[2]
    changes = []
    for seed in demo_zone_records(domain):
        record = make_record(seed.name, seed.rtype, seed.values, seed.ttl)
        rrset = {
            "Name": record.name + ".",
            "Type": record.rtype,
            "TTL": record.ttl,
            "ResourceRecords": [{"Value": v} for v in route53_values(record)],
        }
        changes.append({"Action": "UPSERT", "ResourceRecordSet": rrset})
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    return zone_id


def seed_world(owner: AwsSession, domain: str) -> SeededWorld:
    """Create the organization, accounts and hosted zone as the management account.

    The hosted zone is made on a second thread while the organization is built: the first
    Route 53 call makes moto compile its routes, and the two need nothing from each other.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-seed") as pool:
        zone = pool.submit(_hosted_zone, owner.client("route53"), domain)
        org = owner.client("organizations")
        org_id, root_id, management_id, ous = _organization(org)
        members = _members(org, domain, root_id, ous)
        zone_id = zone.result()
    management = DemoAccount("management", management_id, "Root", root_id)
    return SeededWorld(domain, org_id, root_id, management, ous, members, zone_id)

"""`sesdmarc export`: zone file and CSV of the records, Terraform parsed with python-hcl2, and
CloudFormation parsed as JSON and YAML and checked by cfn-lint against CloudFormation's
resource schemas, from a saved session and from a config.

The session here is what the wizard saves after a full setup (tokens, published record sets,
the policy), built directly so that it can hold the awkward cases: a TXT set the wizard merged
into (it keeps the other value), and a DMARC record longer than one 255-octet string.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from click.testing import CliRunner
from hcl2 import SerializationOptions

from sesdmarc_tui.cli import cli
from sesdmarc_tui.core.policy import Accounts, build_policy_json
from sesdmarc_tui.core.records import dkim_records, mail_from_records
from sesdmarc_tui.core.txt import split_txt
from sesdmarc_tui.export import build_facts, render
from sesdmarc_tui.export.facts import PLACEHOLDER_ORG
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.dmarc import wanted_record
from sesdmarc_tui.flow.store import SessionStore
from sesdmarc_tui.setup_config import parse_config
from sesdmarc_tui.setup_config.example import EXAMPLE
from sesdmarc_tui.setup_config.validate import validate_config

ACCOUNT = "111122223333"
TOKENS = (
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "cccccccccccccccccccccccccccccccc",
)
OTHER_TXT = "google-site-verification=abc123"
MANY_RUA = ", ".join(f'"aggregate-reports-{n:02d}@reports.example.com"' for n in range(12))
CONFIG = f"""
[accounts]
profile = "owner"
region = "eu-west-1"
[domain]
name = "example.com"
dns_provider = "route53"
[mail_from]
subdomain = "bounce"
behavior_on_mx_failure = "REJECT_MESSAGE"
[dmarc]
stage = 3
rua = [{MANY_RUA}]
[authorization]
scope = "accounts"
targets = ["444455556666"]
[test_email]
delegate_profile = "d"
to = "ops@example.com"
"""


def published(records: Any, values: dict[str, list[str]] | None = None) -> dict[str, Any]:
    table = {}
    for record in records:
        key = f"{record.rtype} {record.name}"
        table[key] = {
            "values": (values or {}).get(key, list(record.values)),
            "ttl": record.ttl,
            "zone": "example.com",
            "provider": "route53",
        }
    return table


def finished_session() -> SessionState:
    """What the wizard saves once the whole setup is done."""
    state = validate_config(parse_config(CONFIG))
    state.account, state.provider, state.finished = ACCOUNT, "route53", True
    state.step("domain").resources["zone"] = "example.com"
    dkim = state.step("dkim").resources
    dkim.update(selectors=list(TOKENS), signing_hosted_zone="dkim.amazonses.com")
    dkim["published"] = published(dkim_records("example.com", TOKENS, "eu-west-1"))
    mx, txt = mail_from_records("bounce.example.com", "eu-west-1")
    merged = {f"TXT {txt.name}": [OTHER_TXT, txt.values[0]]}  # an existing value, kept
    state.step("mail_from").resources.update(
        mail_from_domain=mx.name,
        behavior_on_mx_failure="REJECT_MESSAGE",
        published=published([mx, txt], merged),
    )
    record = wanted_record(state)
    state.step("dmarc").resources.update(record=record, organizational_domain="example.com")
    arn = f"arn:aws:ses:eu-west-1:{ACCOUNT}:identity/example.com"
    policy = build_policy_json(arn, [Accounts(("444455556666",), "o-a1b2c3d4e5")])
    state.step("authorization").resources.update(policy_name="delegates", policy=policy)
    return state


@pytest.fixture
def session() -> SessionState:
    return finished_session()


def facts_of(state: SessionState) -> Any:
    return build_facts(state, source="session.json", from_session=True)


def parse_hcl(text: str) -> dict[str, Any]:
    options = SerializationOptions(strip_string_quotes=True, with_comments=False)
    return hcl2.loads(text, serialization_options=options)


def resources(tree: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (kind, name): body
        for item in tree["resource"]
        for kind, named in item.items()
        for name, body in named.items()
    }


def cfn_lint(text: str) -> list[str]:
    """cfn-lint's findings: it checks every resource type, property and GetAtt attribute
    against CloudFormation's own resource schemas."""
    from cfnlint.api import ManualArgs, lint

    return [str(m) for m in lint(text, config=ManualArgs(regions=["eu-west-1"]))]


def heredoc_json(value: str, substitutions: dict[str, str]) -> Any:
    body = value.split("\n", 1)[1].rsplit("\n", 1)[0]  # drop <<-EOT and EOT
    text = textwrap.dedent(body)
    for reference, literal in substitutions.items():
        text = text.replace(reference, literal)
    return json.loads(text)


def txt_strings(value: str) -> list[str]:
    """The strings of a Terraform TXT value: written joined by \\"\\" as the provider
    expects, which the parser hands back unescaped."""
    return value.split('""')


def test_zone_snippet_and_csv_hold_the_published_record_sets(session: SessionState) -> None:
    facts = facts_of(session)
    zone = render(facts, "zone")
    assert "$ORIGIN example.com." in zone
    for token in TOKENS:
        assert f"{token}._domainkey.example.com. 1800 IN CNAME {token}.dkim.amazonses.com." in zone
    assert re.search(
        r"bounce\.example\.com\.\s+300\s+IN MX\s+10 feedback-smtp\.eu-west-1\.amazonses\.com\.",
        zone,
    )
    assert f'"{OTHER_TXT}"' in zone and '"v=spf1 include:amazonses.com ~all"' in zone
    dmarc_line = next(line for line in zone.splitlines() if line.startswith("_dmarc."))
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', dmarc_line)
    assert len(strings) > 1 and all(len(s.encode()) <= 255 for s in strings)
    assert "".join(strings) == session.resource("dmarc", "record")

    rows = list(csv.reader(io.StringIO(render(facts, "csv"))))
    assert rows[0] == ["name", "type", "ttl", "value"]
    assert len(rows) == 1 + 3 + 1 + 2 + 1  # CNAMEs, MX, the two TXT values, DMARC
    assert ["_dmarc.example.com.", "TXT", "300", session.resource("dmarc", "record")] in rows


def test_terraform_from_a_session(session: SessionState) -> None:
    text = render(facts_of(session), "terraform")
    assert '\\"\\"' in text  # long TXT: strings joined by \"\" inside the HCL string
    tree = parse_hcl(text)
    found = resources(tree)
    identity = found[("aws_sesv2_email_identity", "identity")]
    assert identity["email_identity"] == "example.com"
    assert identity["dkim_signing_attributes"][0]["next_signing_key_length"] == "RSA_2048_BIT"
    mail_from = found[("aws_sesv2_email_identity_mail_from_attributes", "mail_from")]
    assert mail_from["mail_from_domain"] == "bounce.example.com"
    assert mail_from["behavior_on_mx_failure"] == "REJECT_MESSAGE"
    assert mail_from["email_identity"] == "${aws_sesv2_email_identity.identity.email_identity}"
    dkim = found[("aws_route53_record", "dkim")]
    assert dkim["count"] == 3 and dkim["type"] == "CNAME"
    assert "dkim_signing_attributes[0].tokens[count.index]" in dkim["name"]
    assert dkim["records"][0].endswith(".dkim.amazonses.com")
    assert dkim["zone_id"] == "${data.aws_route53_zone.zone_example_com.zone_id}"
    mx = found[("aws_route53_record", "mail_from_mx")]
    assert mx["records"] == ["10 feedback-smtp.eu-west-1.amazonses.com"] and mx["ttl"] == 300
    spf = found[("aws_route53_record", "mail_from_txt")]
    assert sorted(spf["records"]) == sorted([OTHER_TXT, "v=spf1 include:amazonses.com ~all"])
    [dmarc] = found[("aws_route53_record", "dmarc")]["records"]
    strings = txt_strings(dmarc)
    assert len(strings) > 1 and all(len(s.encode()) <= 255 for s in strings)
    assert strings == split_txt(session.resource("dmarc", "record"))  # type: ignore[arg-type]
    policy = found[("aws_sesv2_email_identity_policy", "policy")]
    assert policy["policy_name"] == "delegates"
    arn = f"arn:aws:ses:eu-west-1:{ACCOUNT}:identity/example.com"
    document = heredoc_json(policy["policy"], {"${aws_sesv2_email_identity.identity.arn}": arn})
    assert document == json.loads(session.resource("authorization", "policy"))  # type: ignore[arg-type]
    [zone] = [d for d in tree["data"] if "aws_route53_zone" in d]
    assert zone["aws_route53_zone"]["zone_example_com"]["name"] == "example.com"
    targets = {block["to"] for block in tree["import"]}
    assert "${aws_sesv2_email_identity.identity}" in targets
    assert "${aws_route53_record.dkim[2]}" in targets and len(targets) == 3 + 3 + 3
    ids = {block["id"] for block in tree["import"]}
    assert "example.com|delegates" in ids
    assert (
        f"${{data.aws_route53_zone.zone_example_com.zone_id}}_{TOKENS[0]}._domainkey.example.com_CNAME"
        in ids
    )


def test_terraform_and_records_from_a_config() -> None:
    text = EXAMPLE.replace('scope = "ou_subtree"', 'scope = "organization"')
    text = text.replace('targets = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]', "")
    config = parse_config(text)
    facts = build_facts(validate_config(config), source="setup.toml", from_session=False)
    assert facts.records_of("dkim") == [] and any("DKIM tokens" in n for n in facts.notes)
    tree = parse_hcl(render(facts, "terraform"))
    assert "import" not in tree
    assert any("aws_organizations_organization" in d for d in tree["data"])
    policy = resources(tree)[("aws_sesv2_email_identity_policy", "policy")]["policy"]
    assert "${data.aws_organizations_organization.current.id}" in policy
    assert PLACEHOLDER_ORG not in policy and "000000000000" not in policy
    zone = render(facts, "zone")
    assert "_domainkey" not in zone.replace("<token>._domainkey", "")
    assert "; The DKIM tokens are known only once SES has created the identity" in zone


def test_cloudformation_from_a_session(session: SessionState) -> None:
    text = render(facts_of(session), "cloudformation")
    template = json.loads(text)
    assert yaml.safe_load(text) == template  # JSON templates are YAML too
    assert cfn_lint(text) == []
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert "no resource type for SES identity policies" in template["Description"]
    found = template["Resources"]
    identity = found["EmailIdentity"]
    assert identity["Type"] == "AWS::SES::EmailIdentity"
    properties = identity["Properties"]
    assert properties["EmailIdentity"] == "example.com"
    assert properties["DkimSigningAttributes"] == {"NextSigningKeyLength": "RSA_2048_BIT"}
    assert properties["MailFromAttributes"] == {
        "MailFromDomain": "bounce.example.com",
        "BehaviorOnMxFailure": "REJECT_MESSAGE",
    }
    assert identity["DeletionPolicy"] == "Retain"
    for number in (1, 2, 3):
        record = found[f"DkimRecord{number}"]
        assert record["Type"] == "AWS::Route53::RecordSet"
        assert record["Properties"]["Name"] == {
            "Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenName{number}"]
        }
        assert record["Properties"]["ResourceRecords"] == [
            {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenValue{number}"]}
        ]
        assert record["Properties"]["HostedZoneName"] == "example.com."
    assert all(
        r["Type"] in ("AWS::SES::EmailIdentity", "AWS::Route53::RecordSet") for r in found.values()
    )
    dmarc = found["Dmarc"]["Properties"]
    assert dmarc["Name"] == "_dmarc.example.com." and dmarc["TTL"] == "300"
    [value] = dmarc["ResourceRecords"]
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
    assert len(strings) > 1 and all(len(s.encode()) <= 255 for s in strings)
    assert sorted(found["MailFromSpf"]["Properties"]["ResourceRecords"]) == sorted(
        [f'"{OTHER_TXT}"', '"v=spf1 include:amazonses.com ~all"']
    )
    policy = template["Metadata"]["sesdmarc"]["IdentityPolicy"]
    assert policy["PolicyName"] == "delegates"
    assert policy["Policy"] == json.loads(session.resource("authorization", "policy"))  # type: ignore[arg-type]
    assert "create-email-identity-policy" in policy["Command"]


def test_cloudformation_from_a_config_marks_what_only_aws_knows() -> None:
    config = parse_config(CONFIG)
    facts = build_facts(validate_config(config), source="setup.toml", from_session=False)
    text = render(facts, "cloudformation")
    assert cfn_lint(text) == []
    template = json.loads(text)
    policy = template["Metadata"]["sesdmarc"]["IdentityPolicy"]
    assert "Placeholders" in policy
    assert json.dumps(policy["Policy"]).count("IDENTITY_ARN") == 1
    assert "DeletionPolicy" not in template["Resources"]["EmailIdentity"]


def test_the_export_command(
    session: SessionState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--format", "zone"])
    assert result.exit_code == 2 and "No saved session" in result.stderr
    SessionStore(tmp_path / "xdg" / "sesdmarc").save(session)
    target = tmp_path / "main.tf"
    result = runner.invoke(cli, ["export", "--format", "terraform", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "aws_sesv2_email_identity" in parse_hcl(target.read_text())["resource"][0]
    result = runner.invoke(cli, ["export", "--format", "csv", "--domain", "example.com"])
    assert result.exit_code == 0 and result.stdout.startswith("name,type,ttl,value")
    config = tmp_path / "setup.toml"
    config.write_text(
        EXAMPLE.replace('"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"', '"ou-ab12-11111111"')
    )
    result = runner.invoke(cli, ["export", "--format", "terraform", "--config", str(config)])
    assert result.exit_code == 2 and "full org paths" in result.stderr  # OU IDs need the tree
    result = runner.invoke(cli, ["export", "--format", "zone", "--config", str(config)])
    assert result.exit_code == 0 and "_dmarc.example.com." in result.stdout
    assert "Note: The DKIM tokens" in result.stderr
    result = runner.invoke(
        cli, ["export", "--format", "zone", "--config", str(config), "--domain", "x.org"]
    )
    assert result.exit_code == 2

"""The setup as Terraform: ``aws_sesv2_*`` resources and an ``aws_route53_record`` per record set.

The identity (Easy DKIM, 2048-bit), its MAIL FROM attributes and its sending authorization
policy are ``aws_sesv2_email_identity``, ``aws_sesv2_email_identity_mail_from_attributes`` and
``aws_sesv2_email_identity_policy``. The three DKIM CNAMEs read their tokens from the identity
resource (``dkim_signing_attributes[0].tokens``), so the file is right whether SES has already
made them or not. From a session, ``import`` blocks (Terraform 1.6 or later) adopt what exists,
so that the first ``terraform plan`` takes over the setup instead of creating it twice.
"""

from __future__ import annotations

import json

from sesdmarc_tui.core.policy import policy_json_pretty
from sesdmarc_tui.export import hcl
from sesdmarc_tui.export.facts import KEY_LENGTH, ExportRecord, SetupFacts

IDENTITY = "aws_sesv2_email_identity.identity"
TOKEN = f"{IDENTITY}.dkim_signing_attributes[0].tokens[count.index]"
ORG_DATA = "data.aws_organizations_organization.current"
REFERENCES = {"identity_arn": f"${{{IDENTITY}.arn}}", "organization_id": f"${{{ORG_DATA}.id}}"}


def _block(header: str, attrs: list[tuple[str, str]], inner: list[str] | None = None) -> str:
    """One block with its attributes aligned on ``=`` as ``terraform fmt`` does."""
    width = max((len(k) for k, _ in attrs), default=0)
    lines = [f"{header} {{"]
    lines += [f"  {key:<{width}} = {value}" for key, value in attrs]
    if inner:
        lines += ["", *inner]
    lines.append("}")
    return "\n".join(lines)


def _zone_ref(facts: SetupFacts, zone: str) -> str:
    if facts.zone_id and zone == facts.zone:
        return hcl.string(facts.zone_id)
    return f"data.aws_route53_zone.{hcl.label(zone, 'zone_')}.zone_id"


def _zone_data(facts: SetupFacts, zones: list[str]) -> list[str]:
    return [
        _block(
            f'data "aws_route53_zone" "{hcl.label(zone, "zone_")}"',
            [("name", hcl.string(zone)), ("private_zone", "false")],
        )
        for zone in zones
        if not (facts.zone_id and zone == facts.zone)
    ]


def _record(facts: SetupFacts, item: ExportRecord) -> str:
    record = item.record
    if record.rtype == "TXT":
        values = [hcl.txt_value(v) for v in record.values]
    else:
        values = [hcl.string(v) for v in record.values]
    return _block(
        f'resource "aws_route53_record" "{hcl.label(item.role)}"',
        [
            ("zone_id", _zone_ref(facts, item.zone)),
            ("name", hcl.string(record.name)),
            ("type", hcl.string(record.rtype)),
            ("ttl", str(record.ttl)),
            ("records", "[" + ", ".join(values) + "]"),
        ],
    )


def _dkim(facts: SetupFacts) -> str:
    return _block(
        'resource "aws_route53_record" "dkim"',
        [
            ("count", "3"),
            ("zone_id", _zone_ref(facts, facts.zone)),
            ("name", f'"${{{TOKEN}}}._domainkey.{hcl.escape(facts.domain)}"'),
            ("type", '"CNAME"'),
            ("ttl", "1800"),
            ("records", f'["${{{TOKEN}}}.{hcl.escape(facts.dkim_zone)}"]'),
        ],
    )


def _policy(facts: SetupFacts) -> str:
    assert facts.policy is not None and facts.policy_name is not None
    text = hcl.literal_template(policy_json_pretty(json.loads(facts.policy)))
    for literal, kind in facts.placeholders:
        text = text.replace(literal, REFERENCES[kind])
    return _block(
        'resource "aws_sesv2_email_identity_policy" "policy"',
        [
            ("email_identity", f"{IDENTITY}.email_identity"),
            ("policy_name", hcl.string(facts.policy_name)),
            ("policy", hcl.heredoc(text)),
        ],
    )


def _import(to: str, id_text: str) -> str:
    return _block("import", [("to", to), ("id", id_text)])


def _record_import_id(facts: SetupFacts, item: ExportRecord) -> str:
    tail = hcl.escape(f"_{item.record.name}_{item.record.rtype}")
    if facts.zone_id and item.zone == facts.zone:
        return f'"{hcl.escape(facts.zone_id)}{tail}"'
    return f'"${{{_zone_ref(facts, item.zone)}}}{tail}"'


def _imports(facts: SetupFacts) -> list[str]:
    blocks = [_import(IDENTITY, hcl.string(facts.domain))]
    if facts.mail_from:
        target = "aws_sesv2_email_identity_mail_from_attributes.mail_from"
        blocks.append(_import(target, hcl.string(facts.domain)))
    if facts.policy_name:
        policy_id = f"{facts.domain}|{facts.policy_name}"
        blocks.append(_import("aws_sesv2_email_identity_policy.policy", hcl.string(policy_id)))
    if facts.provider != "route53":
        return blocks
    for index, item in enumerate(facts.records_of("dkim")):
        blocks.append(_import(f"aws_route53_record.dkim[{index}]", _record_import_id(facts, item)))
    for item in facts.records_of("mail_from_mx", "mail_from_txt", "dmarc"):
        target = f"aws_route53_record.{hcl.label(item.role)}"
        blocks.append(_import(target, _record_import_id(facts, item)))
    return blocks


def _header(facts: SetupFacts) -> list[str]:
    lines = [
        f"# The Amazon SES setup of {facts.domain} in {facts.region} (DKIM, MAIL FROM, DMARC,",
        f"# sending authorization), written by `sesdmarc export` from {facts.source}.",
        "# The DKIM CNAMEs take their tokens from the identity resource.",
    ]
    if facts.from_session:
        lines.append(
            "# The import blocks adopt what exists already: the first plan changes nothing."
        )
    return [*lines, *(f"# Note: {note}" for note in facts.notes)]


def _uses_organization(facts: SetupFacts) -> bool:
    policy = facts.policy or ""
    return any(k == "organization_id" and text in policy for text, k in facts.placeholders)


def terraform(facts: SetupFacts) -> str:
    settings = [
        "  required_providers {",
        "    aws = {",
        '      source  = "hashicorp/aws"',
        '      version = ">= 5.0"',
        "    }",
        "  }",
    ]
    version = ['  required_version = ">= 1.6"', ""] if facts.from_session else []
    blocks = [
        "\n".join(_header(facts)),
        "terraform {\n" + "\n".join([*version, *settings]) + "\n}",
        _block('provider "aws"', [("region", hcl.string(facts.region))]),
    ]
    zones = list(dict.fromkeys([facts.zone, *(r.zone for r in facts.records)]))
    blocks += _zone_data(facts, zones)
    if _uses_organization(facts):
        blocks.append('data "aws_organizations_organization" "current" {}')
    blocks.append(
        _block(
            'resource "aws_sesv2_email_identity" "identity"',
            [("email_identity", hcl.string(facts.domain))],
            ["  dkim_signing_attributes {", f'    next_signing_key_length = "{KEY_LENGTH}"', "  }"],
        )
    )
    blocks.append(_dkim(facts))
    if facts.mail_from:
        blocks.append(
            _block(
                'resource "aws_sesv2_email_identity_mail_from_attributes" "mail_from"',
                [
                    ("email_identity", f"{IDENTITY}.email_identity"),
                    ("behavior_on_mx_failure", hcl.string(facts.behavior)),
                    ("mail_from_domain", hcl.string(facts.mail_from)),
                ],
            )
        )
    blocks += [_record(facts, item) for item in facts.records if item.role != "dkim"]
    if facts.policy is not None:
        blocks.append(_policy(facts))
    if facts.from_session:
        blocks += _imports(facts)
    return "\n\n".join(blocks) + "\n"

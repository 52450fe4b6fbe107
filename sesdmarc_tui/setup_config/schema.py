"""The keys of ``setup.toml`` and the wizard input each one feeds.

This table is the whole of what headless ``apply`` knows about the steps: a TOML key, the step
and field it fills, its TOML type, and an example of a right value for error messages. Values
are validated by the steps' own fields (``Wizard.set_inputs``), never here, so a value the
wizard refuses is refused by ``apply`` with the same sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.flow.context import EXTERNAL_ID, TSIG_SECRET

Kind = Literal["text", "int", "list", "addresses", "env", "file"]
"""``list``: a TOML array of strings (one string is taken as a list of one); ``addresses``: the
same, written without ``mailto:``; ``env``/``file``: a secret read from an environment variable
or a file when the config is loaded, never written anywhere."""

SCHEMA_VERSION = 1
# Sections whose absence skips their step (the others fall back to the step's defaults).
OPTIONAL_STEPS = ("authorization", "test_email")


@dataclass(frozen=True)
class Key:
    path: str
    step: str
    field: str
    kind: Kind
    example: str
    required: bool = False
    # The key is read only when another key has one of these values (provider-specific keys).
    when: tuple[str, tuple[str, ...]] | None = None

    @property
    def section(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def secret(self) -> bool:
        return self.kind in ("env", "file")


_RFC2136 = ("domain.dns_provider", ("rfc2136",))
_ROUTE53 = ("domain.dns_provider", ("route53",))
_ZONE_NAMED = ("domain.dns_provider", ("rfc2136", "manual"))

# Order matters: a step's values are set in this order, so a choice (the provider, the
# delegate's mode) comes before the fields it brings in.
KEYS: tuple[Key, ...] = (
    Key("accounts.profile", "accounts", "profile", "text", 'profile = "mail-admin"'),
    Key("accounts.region", "accounts", "region", "text", 'region = "eu-west-1"', required=True),
    Key("domain.name", "domain", "domain", "text", 'name = "example.com"', required=True),
    Key(
        "domain.dns_provider",
        "domain",
        "provider",
        "text",
        'dns_provider = "route53"  # or "rfc2136", "manual"',
        required=True,
    ),
    Key("domain.route53.profile", "domain", "route53_profile", "text", 'profile = "dns-admin"'),
    Key(
        "domain.route53.zone_id",
        "domain",
        "route53_zone_id",
        "text",
        'zone_id = "Z0123456789ABCDEFGHIJ"',
    ),
    Key(
        "domain.rfc2136.server",
        "domain",
        "rfc2136_server",
        "text",
        'server = "192.0.2.53"',
        required=True,
    ),
    Key("domain.rfc2136.port", "domain", "rfc2136_port", "int", "port = 53"),
    Key("domain.rfc2136.key_name", "domain", "rfc2136_key_name", "text", 'key_name = "sesdmarc."'),
    Key(
        "domain.rfc2136.algorithm",
        "domain",
        "rfc2136_algorithm",
        "text",
        'algorithm = "hmac-sha256"',
    ),
    Key(
        "domain.rfc2136.secret_env",
        "domain",
        TSIG_SECRET,
        "env",
        'secret_env = "SESDMARC_TSIG_SECRET"',
    ),
    Key(
        "domain.rfc2136.secret_file",
        "domain",
        TSIG_SECRET,
        "file",
        'secret_file = "/etc/sesdmarc/tsig.key"',
    ),
    Key("domain.zone", "domain", "zone", "text", 'zone = "example.com"', when=_ZONE_NAMED),
    Key("mail_from.subdomain", "mail_from", "subdomain", "text", 'subdomain = "mail"'),
    Key(
        "mail_from.behavior_on_mx_failure",
        "mail_from",
        "behavior",
        "text",
        'behavior_on_mx_failure = "USE_DEFAULT_VALUE"  # or "REJECT_MESSAGE"',
    ),
    Key("dmarc.stage", "dmarc", "stage", "int", "stage = 1  # 1 to 5"),
    Key("dmarc.rua", "dmarc", "rua", "addresses", 'rua = ["dmarc-reports@example.com"]'),
    Key("dmarc.ruf", "dmarc", "ruf", "addresses", 'ruf = ["dmarc-failures@example.com"]'),
    Key("dmarc.sp", "dmarc", "sp", "text", 'sp = "inherit"  # or "none", "quarantine", "reject"'),
    Key("dmarc.np", "dmarc", "np", "text", 'np = "inherit"  # or "none", "quarantine", "reject"'),
    Key("dmarc.alignment", "dmarc", "alignment", "text", 'alignment = "relaxed"'),
    Key(
        "authorization.scope",
        "authorization",
        "scope",
        "text",
        'scope = "ou_subtree"  # or "organization", "ou_direct", "accounts"',
    ),
    Key(
        "authorization.targets",
        "authorization",
        "targets",
        "list",
        'targets = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]  # OU paths or IDs, or account IDs',
    ),
    Key(
        "authorization.from_addresses",
        "authorization",
        "from_addresses",
        "list",
        'from_addresses = ["*@example.com"]',
    ),
    Key(
        "authorization.policy_name",
        "authorization",
        "policy_name",
        "text",
        'policy_name = "sesdmarc-delegated-sending"',
    ),
    Key(
        "test_email.delegate_profile",
        "test_email",
        "delegate_profile",
        "text",
        'delegate_profile = "marketing-sender"',
    ),
    Key(
        "test_email.role_arn",
        "test_email",
        "role_arn",
        "text",
        'role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"',
    ),
    Key(
        "test_email.external_id_env",
        "test_email",
        EXTERNAL_ID,
        "env",
        'external_id_env = "SESDMARC_EXTERNAL_ID"',
    ),
    Key(
        "test_email.external_id_file",
        "test_email",
        EXTERNAL_ID,
        "file",
        'external_id_file = "/etc/sesdmarc/external-id"',
    ),
    Key("test_email.from", "test_email", "from_address", "text", 'from = "test@example.com"'),
    Key("test_email.to", "test_email", "to", "text", 'to = "ops@example.com"', required=True),
    Key("test_email.subject", "test_email", "subject", "text", 'subject = "sesdmarc test"'),
)

BY_PATH: dict[str, Key] = {k.path: k for k in KEYS}
# Sections (dotted) that may hold keys or other sections, and when a provider section applies.
SECTIONS: dict[str, tuple[str, tuple[str, ...]] | None] = {
    "accounts": None,
    "domain": None,
    "domain.route53": _ROUTE53,
    "domain.rfc2136": _RFC2136,
    "mail_from": None,
    "dmarc": None,
    "authorization": None,
    "test_email": None,
}
REQUIRED_SECTIONS = ("accounts", "domain")
TOP_LEVEL_KEYS = ("version",)
# Pairs that name the same secret, and pairs of which one is needed.
EXCLUSIVE = (
    ("domain.rfc2136.secret_env", "domain.rfc2136.secret_file"),
    ("test_email.external_id_env", "test_email.external_id_file"),
    ("test_email.delegate_profile", "test_email.role_arn"),
)


def keys_in(section: str) -> list[Key]:
    return [k for k in KEYS if k.section == section]


def children(section: str) -> list[str]:
    """The names a section may contain: its keys, then its sub-sections."""
    names = [k.name for k in keys_in(section)]
    prefix = f"{section}." if section else ""
    subs = [
        s[len(prefix) :] for s in SECTIONS if s.startswith(prefix) and "." not in s[len(prefix) :]
    ]
    return names + subs


def key_for(step: str, field: str, given: set[str] | None = None) -> Key | None:
    """The TOML key that fills a step's field (the one given, when two name the same secret)."""
    found = [k for k in KEYS if k.step == step and k.field == field]
    if given:
        for key in found:
            if key.path in given:
                return key
    return found[0] if found else None


def example_for(path: str) -> str:
    key = BY_PATH.get(path)
    if key is not None:
        return key.example
    if path in SECTIONS:
        first = keys_in(path)
        return f"[{path}] with keys such as {first[0].example}" if first else f"[{path}]"
    return "see `sesdmarc init-config` for a commented example"

"""Partitions, regions and the ARNs a sending-authorization setup handles.

SES identity ARNs are the ``Resource`` of every identity policy; IAM role and principal ARNs
name delegates; configuration-set ARNs appear in the delegate's IAM policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.core.policy.errors import PolicyInputError
from sesdmarc_tui.core.policy.ids import EXAMPLE_ACCOUNT_ID, validate_account_id

PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)
REGION_RE = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}")
# Region prefix -> partition; the longest prefix wins, everything else is the commercial
# partition. A region in the wrong partition gives an ARN no request can ever match.
_REGION_PARTITION = (
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-", "aws-eusc"),
    ("cn-", "aws-cn"),
)
EXAMPLE_IDENTITY_ARN = f"arn:aws:ses:us-east-1:{EXAMPLE_ACCOUNT_ID}:identity/example.com"
EXAMPLE_ROLE_ARN = f"arn:aws:iam::{EXAMPLE_ACCOUNT_ID}:role/ses-delegate-sender"
_ROLE_NAME_RE = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")
_IAM_PATH_RE = re.compile(r"/(?:[\x21-\x7e]+/)?")
_CONFIG_SET_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LOCAL_PART_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")


def validate_partition(text: str) -> str:
    value = text.strip().lower() if isinstance(text, str) else ""
    if value in PARTITIONS:
        return value
    raise PolicyInputError(
        f"{text!r} is not an AWS partition.",
        f"Use one of {', '.join(PARTITIONS)} (most accounts are in 'aws').",
        field="partition",
    )


def partition_for_region(region: str) -> str:
    for prefix, partition in _REGION_PARTITION:
        if region.startswith(prefix):
            return partition
    return "aws"


def validate_region(text: str, partition: str | None = None) -> str:
    """A region code such as ``eu-west-1``; with ``partition``, it must belong to that partition."""
    value = text.strip().lower() if isinstance(text, str) else ""
    if not REGION_RE.fullmatch(value):
        raise PolicyInputError(
            f"{text!r} is not an AWS region code.",
            "Use the code, not the display name: for example us-east-1 or eu-west-1.",
            field="region",
        )
    if partition is not None and partition_for_region(value) != partition:
        raise PolicyInputError(
            f"The region {value} belongs to the partition {partition_for_region(value)!r}, "
            f"not {partition!r}.",
            f"Write the ARN as arn:{partition_for_region(value)}:...:{value}:...",
            field="region",
        )
    return value


def _split_arn(text: str, field: str, example: str) -> list[str]:
    value = text.strip() if isinstance(text, str) else ""
    if not value.startswith("arn:"):
        raise PolicyInputError(
            f"{text!r} is not an ARN (an ARN starts with 'arn:').",
            f"For example {example}.",
            field=field,
        )
    parts = value.split(":", 5)
    if len(parts) != 6:
        raise PolicyInputError(
            f"{value!r} is not a complete ARN: it needs six ':'-separated parts.",
            f"For example {example}.",
            field=field,
        )
    return parts


@dataclass(frozen=True)
class IdentityArn:
    """``arn:<partition>:ses:<region>:<account>:identity/<domain or address>``."""

    partition: str
    region: str
    account_id: str
    name: str

    def __post_init__(self) -> None:
        partition = validate_partition(self.partition)
        object.__setattr__(self, "partition", partition)
        object.__setattr__(self, "region", validate_region(self.region, partition))
        object.__setattr__(self, "account_id", validate_account_id(self.account_id))
        object.__setattr__(self, "name", _identity_name(self.name))

    @property
    def is_domain(self) -> bool:
        return "@" not in self.name

    @property
    def domain(self) -> str:
        """The domain of the identity (the part after ``@`` for an address identity)."""
        return self.name.rsplit("@", 1)[-1].lower()

    def to_string(self) -> str:
        return f"arn:{self.partition}:ses:{self.region}:{self.account_id}:identity/{self.name}"

    def __str__(self) -> str:
        return self.to_string()


def _identity_name(text: str) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise PolicyInputError(
            "The identity name is empty.",
            "Name a domain (example.com) or an address.",
            field="identity",
        )
    local, at, domain = value.rpartition("@")
    try:
        canonical = normalize_domain(domain if at else value, min_labels=2)
    except DomainError as exc:
        raise PolicyInputError(
            f"The identity {value!r} is not a domain or email address: {exc.message}",
            exc.hint or "Name a domain such as example.com.",
            field="identity",
        ) from None
    if not at:
        # Domains are case-insensitive and SES stores them in one form; the wizard creates them
        # lower-case, so the ARN it builds must use the same form to match.
        return canonical
    if not _LOCAL_PART_RE.fullmatch(local) or local.startswith(".") or local.endswith("."):
        raise PolicyInputError(
            f"The identity {value!r} is not a valid email address.",
            "An address identity looks like sender@example.com.",
            field="identity",
        )
    # Address identities are case-sensitive in SES: keep them exactly as typed.
    return value


def parse_identity_arn(text: str) -> IdentityArn:
    parts = _split_arn(text, "identity_arn", EXAMPLE_IDENTITY_ARN)
    _, partition, service, region, account, resource = parts
    if service != "ses":
        raise PolicyInputError(
            f"{text.strip()!r} is an ARN of the {service!r} service, not an SES identity.",
            f"An SES identity ARN looks like {EXAMPLE_IDENTITY_ARN}.",
            field="identity_arn",
        )
    if not resource.startswith("identity/"):
        kind = resource.split("/", 1)[0]
        raise PolicyInputError(
            f"{text.strip()!r} names an SES {kind!r}, not an identity.",
            f"An SES identity ARN ends in identity/<domain>, as in {EXAMPLE_IDENTITY_ARN}.",
            field="identity_arn",
        )
    try:
        return IdentityArn(partition, region, account, resource[len("identity/") :])
    except PolicyInputError as exc:
        raise PolicyInputError(
            f"{text.strip()!r} is not a valid SES identity ARN: {exc.message}",
            exc.hint,
            field="identity_arn",
        ) from None


PrincipalKind = Literal["root", "role", "user", "assumed-role"]


@dataclass(frozen=True)
class PrincipalArn:
    """An IAM principal ARN: account root, role, user, or an STS assumed-role session."""

    partition: str
    account_id: str
    kind: PrincipalKind
    name: str = ""
    path: str = "/"
    session: str = ""

    def to_string(self) -> str:
        if self.kind == "root":
            return f"arn:{self.partition}:iam::{self.account_id}:root"
        if self.kind == "assumed-role":
            role = f"assumed-role/{self.name}/{self.session}"
            return f"arn:{self.partition}:sts::{self.account_id}:{role}"
        return f"arn:{self.partition}:iam::{self.account_id}:{self.kind}{self.path}{self.name}"


def parse_principal_arn(text: str) -> PrincipalArn:
    """Parse ``arn:…:iam::<acct>:root|role/…|user/…`` or ``arn:…:sts::<acct>:assumed-role/…``."""
    example = EXAMPLE_ROLE_ARN
    _, partition, service, region, account, resource = _split_arn(text, "principal_arn", example)
    partition = validate_partition(partition)
    account = validate_account_id(account)
    bad = PolicyInputError(
        f"{text.strip()!r} is not an IAM principal ARN.",
        f"For example {example}.",
        field="principal_arn",
    )
    if region:
        raise bad
    if service == "sts" and resource.startswith("assumed-role/"):
        pieces = resource.split("/")
        if len(pieces) != 3 or not _ROLE_NAME_RE.fullmatch(pieces[1]) or not pieces[2]:
            raise bad
        return PrincipalArn(partition, account, "assumed-role", pieces[1], session=pieces[2])
    if service != "iam":
        raise bad
    if resource == "root":
        return PrincipalArn(partition, account, "root")
    kind, _, rest = resource.partition("/")
    if kind not in ("role", "user") or not rest:
        raise bad
    path, _, name = ("/" + rest).rpartition("/")
    path += "/"
    if not _ROLE_NAME_RE.fullmatch(name) or not _IAM_PATH_RE.fullmatch(path) or len(path) > 512:
        raise bad
    return PrincipalArn(partition, account, "role" if kind == "role" else "user", name, path)


def validate_role_arn(text: str) -> PrincipalArn:
    """An IAM role ARN (``arn:aws:iam::<acct>:role/[path/]name``) for a delegate sender."""
    principal = parse_principal_arn(text)
    if principal.kind != "role":
        raise PolicyInputError(
            f"{text.strip()!r} is an IAM {principal.kind} ARN, not a role ARN.",
            f"A role ARN looks like {EXAMPLE_ROLE_ARN}.",
            field="role_arn",
        )
    return principal


def validate_configuration_set_arn(text: str) -> str:
    """``arn:<partition>:ses:<region>:<account>:configuration-set/<name>``."""
    example = f"arn:aws:ses:us-east-1:{EXAMPLE_ACCOUNT_ID}:configuration-set/delegated"
    _, partition, service, region, account, resource = _split_arn(
        text, "configuration_set_arn", example
    )
    partition = validate_partition(partition)
    region = validate_region(region, partition)
    account = validate_account_id(account)
    kind, _, name = resource.partition("/")
    if service != "ses" or kind != "configuration-set" or not _CONFIG_SET_RE.fullmatch(name):
        raise PolicyInputError(
            f"{text.strip()!r} is not an SES configuration-set ARN.",
            f"For example {example}.",
            field="configuration_set_arn",
        )
    return f"arn:{partition}:ses:{region}:{account}:configuration-set/{name}"

"""AWS Organizations IDs, account IDs, policy names and organization paths.

Every validator returns the canonical form of a valid value and raises ``PolicyInputError``
otherwise, with a message that says what is wrong and a hint that shows a valid example. The
patterns are the Organizations API model's (botocore does not check them client-side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sesdmarc_tui.core.policy.errors import PolicyInputError

# fullmatch with explicit ASCII classes: ``\d`` would accept Arabic-Indic digits and ``$``
# would accept a trailing newline, and neither is an ID AWS could ever return.
ORG_ID_RE = re.compile(r"o-[a-z0-9]{10,32}")
ROOT_ID_RE = re.compile(r"r-[0-9a-z]{4,32}")
OU_ID_RE = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
ACCOUNT_ID_RE = re.compile(r"[0-9]{12}")
POLICY_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")

EXAMPLE_ORG_ID = "o-a1b2c3d4e5"
EXAMPLE_ROOT_ID = "r-ab12"
EXAMPLE_OU_ID = "ou-ab12-11111111"
EXAMPLE_ACCOUNT_ID = "111122223333"
EXAMPLE_ORG_PATH = f"{EXAMPLE_ORG_ID}/{EXAMPLE_ROOT_ID}/{EXAMPLE_OU_ID}/ou-ab12-22222222/"

_LOWER_ALNUM = re.compile(r"[a-z0-9]*")


def _clean(text: object, field: str, what: str) -> str:
    if not isinstance(text, str):
        raise PolicyInputError(f"The {what} must be text.", field=field)
    value = text.strip()
    if not value:
        raise PolicyInputError(f"The {what} is empty.", field=field)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise PolicyInputError(f"The {what} {value!r} contains control characters.", field=field)
    return value


def _other_kind(value: str) -> str | None:
    """Name the kind of ID ``value`` is when it is valid but not what was asked for."""
    if ORG_ID_RE.fullmatch(value):
        return "an organization ID"
    if ROOT_ID_RE.fullmatch(value):
        return "a root ID"
    if OU_ID_RE.fullmatch(value):
        return "an OU ID"
    if ACCOUNT_ID_RE.fullmatch(value):
        return "an account ID"
    if value.startswith("arn:"):
        return "an ARN"
    if "/" in value:
        return "an organization path"
    return None


def _check_body(
    value: str, body: str, *, lo: int, hi: int, what: str, example: str, field: str
) -> None:
    if not _LOWER_ALNUM.fullmatch(body):
        bad = "".join(sorted({c for c in body if not ("a" <= c <= "z" or "0" <= c <= "9")}))
        raise PolicyInputError(
            f"{value!r} is not a valid {what}: {bad!r} may not appear in it.",
            f"Only lowercase letters and digits follow the prefix, as in {example}.",
            field=field,
        )
    if not lo <= len(body) <= hi:
        raise PolicyInputError(
            f"{value!r} is not a valid {what}: {len(body)} characters where {lo} to {hi} belong.",
            f"Copy the whole ID from the Organizations console, for example {example}.",
            field=field,
        )


def _wrong_prefix(value: str, what: str, prefix: str, example: str, field: str) -> PolicyInputError:
    other = _other_kind(value)
    said = f"{value!r} is {other}, not {what}." if other else f"{value!r} is not {what}."
    return PolicyInputError(
        said, f"{what.capitalize()} starts with {prefix!r}, as in {example}.", field=field
    )


def validate_org_id(text: str) -> str:
    """``o-`` and 10 to 32 lowercase letters or digits; upper case is folded (IDs are lowercase)."""
    value = _clean(text, "org_id", "organization ID").lower()
    if ORG_ID_RE.fullmatch(value):
        return value
    if not value.startswith("o-"):
        raise _wrong_prefix(value, "an organization ID", "o-", EXAMPLE_ORG_ID, "org_id")
    _check_body(
        value,
        value[2:],
        lo=10,
        hi=32,
        what="organization ID",
        example=EXAMPLE_ORG_ID,
        field="org_id",
    )
    raise AssertionError("unreachable: the body check covers every remaining case")


def validate_root_id(text: str) -> str:
    """``r-`` and 4 to 32 lowercase letters or digits."""
    value = _clean(text, "root_id", "root ID").lower()
    if ROOT_ID_RE.fullmatch(value):
        return value
    if not value.startswith("r-"):
        raise _wrong_prefix(value, "a root ID", "r-", EXAMPLE_ROOT_ID, "root_id")
    _check_body(
        value, value[2:], lo=4, hi=32, what="root ID", example=EXAMPLE_ROOT_ID, field="root_id"
    )
    raise AssertionError("unreachable: the body check covers every remaining case")


def validate_ou_id(text: str) -> str:
    """``ou-``, 4 to 32 characters (the root part), ``-``, 8 to 32 characters."""
    value = _clean(text, "ou_id", "OU ID").lower()
    if OU_ID_RE.fullmatch(value):
        return value
    if not value.startswith("ou-"):
        raise _wrong_prefix(value, "an OU ID", "ou-", EXAMPLE_OU_ID, "ou_id")
    parts = value[3:].split("-")
    if len(parts) != 2:
        raise PolicyInputError(
            f"{value!r} is not a valid OU ID: it needs exactly two parts after 'ou-', "
            f"joined by one '-' (found {len(parts)}).",
            f"An OU ID looks like {EXAMPLE_OU_ID}.",
            field="ou_id",
        )
    _check_body(
        value,
        parts[0],
        lo=4,
        hi=32,
        what="OU ID (the part after 'ou-')",
        example=EXAMPLE_OU_ID,
        field="ou_id",
    )
    _check_body(
        value,
        parts[1],
        lo=8,
        hi=32,
        what="OU ID (the last part)",
        example=EXAMPLE_OU_ID,
        field="ou_id",
    )
    raise AssertionError("unreachable: the body checks cover every remaining case")


def validate_account_id(text: str) -> str:
    """Twelve ASCII digits. The console's ``1111-2222-3333`` display form is accepted."""
    value = _clean(text, "account_id", "account ID")
    compact = value.replace("-", "").replace(" ", "") if re.fullmatch(r"[0-9 -]+", value) else value
    if ACCOUNT_ID_RE.fullmatch(compact):
        return compact
    other = _other_kind(value)
    if other and other != "an account ID":
        raise PolicyInputError(
            f"{value!r} is {other}, not an AWS account ID.",
            f"An account ID is 12 digits, for example {EXAMPLE_ACCOUNT_ID}.",
            field="account_id",
        )
    if compact.isascii() and compact.isdigit():
        hint = f"An account ID is exactly 12 digits, for example {EXAMPLE_ACCOUNT_ID}."
        if len(compact) < 12:
            hint += " A spreadsheet may have dropped leading zeros: keep them."
        raise PolicyInputError(
            f"{value!r} has {len(compact)} digits; an AWS account ID has 12.",
            hint,
            field="account_id",
        )
    raise PolicyInputError(
        f"{value!r} is not an AWS account ID: it must contain digits only.",
        f"An account ID is 12 digits, for example {EXAMPLE_ACCOUNT_ID}.",
        field="account_id",
    )


def validate_policy_name(text: str) -> str:
    """SES policy names: 1 to 64 letters, digits, ``-`` and ``_`` (botocore checks only min)."""
    if not isinstance(text, str):
        raise PolicyInputError("The policy name must be text.", field="policy_name")
    value = text.strip()
    if POLICY_NAME_RE.fullmatch(value):
        return value
    if not value:
        raise PolicyInputError(
            "The policy name is empty.",
            "Type a name such as delegated-sending.",
            field="policy_name",
        )
    if len(value) > 64:
        raise PolicyInputError(
            f"The policy name is {len(value)} characters long; SES allows at most 64.",
            "Shorten it, for example delegated-sending-marketing.",
            field="policy_name",
        )
    bad = "".join(sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in "-_"))}))
    raise PolicyInputError(
        f"The policy name {value!r} contains characters SES refuses: {bad!r}.",
        "Use only letters, digits, '-' and '_', for example delegated_sending-2.",
        field="policy_name",
    )


@dataclass(frozen=True, order=True)
class OrgPath:
    """Where an OU sits: organization, root, then each OU from the top down to it.

    ``to_string()`` gives the ``aws:PrincipalOrgPaths`` form, which always ends in ``/``. A path
    with no OU is the root itself (the accounts directly under the root).
    """

    org_id: str
    root_id: str
    ou_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_id", validate_org_id(self.org_id))
        object.__setattr__(self, "root_id", validate_root_id(self.root_id))
        ous = tuple(validate_ou_id(ou) for ou in self.ou_ids)
        if len(set(ous)) != len(ous):
            raise PolicyInputError(
                f"The path lists an OU twice ({', '.join(ous)}).",
                "An OU has one parent: list each OU once, from the root down.",
                field="org_path",
            )
        object.__setattr__(self, "ou_ids", ous)

    def to_string(self) -> str:
        return "/".join((self.org_id, self.root_id, *self.ou_ids)) + "/"

    def __str__(self) -> str:
        return self.to_string()

    @property
    def leaf_id(self) -> str:
        """The deepest node: the last OU, or the root for a root path."""
        return self.ou_ids[-1] if self.ou_ids else self.root_id

    @property
    def parent(self) -> OrgPath | None:
        if not self.ou_ids:
            return None
        return OrgPath(self.org_id, self.root_id, self.ou_ids[:-1])

    def child(self, ou_id: str) -> OrgPath:
        return OrgPath(self.org_id, self.root_id, (*self.ou_ids, ou_id))

    def contains(self, other: OrgPath) -> bool:
        """True when ``other`` is this node or sits anywhere below it."""
        return (
            self.org_id == other.org_id
            and self.root_id == other.root_id
            and other.ou_ids[: len(self.ou_ids)] == self.ou_ids
        )


def split_account_path(text: str) -> tuple[OrgPath, str | None]:
    """Parse an Organizations ``Path``/``Paths`` value: ``o-…/r-…/ou-…/…/[account/]``.

    Returns the OU path and the account ID when the value ends with one. The trailing ``/`` is
    optional on input (operators often drop it); wildcards are refused because a path names
    one place, and the policy builder adds ``/*`` where a subtree is wanted.
    """
    value = _clean(text, "org_path", "organization path")
    if "*" in value or "?" in value:
        raise PolicyInputError(
            f"{value!r} contains a wildcard; a path names exactly one OU.",
            f"Type the path without '*', for example {EXAMPLE_ORG_PATH}; "
            "choose 'OU and everything below it' to cover descendants.",
            field="org_path",
        )
    body = value[:-1] if value.endswith("/") else value
    segments = body.split("/")
    if any(not s for s in segments):
        raise PolicyInputError(
            f"{value!r} has an empty segment (two '/' in a row, or a leading '/').",
            f"A path looks like {EXAMPLE_ORG_PATH}.",
            field="org_path",
        )
    if len(segments) < 2:
        raise PolicyInputError(
            f"{value!r} is not an organization path: it needs the organization and root IDs.",
            f"A path looks like {EXAMPLE_ORG_PATH}.",
            field="org_path",
        )
    account: str | None = None
    if ACCOUNT_ID_RE.fullmatch(segments[-1]) and len(segments) > 2:
        account = segments.pop()
    names = ["organization ID", "root ID"] + ["OU ID"] * (len(segments) - 2)
    validators = [validate_org_id, validate_root_id] + [validate_ou_id] * (len(segments) - 2)
    cleaned: list[str] = []
    for position, (segment, name, check) in enumerate(
        zip(segments, names, validators, strict=True), 1
    ):
        try:
            cleaned.append(check(segment))
        except PolicyInputError as exc:
            raise PolicyInputError(
                f"Segment {position} of the path {value!r} should be {_article(name)}: "
                f"{exc.message}",
                f"A path is organization/root/OU/.../, for example {EXAMPLE_ORG_PATH}.",
                field="org_path",
            ) from None
    return OrgPath(cleaned[0], cleaned[1], tuple(cleaned[2:])), account


def parse_org_path(text: str) -> OrgPath:
    """The OU path of an Organizations ``Path``/``Paths`` value (a trailing account is dropped).

    An account's own ``aws:PrincipalOrgPaths`` value is the path of the OU that holds it, so the
    account segment carries no extra information for policies.
    """
    return split_account_path(text)[0]


def _article(name: str) -> str:
    return ("an " if name[0] in "aeiouAEIOU" else "a ") + name

"""What an export describes: the identity, its records and its policy, from a session or a config.

From a session, everything is known: the DKIM tokens SES returned, the record sets as they
were published (a merged TXT set keeps its other values), the policy as set. From a config,
only what the config decides is known; what only AWS knows is marked so that each format can
say it its own way: the DKIM tokens (Terraform and CloudFormation read them from the identity
resource; the zone file and CSV cannot have them), the account in the identity ARN and the
organization ID in the policy (placeholders that the formats turn into references).

No AWS or DNS call is made here: the steps' own helpers build the records and the policy from
the session's inputs, as the wizard does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sesdmarc_tui.core.names import is_subdomain
from sesdmarc_tui.core.records import (
    DnsRecord,
    dkim_records,
    dmarc_record,
    mail_from_records,
    make_record,
)
from sesdmarc_tui.core.regions import dkim_target_zone
from sesdmarc_tui.flow.model import FlowError, JsonValue, split_multi
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import (
    ACCOUNTS,
    AUTHORIZATION,
    DKIM,
    DMARC,
    DOMAIN,
    MAIL_FROM,
    domain_of,
    identity_arn,
    region_of,
)

Placeholder = Literal["identity_arn", "organization_id"]
# Stand-ins that pass the policy validators; no real account or organization has them.
PLACEHOLDER_ACCOUNT = "000000000000"
PLACEHOLDER_ORG = "o-0000000000"
DKIM_TTL = 1800
KEY_LENGTH = "RSA_2048_BIT"


class ExportError(ValueError):
    """The export cannot be made from this source; the message says what would work."""


@dataclass(frozen=True)
class ExportRecord:
    role: str  # dkim, mail_from_mx, mail_from_txt, dmarc
    zone: str
    record: DnsRecord


@dataclass(frozen=True)
class SetupFacts:
    source: str
    from_session: bool
    domain: str
    region: str
    account: str | None
    provider: str
    zone: str
    zone_id: str | None
    dkim_tokens: tuple[str, ...]
    dkim_zone: str
    mail_from: str | None
    behavior: str
    records: tuple[ExportRecord, ...]  # the DKIM CNAMEs only when the tokens are known
    policy_name: str | None
    policy: str | None  # compact JSON
    placeholders: tuple[tuple[str, Placeholder], ...]  # text in ``policy`` -> what it stands for
    notes: tuple[str, ...]

    def records_of(self, *roles: str) -> list[ExportRecord]:
        return [r for r in self.records if r.role in roles]


def _zone_for(name: str, published: str | None, zone: str, org: str) -> str:
    if published:
        return published
    return zone if is_subdomain(name, zone) else org


def _published(state: SessionState, step: str) -> dict[tuple[str, str], dict[str, JsonValue]]:
    table = state.resource(step, "published")
    found: dict[tuple[str, str], dict[str, JsonValue]] = {}
    if isinstance(table, dict):
        for key, entry in table.items():
            rtype, _, name = key.partition(" ")
            if isinstance(entry, dict):
                found[(name, rtype)] = entry
    return found


def _as_published(
    role: str, record: DnsRecord, state: SessionState, step: str, *, zones: tuple[str, str]
) -> ExportRecord:
    """The record as it was published (merged values, TTL), when the session knows it."""
    entry = _published(state, step).get((record.name, record.rtype), {})
    values = entry.get("values")
    ttl = entry.get("ttl")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        record = make_record(
            record.name,
            record.rtype,
            [str(v) for v in values],
            ttl if isinstance(ttl, int) else record.ttl,
        )
    published_zone = entry.get("zone")
    where = _zone_for(
        record.name, published_zone if isinstance(published_zone, str) else None, *zones
    )
    return ExportRecord(role, where, record)


def _policy(state: SessionState, from_session: bool) -> tuple[str | None, str | None]:
    name = state.resource(AUTHORIZATION, "policy_name")
    policy = state.resource(AUTHORIZATION, "policy")
    if from_session:
        if isinstance(name, str) and isinstance(policy, str):
            return name, policy
        return None, None
    from sesdmarc_tui.core.policy import DEFAULT_POLICY_NAME, build_policy_json
    from sesdmarc_tui.flow.steps.senders import build_scopes
    from sesdmarc_tui.setup_config.validate import scratch_context

    try:
        scopes = build_scopes(scratch_context(), state, None)
        text = build_policy_json(
            identity_arn(state),
            scopes,
            from_addresses=split_multi(state.value(AUTHORIZATION, "from_addresses")),
        )
    except (FlowError, ValueError) as exc:
        message = str(getattr(exc, "message", "") or exc)
        raise ExportError(
            f"The identity policy cannot be built from the config alone: {message} Give OU "
            "scopes as full org paths (o-.../r-.../ou-.../), or export from the session after "
            "`sesdmarc apply` (--domain or --state)."
        ) from None
    return state.value(AUTHORIZATION, "policy_name") or DEFAULT_POLICY_NAME, text


def _behavior(state: SessionState) -> str:
    applied = state.resource(MAIL_FROM, "behavior_on_mx_failure")
    if isinstance(applied, str):
        return applied
    return state.value(MAIL_FROM, "behavior") or "USE_DEFAULT_VALUE"


def build_facts(
    state: SessionState,
    *,
    source: str,
    from_session: bool,
    skipped: tuple[str, ...] = (),
    with_policy: bool = True,
) -> SetupFacts:
    """The export's content. For a config, ``state`` is ``validate_config``'s result;
    ``with_policy=False`` leaves the identity policy out (the record formats need none)."""
    from sesdmarc_tui.flow.steps.dmarc import organizational_domain, wanted_record
    from sesdmarc_tui.flow.steps.mail_from import MailFromStep

    domain, region = domain_of(state), region_of(state)
    org = organizational_domain(state)
    notes: list[str] = []
    stored_zone = state.resource(DOMAIN, "zone")
    zone = (stored_zone if isinstance(stored_zone, str) else "") or state.value(DOMAIN, "zone")
    if not zone:
        zone = org
        notes.append(f"The zone is taken to be {org}; the wizard finds the real one from DNS.")
    placeholders: list[tuple[str, Placeholder]] = []
    if not from_session:
        state.account = PLACEHOLDER_ACCOUNT
        state.step(ACCOUNTS).resources.setdefault("organization_id", PLACEHOLDER_ORG)
        placeholders.append((PLACEHOLDER_ORG, "organization_id"))
    if state.account:
        placeholders.insert(0, (identity_arn(state), "identity_arn"))
    records: list[ExportRecord] = []
    tokens = state.resource(DKIM, "selectors")
    token_list = tuple(t for t in tokens if isinstance(t, str)) if isinstance(tokens, list) else ()
    signing = state.resource(DKIM, "signing_hosted_zone")
    dkim_zone = dkim_target_zone(region, signing if isinstance(signing, str) else None)
    if token_list:
        for record in dkim_records(domain, token_list, region, dkim_zone, ttl=DKIM_TTL):
            records.append(_as_published("dkim", record, state, DKIM, zones=(zone, org)))
    else:
        notes.append(
            "The DKIM tokens are known only once SES has created the identity: the three "
            f"<token>._domainkey.{domain} CNAMEs (to <token>.{dkim_zone}) come from SES."
        )
    mail_from: str | None = None
    applied_mail_from = state.resource(MAIL_FROM, "mail_from_domain")
    if not from_session or isinstance(applied_mail_from, str):
        if isinstance(applied_mail_from, str):
            mx, txt = mail_from_records(applied_mail_from, region)
        else:
            mx, txt = MailFromStep().records(state)
        mail_from = mx.name
        records.append(_as_published("mail_from_mx", mx, state, MAIL_FROM, zones=(zone, org)))
        records.append(_as_published("mail_from_txt", txt, state, MAIL_FROM, zones=(zone, org)))
    else:
        notes.append("No custom MAIL FROM domain is set up in this session yet.")
    published = state.resource(DMARC, "record")
    if from_session and isinstance(published, str):
        records.append(
            _as_published("dmarc", dmarc_record(org, published), state, DMARC, zones=(zone, org))
        )
    elif not from_session:
        records.append(
            _as_published(
                "dmarc", dmarc_record(org, wanted_record(state)), state, DMARC, zones=(zone, org)
            )
        )
    else:
        notes.append("No DMARC record is published by this session yet.")
    policy_name: str | None = None
    policy: str | None = None
    if AUTHORIZATION not in skipped and with_policy:
        policy_name, policy = _policy(state, from_session)
    if policy is None and with_policy:
        notes.append("No sending authorization policy is part of this setup.")
    provider = state.value(DOMAIN, "provider") or state.provider or "route53"
    if provider != "route53":
        notes.append(
            f"The records were published with {provider}; the Route 53 resources assume the "
            "zone is (or moves) there."
        )
    return SetupFacts(
        source=source,
        from_session=from_session,
        domain=domain,
        region=region,
        account=None if not from_session else state.account,
        provider=provider,
        zone=zone,
        zone_id=state.value(DOMAIN, "route53_zone_id") or None,
        dkim_tokens=token_list,
        dkim_zone=dkim_zone,
        mail_from=mail_from,
        behavior=_behavior(state),
        records=tuple(records),
        policy_name=policy_name,
        policy=policy,
        placeholders=tuple(placeholders),
        notes=tuple(notes),
    )

"""What sesdmarc created for a domain: read from the session state, or matched exactly.

The session state names what the wizard made: the DKIM selectors it published, the MAIL FROM
domain it set, the DMARC record it wrote, the identity policy it created, and whether it
created the identity or adopted one that existed. Without a session (another machine, a lost
data directory) only what can be matched exactly is claimed: the three DKIM CNAMEs built from
the identity's own tokens, the SES MAIL FROM records at the MAIL FROM domain SES names, and a
policy under the wizard's default name. A DMARC record cannot be matched that way (its value
depends on the operator's choices), so without a session it is never touched.

The records listed here are the wizard's *own values*; the DNS provider removes only those
values from their record sets, so anything else at the same name stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sesdmarc_tui.core.dmarc import parse_dmarc
from sesdmarc_tui.core.names import org_domain_psl
from sesdmarc_tui.core.policy import DEFAULT_POLICY_NAME
from sesdmarc_tui.core.records import (
    DnsRecord,
    RecordError,
    dkim_records,
    dmarc_record,
    mail_from_records,
)
from sesdmarc_tui.flow.model import Fact, JsonValue
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import AUTHORIZATION, DKIM, DMARC, DOMAIN, MAIL_FROM

if TYPE_CHECKING:
    from sesdmarc_tui.aws.ses_models import IdentityStatus

Source = Literal["state", "matched"]


@dataclass(frozen=True)
class Owned:
    """The wizard's own values and resources for one domain, account and region.

    ``policies`` maps a policy name to the text the wizard wrote (``None`` when not known);
    ``identity_created`` is ``None`` when nobody recorded who created the identity.
    """

    source: Source
    records: tuple[DnsRecord, ...]
    policies: dict[str, str | None]
    mail_from: str | None
    identity_created: bool | None
    notes: tuple[Fact, ...] = ()


def _texts(value: JsonValue) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _published(state: SessionState, step_id: str) -> dict[str, JsonValue]:
    table = state.resource(step_id, "published")
    return table if isinstance(table, dict) else {}


def _dkim(state: SessionState, identity: IdentityStatus | None, region: str) -> list[DnsRecord]:
    domain = state.domain or ""
    selectors = _texts(state.resource(DKIM, "selectors"))
    zone = state.resource(DKIM, "signing_hosted_zone")
    if not selectors and identity is not None:
        selectors, zone = list(identity.dkim_tokens), identity.signing_hosted_zone
    if not selectors:
        return []
    return list(dkim_records(domain, selectors, region, zone if isinstance(zone, str) else None))


def _mail_from_domain(state: SessionState) -> str | None:
    named = state.resource(MAIL_FROM, "mail_from_domain")
    if isinstance(named, str) and named:
        return named
    # Records published, SES not told yet (an interrupted apply): the table names the domain.
    for key in _published(state, MAIL_FROM):
        rtype, _, name = key.partition(" ")
        if rtype in ("MX", "TXT") and name:
            return name
    return None


def _dmarc(state: SessionState) -> list[DnsRecord]:
    domain = state.domain or ""
    org = state.resource(DMARC, "organizational_domain")
    org_name = org if isinstance(org, str) and org else org_domain_psl(domain)
    value = state.resource(DMARC, "record")
    values = [value] if isinstance(value, str) and value else []
    if not values:
        # Published but the step did not get to record its value: the DMARC values of the set
        # are the wizard's (its plan replaces every DMARC record there with one).
        entry = _published(state, DMARC).get(f"TXT _dmarc.{org_name}")
        found = entry.get("values") if isinstance(entry, dict) else None
        values = [v for v in _texts(found) if parse_dmarc(v).is_dmarc]
    return [dmarc_record(org_name, v) for v in values]


def _identity_created(state: SessionState) -> bool | None:
    outcome = state.resource(DKIM, "identity_outcome")
    if outcome == "created":
        return True
    if outcome == "adopted" or state.resource(DOMAIN, "identity_existed") is True:
        return False
    return None


def _reports_collection(state: SessionState) -> list[Fact]:
    """The reports collection (bucket, receipt rule, MX) is not removed: its bucket holds the
    reports, which are worth keeping, and deleting mail storage needs a decision of its own."""
    rule, bucket = state.resource("reports", "rule"), state.resource("reports", "bucket")
    if not (isinstance(rule, str) and isinstance(bucket, str)):
        return []
    address = state.resource("reports", "address")
    return [
        Fact(
            "Reports collection",
            f"Not removed: the S3 bucket {bucket} (with the reports in it), the receipt rule "
            f"{rule} and the MX of {address}.",
            "info",
            "Delete them in the S3 and SES consoles once the reports are no longer needed.",
        )
    ]


def from_state(state: SessionState, identity: IdentityStatus | None, region: str) -> Owned:
    notes: list[Fact] = []
    records: list[DnsRecord] = []
    try:
        records += _dkim(state, identity, region)
    except RecordError as exc:
        notes.append(Fact("DKIM records", f"Not rebuilt: {exc.message}", "warn"))
    mail_from = _mail_from_domain(state)
    if mail_from:
        records += mail_from_records(mail_from, region)
    records += _dmarc(state)
    notes += _reports_collection(state)
    name = state.resource(AUTHORIZATION, "policy_name")
    text = state.resource(AUTHORIZATION, "policy")
    policies: dict[str, str | None] = {}
    if isinstance(name, str) and name:
        policies[name] = text if isinstance(text, str) else None
    return Owned(
        "state", tuple(records), policies, mail_from, _identity_created(state), tuple(notes)
    )


def matched(identity: IdentityStatus | None, domain: str, region: str) -> Owned:
    """Without a session: only what is exactly what the wizard would have made."""
    records: list[DnsRecord] = []
    notes = [
        Fact(
            "DMARC record",
            "No session records which DMARC record sesdmarc published, so it is left alone.",
            "info",
            "Delete it at your DNS host if you no longer want it.",
        )
    ]
    mail_from: str | None = None
    if identity is not None:
        if identity.dkim_tokens:
            try:
                records += dkim_records(
                    domain, identity.dkim_tokens, region, identity.signing_hosted_zone
                )
            except RecordError as exc:
                notes.append(Fact("DKIM records", f"Not rebuilt: {exc.message}", "warn"))
        mail_from = identity.mail_from.domain
        if mail_from:
            records += mail_from_records(mail_from, region)
    policies: dict[str, str | None] = {DEFAULT_POLICY_NAME: None}
    return Owned("matched", tuple(records), policies, mail_from, None, tuple(notes))

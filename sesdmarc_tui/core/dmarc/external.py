"""External report destinations (RFC 7489 s7.1; RFC 9990 "Verifying External Destinations").

When a rua/ruf host belongs to another organizational domain than the policy domain, reporters
send reports there only if the destination's zone publishes ``<policy-domain>._report._dmarc.
<host>`` (or the wildcard ``*._report._dmarc.<host>``) with a TXT record starting
``v=DMARC1``. That record may name its own rua/ruf to redirect reports, but only to the same
host; naming another host means no report goes to either.

The organizational domains are compared by the Public Suffix List: it is offline, and it is what
the destination's operator will recognise. (A tree walk could differ only before the policy
domain's own record is published, which is exactly when the wizard runs this check.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.core.dmarc.record import DmarcRecord, parse_dmarc
from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.names import absolute, org_domain_psl

Status = Literal[
    "same_organization",
    "authorized",
    "authorized_by_wildcard",
    "not_authorized",
    "override_to_other_host",
    "dns_error",
    "not_checked",
]


@dataclass(frozen=True)
class ExternalDestination:
    tag: str  # "rua" or "ruf"
    uri: str
    host: str
    needs_authorization: bool
    authorized: bool | None  # None: no check needed, or the answer could not be obtained
    verification_query: str | None
    status: Status
    detail: str
    required_record: tuple[str, str] | None = None  # (name, value) the other zone publishes
    found_record: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "uri": safe_text(self.uri),
            "host": self.host,
            "authorized": self.authorized,
            "verification_query": self.verification_query,
            "tag": self.tag,
            "status": self.status,
            "required_record": (
                {"name": self.required_record[0], "value": self.required_record[1]}
                if self.required_record
                else None
            ),
        }


def authorization_record(policy_domain: str, dest_host: str) -> tuple[str, str]:
    """The TXT record the destination's zone publishes to accept reports for the domain."""
    name = f"{policy_domain.rstrip('.').lower()}._report._dmarc.{dest_host.rstrip('.').lower()}"
    return name, "v=DMARC1;"


def needs_authorization(policy_domain: str, dest_host: str) -> bool:
    return org_domain_psl(policy_domain) != org_domain_psl(dest_host)


def external_destinations(
    record: DmarcRecord | str, policy_domain: str, lookup: Lookup | None
) -> list[ExternalDestination]:
    """One entry per valid rua/ruf URI with a host, in record order; never raises."""
    parsed = parse_dmarc(record) if isinstance(record, str) else record
    result: list[ExternalDestination] = []
    for tag in ("rua", "ruf"):
        for uri in parsed.uris.get(tag, ()):
            if uri.valid and uri.host:
                result.append(_check(tag, uri.uri, uri.host, policy_domain, lookup))
    return result


def _check(
    tag: str, uri: str, host: str, policy_domain: str, lookup: Lookup | None
) -> ExternalDestination:
    if not needs_authorization(policy_domain, host):
        return ExternalDestination(
            tag=tag,
            uri=uri,
            host=host,
            needs_authorization=False,
            authorized=None,
            verification_query=None,
            status="same_organization",
            detail=f"{host} belongs to the same organization as {policy_domain}: "
            "no authorization needed.",
        )
    name, value = authorization_record(policy_domain, host)
    publish = (
        f'The zone of {host} must publish TXT {name} "{value}" (or *._report._dmarc.{host}) '
        "to accept the reports; until then receivers silently send none."
    )

    def outcome(
        status: Status, authorized: bool | None, detail: str, found: str | None = None
    ) -> ExternalDestination:
        return ExternalDestination(
            tag, uri, host, True, authorized, name, status, detail, (name, value), found
        )

    if lookup is None:
        return outcome(
            "not_checked", None, f"{tag} sends reports to {host}, another organization. {publish}"
        )
    found, error = _authorizing_record(name, lookup)
    wildcard = False
    if found is None:
        found, wildcard_error = _authorizing_record(f"*._report._dmarc.{host}", lookup)
        wildcard = found is not None
        error = error or wildcard_error
    if found is not None:
        overrides = [u for u in found.uris.get(tag, ()) if u.valid]
        other = sorted({u.host for u in overrides if u.host and u.host != host})
        if other:
            return outcome(
                "override_to_other_host",
                False,
                f"{host} answers with {tag}= naming another host ({', '.join(other)}): "
                f"receivers then send reports to neither. The record at {name} must name only "
                f"addresses at {host}, or none.",
                found.text,
            )
        via = "a wildcard record" if wildcard else "its record"
        redirect = ""
        if overrides:
            redirect = f" Reports go to {', '.join(u.uri for u in overrides)} instead, as it asks."
        status: Status = "authorized_by_wildcard" if wildcard else "authorized"
        return outcome(
            status,
            True,
            f"{host} accepts reports for {policy_domain} ({via}).{redirect}",
            found.text,
        )
    if error is not None:
        return outcome(
            "dns_error",
            None,
            f"Could not check whether {host} accepts reports for {policy_domain} ({error}). "
            f"{publish}",
        )
    return outcome(
        "not_authorized",
        False,
        f"{tag} sends reports to {host}, which has not authorized {policy_domain}. {publish}",
    )


def _authorizing_record(name: str, lookup: Lookup) -> tuple[DmarcRecord | None, str | None]:
    """The DMARC-tagged TXT record at ``name``, or the DNS error that hid the answer."""
    answer = lookup(absolute(name), "TXT")
    if answer.kind is AnswerKind.ERROR:
        return None, answer.error or "DNS error"
    for text in answer.values:
        parsed = parse_dmarc(text)
        if parsed.is_dmarc:
            return parsed, None
    return None, None

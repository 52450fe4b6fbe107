"""Which MAIL FROM domains a check looks at, and the records each one needs.

SES tells which MAIL FROM domain an identity uses. When it does not (no credentials, or MAIL
FROM never set), the check looks at ``--mail-from`` or the wizard's default ``mail.<domain>``:
an MX there pointing at an SES feedback host shows a MAIL FROM set up in DNS, and names its
region. Records published in DNS while SES was never told (``PutEmailIdentityMailFromAttributes``
never called) leave SPF silently unaligned (opensend #650, onetimesecret #3378).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sesdmarc_tui.aws.ses_models import IdentityStatus
from sesdmarc_tui.core.checklist import Area, CheckItem, Severity, Skipped
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import doubled_name, is_subdomain
from sesdmarc_tui.core.records import DnsRecord, RecordError, mail_from_records
from sesdmarc_tui.core.regions import UnknownRegionError, ses_region
from sesdmarc_tui.troubleshoot.ses_reader import SesView

_FEEDBACK = re.compile(r"^\d+ feedback-smtp\.([a-z0-9-]+)\.amazonses\.com\.?$")


@dataclass(frozen=True)
class MailFromTarget:
    name: str
    region: str
    identity: IdentityStatus | None  # None: found in DNS, not reported by SES
    mx: DnsRecord
    txt: DnsRecord


@dataclass(frozen=True)
class MailFromPlan:
    targets: tuple[MailFromTarget, ...] = ()
    items: tuple[CheckItem, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    def records(self) -> list[DnsRecord]:
        return [r for t in self.targets for r in (t.mx, t.txt)]

    def names(self) -> list[str]:
        return list(dict.fromkeys(t.name for t in self.targets))


def feedback_region(mx_values: tuple[str, ...]) -> str | None:
    """The SES region named by an MX value ``10 feedback-smtp.<region>.amazonses.com``."""
    for value in mx_values:
        match = _FEEDBACK.match(value.lower())
        if match is None:
            continue
        try:
            return ses_region(match.group(1)).name
        except UnknownRegionError:
            continue
    return None


def _target(name: str, region: str, identity: IdentityStatus | None) -> MailFromTarget | None:
    try:
        mx, txt = mail_from_records(name, region)
    except RecordError:
        return None
    return MailFromTarget(name, region, identity, mx, txt)


def plan_mail_from(
    domain: str, zone: str, view: SesView, lookup: Lookup, option: str | None
) -> MailFromPlan:
    configured = [i for i in view.found() if i.mail_from.domain]
    targets = [_target(str(i.mail_from.domain), i.region, i) for i in configured]
    if configured:
        return MailFromPlan(tuple(t for t in targets if t is not None))
    name = option or f"mail.{domain}"
    region = _region_in_dns(name, zone, lookup)
    if region is None:
        return _nothing_found(domain, name, view, option is not None)
    target = _target(name, region, None)
    items = [_not_activated(domain, name, region)] if view.found() else []
    return MailFromPlan((target,) if target else (), tuple(items))


def _region_in_dns(name: str, zone: str, lookup: Lookup) -> str | None:
    """The region of an SES MX at ``name``, or at its doubled-zone twin (a misnamed record)."""
    names = [name]
    if is_subdomain(name, zone):
        names.append(doubled_name(name, zone))
    for candidate in names:
        region = feedback_region(lookup(candidate, "MX").values)
        if region is not None:
            return region
    return None


def _not_activated(domain: str, name: str, region: str) -> CheckItem:
    return CheckItem(
        Area.MAIL_FROM,
        "mail_from_not_activated",
        Severity.ERROR,
        f"MAIL FROM records for {name} are published, but SES does not use them",
        f"{name} has an MX to SES's feedback host in {region}, yet the identity {domain} has "
        "no custom MAIL FROM domain set: SES still sends with an amazonses.com MAIL FROM, so "
        "SPF passes for amazonses.com and never aligns with your From domain.",
        f"Set {name} as the identity's custom MAIL FROM domain (the wizard's MAIL FROM step, "
        "or PutEmailIdentityMailFromAttributes).",
        (name,),
    )


def _nothing_found(domain: str, name: str, view: SesView, explicit: bool) -> MailFromPlan:
    if view.found():
        item = CheckItem(
            Area.MAIL_FROM,
            "mail_from_not_configured",
            Severity.WARNING,
            f"No custom MAIL FROM domain is set for {domain}",
            "SES sends with an amazonses.com MAIL FROM: SPF never aligns, so DMARC rests on "
            "DKIM alone and any DKIM trouble fails it.",
            f"Set up a custom MAIL FROM domain such as {name} (the wizard's MAIL FROM step).",
        )
        return MailFromPlan(items=(item,))
    what = "the given" if explicit else "the default"
    reason = (
        f"{what.capitalize()} MAIL FROM name {name} has no MX pointing at an SES feedback "
        "host, and SES was not read, so there is no MAIL FROM domain to check "
        "(pass --mail-from NAME, or credentials to read it from SES)."
    )
    if view.readable:
        reason = f"SES has no identity for {domain} to read a MAIL FROM domain from."
    return MailFromPlan(skipped=(Skipped(Area.MAIL_FROM, reason),))

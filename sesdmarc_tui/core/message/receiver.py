"""The trusted receiver's Authentication-Results summarised: DKIM, SPF, DMARC, alignment.

The receiver's own alignment is not in the header, so it is computed here from its results,
with the DMARC policy's alignment modes, the way the receiver would have.
"""

from __future__ import annotations

import re

from sesdmarc_tui.core.alignment import AlignmentMode, OrgDomainFn, aligned
from sesdmarc_tui.core.message.authres import AuthResults, ResInfo
from sesdmarc_tui.core.message.report import ReceiverDkim, ReceiverView
from sesdmarc_tui.core.names import normalize_domain

_DIS = re.compile(r"\bdis=([a-z]+)", re.IGNORECASE)


def domain_part(value: str | None) -> str | None:
    """The normalised domain of ``user@domain``, ``@domain`` (Gmail) or a bare domain."""
    if not value:
        return None
    name = value.rpartition("@")[2].strip().strip("<>")
    if not name or name.lower() == "none":  # Microsoft: header.d=none when unsigned
        return None
    try:
        return normalize_domain(name, allow_underscore=True)
    except ValueError:
        return None


def _dkim(info: ResInfo) -> ReceiverDkim:
    header_i = info.prop("header.i")
    domain = domain_part(info.prop("header.d")) or domain_part(header_i)
    return ReceiverDkim(domain, header_i, info.result)


def _disposition(dmarc: ResInfo) -> str | None:
    for comment in dmarc.comments:
        match = _DIS.search(comment)
        if match:  # Gmail: (p=NONE sp=NONE dis=NONE)
            return match.group(1).lower()
    action = dmarc.extra("action")  # Microsoft: action=none|quarantine|oreject|...
    return action.lower() if action else None


def dkim_results(header: AuthResults) -> tuple[ReceiverDkim, ...]:
    return tuple(_dkim(r) for r in header.of("dkim"))


def spf_result(header: AuthResults) -> tuple[str | None, str, str | None] | None:
    """(domain checked, result, smtp.mailfrom as written) of the receiver's first spf=."""
    info = next(iter(header.of("spf")), None)
    if info is None:
        return None
    mailfrom = info.prop("smtp.mailfrom")
    # Only the MAIL FROM identity counts for DMARC (RFC 9989 dropped HELO), so no fallback.
    return domain_part(mailfrom), info.result, mailfrom


def receiver_view(
    header: AuthResults,
    from_domain: str | None,
    adkim: str | None,
    aspf: str | None,
    org_domain: OrgDomainFn,
) -> ReceiverView:
    dkim = dkim_results(header)
    spf = spf_result(header)
    dmarc_info = next(iter(header.of("dmarc")), None)
    dmarc = None
    if dmarc_info is not None:
        comment = dmarc_info.comments[0] if dmarc_info.comments else None
        dmarc = (dmarc_info.prop("header.from"), comment, dmarc_info.result)
    aligned_dkim = aligned_spf = None
    if from_domain is not None:
        dkim_mode: AlignmentMode = "s" if adkim == "s" else "r"
        spf_mode: AlignmentMode = "s" if aspf == "s" else "r"
        aligned_dkim = any(
            d.result == "pass"
            and d.domain
            and aligned(d.domain, from_domain, dkim_mode, org_domain)
            for d in dkim
        )
        aligned_spf = bool(
            spf
            and spf[1] == "pass"
            and spf[0]
            and aligned(spf[0], from_domain, spf_mode, org_domain)
        )
    return ReceiverView(
        authserv_id=header.authserv_id,
        dkim=dkim,
        spf=spf,
        dmarc=dmarc,
        receiver_disposition=_disposition(dmarc_info) if dmarc_info else None,
        aligned_dkim=aligned_dkim,
        aligned_spf=aligned_spf,
        position=header.position,
    )

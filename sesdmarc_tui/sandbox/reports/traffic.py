"""The mail a receiver saw in a day: SES's own, as delivered in the sandbox, and foreign mail.

SES streams are built from the mailbox: every message the sandbox delivered from the domain
gives the results a receiver really computed for it (its DKIM signatures, its SPF verdict for
the envelope sender, DMARC), and that stream is repeated every day at a chosen volume. Foreign
sources complete the picture the way real reports show them: a forwarder that keeps DKIM intact
(aligned), a mailing list that breaks it, and spoofers that pass nothing. Volumes vary from day
to day by a seeded generator, so the same seed gives the same reports.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.reports.model import DkimAuth, Row, SpfAuth
from sesdmarc_tui.sandbox.mailbox import StoredMessage


@dataclass(frozen=True)
class Stream:
    """Mail with the same source and results, ``volume`` messages a day on average."""

    name: str
    source_ip: str
    volume: int
    dkim: tuple[DkimAuth, ...]
    spf: tuple[SpfAuth, ...]
    envelope_from: str
    dkim_aligned: bool
    spf_aligned: bool
    reasons: tuple[str, ...] = ()


def _aligned(domain: str, candidate: str) -> bool:
    return bool(candidate) and (candidate == domain or candidate.endswith("." + domain))


def ses_streams(messages: Sequence[StoredMessage], domain: str, volume: int) -> list[Stream]:
    """One stream per distinct result set among the delivered messages From ``domain``."""
    found: dict[tuple[object, ...], Stream] = {}
    for message in messages:
        verdict = message.verdict
        if verdict is None or verdict.from_domain != domain:
            continue
        envelope = verdict.mail_from.rpartition("@")[2].lower()
        dkim = tuple(DkimAuth(d.domain, d.selector, d.result) for d in verdict.dkim)
        stream = Stream(
            name="Amazon SES",
            source_ip=verdict.client_ip,
            volume=volume,
            dkim=dkim,
            spf=(SpfAuth(envelope, "mfrom", verdict.spf),),
            envelope_from=envelope,
            dkim_aligned=any(d.result == "pass" and _aligned(domain, d.domain) for d in dkim),
            spf_aligned=verdict.spf == "pass" and _aligned(domain, envelope),
        )
        found.setdefault((stream.source_ip, stream.dkim, stream.spf), stream)
    return list(found.values())


def foreign_streams(domain: str, ses: Sequence[Stream], spoof_volume: int) -> list[Stream]:
    signed = next((s.dkim for s in ses if s.dkim_aligned), ())
    envelope = ses[0].envelope_from if ses else f"bounces.{domain}"
    streams = [
        Stream(
            "Mailing list (breaks DKIM)",
            "198.51.100.60",
            3,
            tuple(DkimAuth(d.domain, d.selector, "fail") for d in signed),
            (SpfAuth("lists.example.org", "mfrom", "pass"),),
            "lists.example.org",
            False,
            False,
            ("mailing_list",),
        ),
        Stream(
            "Spoofer",
            "203.0.113.66",
            spoof_volume,
            (),
            (SpfAuth(domain, "mfrom", "fail"),),
            domain,
            False,
            False,
        ),
        Stream(
            "Spoofer",
            "203.0.113.99",
            max(1, spoof_volume // 2),
            (),
            (SpfAuth("mailer.invalid", "mfrom", "softfail"),),
            "mailer.invalid",
            False,
            False,
        ),
    ]
    if signed:  # forwarded SES mail: the domain's signature survives, SPF does not
        streams.insert(
            0,
            Stream(
                "Forwarder (keeps DKIM)",
                "198.51.100.25",
                8,
                signed,
                (SpfAuth(envelope, "mfrom", "softfail"),),
                envelope,
                True,
                False,
                ("forwarded",),
            ),
        )
    return streams


def day_rows(
    streams: Sequence[Stream], domain: str, rng: random.Random, share: float, disposition: str
) -> list[Row]:
    """The rows one reporter sends for one day: ``share`` of each stream's volume."""
    rows = []
    for stream in streams:
        count = round(stream.volume * share * rng.uniform(0.6, 1.4))
        if count <= 0:
            continue
        passed = stream.dkim_aligned or stream.spf_aligned
        rows.append(
            Row(
                source_ip=stream.source_ip,
                count=count,
                disposition="none" if passed else disposition,
                dkim_aligned=stream.dkim_aligned,
                spf_aligned=stream.spf_aligned,
                header_from=domain,
                envelope_from=stream.envelope_from,
                reasons=stream.reasons,
                dkim=stream.dkim,
                spf=stream.spf,
            )
        )
    return rows

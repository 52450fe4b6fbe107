"""The staged DMARC ladder that behaves the same at RFC 7489 and RFC 9989 receivers.

RFC 9989 dropped pct, so ``p=quarantine; pct=25`` means 100 % at an updated receiver. The test
stages pair ``t=y`` (RFC 9989: one level lower) with ``pct=0`` (RFC 7489 s6.6.4: mail left out
by pct gets the next lower policy), so both kinds of receivers apply the same thing
(reference s0 item 3; RFC 9989 Appendix A.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sesdmarc_tui.core.dmarc.build import build_dmarc
from sesdmarc_tui.core.dmarc.record import DmarcRecord, parse_dmarc
from sesdmarc_tui.core.dmarc.values import pct_value


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    title: str
    p: str
    test: bool  # t=y with pct=0
    rfc7489: str  # what an RFC 7489 receiver does with failing mail
    rfc9989: str  # what an RFC 9989 receiver does with failing mail
    explanation: str
    consequence: str
    advance_when: str


LADDER: tuple[Stage, ...] = (
    Stage(
        1,
        "monitor",
        "Monitor",
        "none",
        False,
        "none",
        "none",
        "Receivers deliver mail as before and send you daily reports of who sends mail as "
        "your domain and whether it passes DMARC.",
        "No mail is affected, and spoofed mail still gets through.",
        "Move on when the reports show every legitimate sender (SES and any other service) "
        "passing DMARC for at least two weeks.",
    ),
    Stage(
        2,
        "test_quarantine",
        "Test quarantine",
        "quarantine",
        True,
        "none",
        "none",
        "You announce quarantine, but ask receivers to apply one level lower: pct=0 does "
        "that at RFC 7489 receivers and t=y at RFC 9989 receivers.",
        "Still no mail is moved to spam; some receivers apply special handling (such as "
        "rewriting From on mailing lists) so you can see what quarantine would break.",
        "Move on when the reports stay clean for a week or two.",
    ),
    Stage(
        3,
        "quarantine",
        "Quarantine",
        "quarantine",
        False,
        "quarantine",
        "quarantine",
        "Receivers put mail that fails DMARC in the spam or junk folder.",
        "Spoofed mail mostly lands in spam, and so does legitimate mail that fails (a sender "
        "you missed, forwarded mail without DKIM).",
        "Move on when nothing legitimate has failed for several weeks.",
    ),
    Stage(
        4,
        "test_reject",
        "Test reject",
        "reject",
        True,
        "quarantine",
        "quarantine",
        "You announce reject, but receivers still apply quarantine (one level lower at both "
        "kinds of receivers).",
        "Failing mail still goes to spam instead of bouncing, while you confirm that reject "
        "would be safe.",
        "Move on when the reports stay clean for a week or two.",
    ),
    Stage(
        5,
        "reject",
        "Reject",
        "reject",
        False,
        "reject",
        "reject",
        "Receivers refuse mail that fails DMARC.",
        "Spoofed mail is refused, but so is legitimate mail that fails: mailing lists and "
        "forwarders can break, which is why RFC 9989 advises against reject for domains whose "
        "users post to lists.",
        "This is the last stage; keep reading the reports.",
    ),
)


def get_stage(stage: int | str) -> Stage:
    """The stage by number (1-5) or key (``monitor``... ``reject``); ``ValueError`` if none."""
    for candidate in LADDER:
        if stage in (candidate.number, candidate.key):
            return candidate
    raise ValueError(f"no DMARC stage {stage!r}: use 1-5 or {', '.join(s.key for s in LADDER)}")


def next_stage(stage: Stage) -> Stage | None:
    return LADDER[stage.number] if stage.number < len(LADDER) else None


def stage_record(
    stage: int | str | Stage,
    rua: Sequence[str],
    *,
    ruf: Sequence[str] = (),
    sp: str | None = None,
    np: str | None = None,
    fo: str | None = None,
) -> str:
    """The canonical record for ``stage``; raises ``ValueError`` for bad arguments."""
    chosen = stage if isinstance(stage, Stage) else get_stage(stage)
    return build_dmarc(
        chosen.p,
        sp=sp,
        np=np,
        t="y" if chosen.test else None,
        pct=0 if chosen.test else None,
        fo=fo,
        rua=rua,
        ruf=ruf,
    )


def detect_stage(record: DmarcRecord | str) -> Stage | None:
    """The ladder stage a record is at, or None when it matches none (e.g. pct=25).

    Only records that behave the same at both kinds of receivers match a test stage: t=y
    without pct=0 (or the reverse) is a test at one kind and the full policy at the other.
    """
    parsed = parse_dmarc(record) if isinstance(record, str) else record
    if parsed.effective is None or not parsed.effective.applies:
        return None
    p = parsed.effective.p
    if p == "none":
        return LADDER[0]
    t = parsed.effective.t
    pct_text = parsed.tag("pct")
    pct = pct_value(pct_text) if pct_text is not None else 100
    if t == "y" and pct == 0:
        return LADDER[1] if p == "quarantine" else LADDER[3]
    if t != "y" and pct == 100:
        return LADDER[2] if p == "quarantine" else LADDER[4]
    return None

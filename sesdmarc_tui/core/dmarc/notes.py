"""Plain-language notes that explain a discovery result and the fix for what it found."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sesdmarc_tui.core.dmarc.findings import shown
from sesdmarc_tui.core.dmarc.resolve import DmarcAt, dmarc_name
from sesdmarc_tui.core.names import org_domain_psl

if TYPE_CHECKING:
    from sesdmarc_tui.core.dmarc.discover import Discovery


def discovery_notes(d: Discovery, asked: list[DmarcAt]) -> Iterator[str]:
    author = d.author_domain
    for step in asked:
        if step.status == "error":
            yield (
                f"The query for {step.query} failed ({step.error}): the result is uncertain "
                "(a receiver may defer the mail or skip DMARC). Check the DNS servers and retry."
            )
        elif step.status == "multiple":
            yield (
                f"{step.query} has {len(step.records)} DMARC records: receivers discard all "
                "of them, as if there were none. Delete all but one."
            )
        if step.discarded and step.status != "error":
            yield (
                f"{step.query} also holds unrelated TXT ({shown(step.discarded[0], 40)}); "
                "receivers ignore it, but DMARC records belong alone at _dmarc."
            )
    yield from _policy_notes(d)
    yield from _org_notes(d)
    for step in d.walk.found:
        if step.domain not in (author, d.policy_domain) and d.walk.steps[0].status != "record":
            yield (
                f"The record at {step.query} does not govern {author}: under RFC 9989 the "
                f"policy comes from the organizational domain {d.organizational_domain}."
            )


def _policy_notes(d: Discovery) -> Iterator[str]:
    author = d.author_domain
    psl_org = org_domain_psl(author)
    if d.policy_at is None:
        if not d.dns_errors:
            yield (
                f"No DMARC record governs {author}: receivers apply no DMARC to its mail. "
                f"Publish v=DMARC1; p=none; rua=mailto:... at {dmarc_name(psl_org)}."
            )
        return
    record = d.policy_at.record
    effective = record.effective if record else None
    if record is not None and effective is not None and effective.fallback:
        if effective.applies:
            yield (
                f"The record at {d.policy_at.query} has an invalid p, sp or np value, so "
                "receivers act as if it said p=none. Fix the value (see `sesdmarc dmarc lint`)."
            )
        else:
            yield (
                f"The record at {d.policy_at.query} has an invalid p, sp or np value and no "
                "valid rua, so receivers apply no DMARC. Fix the value."
            )
    elif record is not None and record.duplicates:
        repeated = ", ".join(sorted(record.duplicates))
        yield (
            f"The record at {d.policy_at.query} repeats a tag ({repeated}), which makes it "
            "invalid: receivers may apply no DMARC. Keep each tag once."
        )
    if record is not None and effective is not None and effective.t == "y" and d.policy != "none":
        yield (
            "t=y (test mode): RFC 9989 receivers apply the policy one level lower; "
            "RFC 7489 receivers ignore t."
        )


def _org_notes(d: Discovery) -> Iterator[str]:
    author = d.author_domain
    psl_org = org_domain_psl(author)
    if d.organizational_domain == psl_org or d.dns_errors:
        return
    yield (
        f"Organizational domains differ: the Public Suffix List (RFC 7489 receivers) gives "
        f"{psl_org}, the DNS tree walk (RFC 9989 receivers) gives {d.organizational_domain}. "
        "Relaxed alignment between the two can differ."
    )
    has_psl_record = any(s.domain == psl_org for s in d.walk.found)
    if not has_psl_record and d.organizational_domain != psl_org:
        yield (
            f"Publish a DMARC record at {dmarc_name(psl_org)}: without it, RFC 9989 receivers "
            f"treat {d.organizational_domain} as its own organization, so DKIM d={psl_org} "
            "(SES Easy DKIM) or a MAIL FROM under it no longer aligns."
        )

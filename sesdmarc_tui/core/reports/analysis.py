"""One call from parsed reports to everything the CLI and the screens show, and its JSON.

``analyze`` filters (policy domain, since a date), drops duplicates, counts, groups, and
judges readiness; problems from collection and parsing travel along so they are shown, not
lost. The JSON form is the ``sesdmarc reports --json`` contract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sesdmarc_tui.core.dmarc.ladder import Stage
from sesdmarc_tui.core.reports.aggregate import Aggregate, aggregate
from sesdmarc_tui.core.reports.dedupe import deduplicate
from sesdmarc_tui.core.reports.model import Problem, Report
from sesdmarc_tui.core.reports.readiness import Readiness, Thresholds, assess
from sesdmarc_tui.core.reports.senders import GROUP_TITLES, GROUPS, Identity, KnownSender


@dataclass(frozen=True)
class Options:
    identity: Identity
    known: tuple[KnownSender, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    stage: Stage | None = None
    since: int | None = None  # UTC seconds: reports ending before it are left out
    domain_filter: str | None = None  # a policy domain (and its subdomains)


@dataclass(frozen=True)
class Analysis:
    reports: tuple[Report, ...]
    problems: tuple[Problem, ...]
    aggregate: Aggregate
    readiness: Readiness
    options: Options
    ignored: int  # reports left out by the domain or date filter

    @property
    def begin(self) -> int | None:
        return min((r.begin for r in self.reports), default=None)

    @property
    def end(self) -> int | None:
        return max((r.end for r in self.reports), default=None)

    @property
    def has_errors(self) -> bool:
        """Inputs that could not be read at all (a duplicate or overlap is only a warning)."""
        return any(p.kind not in ("duplicate", "overlap") for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        agg = self.aggregate
        sources = sorted(agg.sources.values(), key=lambda s: (-s.messages, s.ip))
        orgs = sorted(agg.orgs.values(), key=lambda o: (-o.messages, o.org.lower()))
        return {
            "domain": self.options.identity.domain,
            "mail_from_domain": self.options.identity.mail_from_domain,
            "date_range": {"begin": self.begin, "end": self.end},
            "reports": len(self.reports),
            "ignored_reports": self.ignored,
            "schemas": dict(Counter(r.schema for r in self.reports)),
            "totals": agg.total.to_json(),
            "exempted_by_receivers": agg.exempt.to_json(),
            "sources": [s.to_json() for s in sources],
            "organizations": [o.to_json() for o in orgs],
            "groups": [{"title": GROUP_TITLES[g], **agg.groups[g].to_json()} for g in GROUPS],
            "days": [{"day": day, **tally.to_json()} for day, tally in agg.days.items()],
            "readiness": self.readiness.to_json(),
            "problems": [p.to_json() for p in self.problems],
        }


def _wanted(report: Report, options: Options) -> bool:
    if options.since is not None and report.end < options.since:
        return False
    wanted = options.domain_filter
    domain = report.policy.domain
    return not wanted or domain == wanted or domain.endswith("." + wanted)


def analyze(reports: Sequence[Report], problems: Sequence[Problem], options: Options) -> Analysis:
    chosen = [r for r in reports if _wanted(r, options)]
    kept, found = deduplicate(chosen)
    agg = aggregate(kept, options.identity, options.known)
    readiness = assess(kept, agg, options.thresholds, stage=options.stage)
    return Analysis(
        tuple(kept),
        (*problems, *found),
        agg,
        readiness,
        options,
        len(reports) - len(chosen),
    )

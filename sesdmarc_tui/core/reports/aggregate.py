"""Counting: per source IP, per reporting organisation, per sender group and per day.

Every figure is a message count (a row's ``count``), never a row count. "Aligned" means DMARC
passed at the receiver (aligned DKIM or aligned SPF, its ``policy_evaluated``). A report's mail
is put on the UTC day of the middle of its date range: reports cover one day, usually from
midnight UTC, and the middle never falls on a neighbouring day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sesdmarc_tui.core.reports.model import Report
from sesdmarc_tui.core.reports.senders import (
    FORWARD_REASONS,
    GROUPS,
    Group,
    Identity,
    KnownSender,
    classify,
)

RANK: dict[Group, int] = {g: n for n, g in enumerate(GROUPS)}


def report_day(report: Report) -> str:
    middle = report.begin + (report.end - report.begin) // 2
    return datetime.fromtimestamp(middle, UTC).strftime("%Y-%m-%d")


@dataclass
class Tally:
    messages: int = 0
    aligned: int = 0
    dkim_aligned: int = 0
    spf_aligned: int = 0
    dispositions: Counter[str] = field(default_factory=Counter)

    @property
    def not_aligned(self) -> int:
        return self.messages - self.aligned

    @property
    def aligned_share(self) -> float | None:
        return self.aligned / self.messages if self.messages else None

    def to_json(self) -> dict[str, object]:
        return {
            "messages": self.messages,
            "aligned": self.aligned,
            "not_aligned": self.not_aligned,
            "dkim_aligned": self.dkim_aligned,
            "spf_aligned": self.spf_aligned,
            "dispositions": dict(sorted(self.dispositions.items())),
        }


@dataclass
class SourceStats(Tally):
    ip: str = ""
    group: Group = "unknown"
    label: str = ""
    unexplained: int = 0  # messages in rows that no sender rule explains
    spf: Counter[str] = field(default_factory=Counter)  # "domain result" -> messages
    dkim: Counter[str] = field(default_factory=Counter)  # "d=domain result" -> messages
    orgs: set[str] = field(default_factory=set)
    header_from: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, object]:
        return {
            "ip": self.ip,
            "group": self.group,
            "label": self.label,
            "unexplained": self.unexplained,
            **super().to_json(),
            "spf": dict(self.spf.most_common()),
            "dkim": dict(self.dkim.most_common()),
            "orgs": sorted(self.orgs),
            "header_from": sorted(self.header_from),
        }


@dataclass
class OrgStats(Tally):
    org: str = ""
    reports: int = 0
    sources: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, object]:
        return {"org": self.org, "reports": self.reports, "sources": len(self.sources)} | (
            super().to_json()
        )


@dataclass
class GroupStats(Tally):
    group: Group = "unknown"
    sources: set[str] = field(default_factory=set)
    labels: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, object]:
        return {
            "group": self.group,
            "sources": len(self.sources),
            "labels": dict(self.labels.most_common()),
            **super().to_json(),
        }


@dataclass
class Aggregate:
    total: Tally
    sources: dict[str, SourceStats]
    orgs: dict[str, OrgStats]
    groups: dict[Group, GroupStats]
    days: dict[str, Tally]  # "YYYY-MM-DD" -> counts, in date order
    exempt: Tally = field(default_factory=Tally)  # failing mail receivers exempted (lists...)


def _add(tally: Tally, count: int, dkim: bool, spf: bool, disposition: str) -> None:
    tally.messages += count
    tally.aligned += count if dkim or spf else 0
    tally.dkim_aligned += count if dkim else 0
    tally.spf_aligned += count if spf else 0
    tally.dispositions[disposition] += count


def aggregate(
    reports: Iterable[Report], identity: Identity, known: Sequence[KnownSender] = ()
) -> Aggregate:
    total = Tally()
    sources: dict[str, SourceStats] = {}
    orgs: dict[str, OrgStats] = {}
    groups: dict[Group, GroupStats] = {g: GroupStats(group=g) for g in GROUPS}
    days: dict[str, Tally] = {}
    exempt = Tally()
    for report in reports:
        org = orgs.setdefault(report.org_name.lower(), OrgStats(org=report.org_name))
        org.reports += 1
        day = days.setdefault(report_day(report), Tally())
        for row in report.rows:
            group, label = classify(row, identity, known)
            source = sources.get(row.source_ip)
            if source is None:
                source = sources[row.source_ip] = SourceStats(ip=row.source_ip)
            if source.messages == 0 or RANK[group] < RANK[source.group]:
                source.group, source.label = group, label  # the best explanation names the IP
            if group == "unknown":
                source.unexplained += row.count
            args = (row.count, row.dkim_aligned, row.spf_aligned, row.disposition)
            for tally in (total, source, org, groups[group], day):
                _add(tally, *args)
            if not row.aligned and FORWARD_REASONS.intersection(row.reasons):
                _add(exempt, *args)
            source.orgs.add(report.org_name)
            source.header_from.add(row.header_from)
            for spf in row.spf:
                source.spf[f"{spf.domain} {spf.result}"] += row.count
            for dkim in row.dkim:
                source.dkim[f"d={dkim.domain} {dkim.result}"] += row.count
            org.sources.add(row.source_ip)
            groups[group].sources.add(row.source_ip)
            groups[group].labels[label] += row.count
    return Aggregate(total, sources, orgs, groups, dict(sorted(days.items())), exempt)

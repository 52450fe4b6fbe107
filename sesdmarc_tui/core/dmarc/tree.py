"""The RFC 9989 s4.10 DNS tree walk and organizational domain selection (s4.10.2)."""

from __future__ import annotations

from dataclasses import dataclass

from sesdmarc_tui.core.dmarc.resolve import DmarcAt, query_dmarc
from sesdmarc_tui.core.lookup import Lookup
from sesdmarc_tui.core.names import tree_walk_names


@dataclass(frozen=True)
class TreeWalk:
    start: str
    steps: tuple[DmarcAt, ...]  # in query order, longest name first
    organizational_domain: str
    psd_domain: str | None  # where a psd=y record ended the walk

    @property
    def found(self) -> tuple[DmarcAt, ...]:
        """The names that had exactly one DMARC record, longest first."""
        return tuple(s for s in self.steps if s.status == "record")

    @property
    def dns_errors(self) -> tuple[DmarcAt, ...]:
        return tuple(s for s in self.steps if s.status == "error")


def tree_walk(domain: str, lookup: Lookup) -> TreeWalk:
    """Walk from ``domain`` (normalised) towards the root; at most 8 queries."""
    start = domain.rstrip(".").lower()
    steps: list[DmarcAt] = []
    psd_domain = None
    for name in tree_walk_names(start):
        step = query_dmarc(name, lookup)
        steps.append(step)
        psd = _psd(step)
        if psd in ("y", "n"):
            psd_domain = name if psd == "y" else None
            break
    return TreeWalk(start, tuple(steps), _select_org(start, steps), psd_domain)


def _psd(step: DmarcAt) -> str | None:
    if step.record is None or step.record.effective is None:
        return None
    return step.record.effective.psd


def _select_org(start: str, steps: list[DmarcAt]) -> str:
    found = [s for s in steps if s.status == "record"]
    for step in found:
        psd = _psd(step)
        if psd == "n":
            return step.domain
        if psd == "y" and step.domain != start:
            return _one_label_below(start, step.domain)
    if found:
        return min(found, key=lambda s: s.domain.count(".")).domain
    return start


def _one_label_below(start: str, ancestor: str) -> str:
    labels = start.split(".")
    keep = ancestor.count(".") + 2
    return ".".join(labels[-keep:])

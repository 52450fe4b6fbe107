"""The cleanup's data: what was asked, the session it works from, the plan and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sesdmarc_tui.flow.context import ProviderKind
from sesdmarc_tui.flow.model import Action, ActionResult, Fact
from sesdmarc_tui.flow.state import SessionState

if TYPE_CHECKING:
    from sesdmarc_tui.dns.providers.base import ChangePlan, DnsProvider, ManualInstructions
    from sesdmarc_tui.flow.cleanup.owned import Source

STEP = "cleanup"


@dataclass(frozen=True)
class CleanupRequest:
    """``provider`` overrides the session's DNS provider (``manual`` prints what to delete)."""

    domain: str
    region: str
    profile: str | None = None
    delete_identity: bool = False
    provider: ProviderKind | None = None
    state_path: Path | None = None


@dataclass
class Session:
    """The saved setup the cleanup works from, if any: its file and its state."""

    account: str
    path: Path | None = None
    state: SessionState | None = None


@dataclass(frozen=True)
class DnsDeletion:
    """One record set's change, with the provider that makes it (one call per set)."""

    provider: DnsProvider
    change: ChangePlan


@dataclass(frozen=True)
class CleanupPlan:
    """Everything to delete, in order (policies, MAIL FROM, identity, then DNS), what is left
    alone and why (``kept``), and notes worth reading before confirming."""

    domain: str
    region: str
    account: str
    source: Source
    session: Session
    profile: str | None = None
    actions: tuple[Action, ...] = ()
    kept: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()
    dns: dict[str, DnsDeletion] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.actions

    @property
    def state_path(self) -> Path | None:
        return self.session.path if self.session.state is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "region": self.region,
            "account": self.account,
            "source": self.source,
            "state_path": str(self.state_path) if self.state_path else None,
            "actions": [a.to_json() for a in self.actions],
            "dns_changes": [d.change.writes[0].to_json() for d in self.dns.values()],
            "kept": [f.to_json() for f in self.kept],
            "notes": [f.to_json() for f in self.notes],
        }


@dataclass(frozen=True)
class CleanupReport:
    results: tuple[ActionResult, ...]
    instructions: tuple[ManualInstructions, ...] = ()
    state_saved: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [
                {"action": r.action.id, "ok": r.ok, "message": r.message} for r in self.results
            ],
            "manual": [i.to_json() for i in self.instructions],
            "state_saved": str(self.state_saved) if self.state_saved else None,
        }

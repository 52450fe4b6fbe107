"""Reading the reports from the wizard: its sessions, its domain, its stage; the last verdict.

The identity, the MAIL FROM domain and the current ladder stage come from the session when the
operator does not say otherwise; S3 is read through the wizard's cached session for the
receiving region, with the object cache in the data directory. The verdict of the last reading
is kept in a small JSON file (0600) per domain, so the DMARC step and the Summary can show it
beside the ladder without reading the reports again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sesdmarc_tui.core.dmarc.ladder import Stage, get_stage
from sesdmarc_tui.core.reports.analysis import Analysis, Options
from sesdmarc_tui.core.reports.readiness import Thresholds
from sesdmarc_tui.core.reports.senders import Identity, KnownSender
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.reports.inspect import REPORTS
from sesdmarc_tui.flow.state import SessionState, iso_time
from sesdmarc_tui.flow.steps.base import DMARC, MAIL_FROM, profile_of
from sesdmarc_tui.reports.load import Collected, read_reports

VERDICT_DIR = "reports"
CACHE_DIR = "reports-cache"


def identity_of(state: SessionState, domain: str | None = None) -> Identity:
    name = domain or state.domain or ""
    mail_from = state.resource(MAIL_FROM, "mail_from_domain") or state.value(MAIL_FROM, "subdomain")
    return Identity(name, str(mail_from) if mail_from else None)


def stage_in(state: SessionState) -> Stage | None:
    found = state.resource(DMARC, "stage")
    return get_stage(found) if isinstance(found, int) else None


def default_source(state: SessionState) -> str:
    found = state.resource(REPORTS, "source")
    return found if isinstance(found, str) else ""


def read_for_wizard(
    ctx: FlowContext,
    state: SessionState,
    source: str,
    *,
    domain: str | None = None,
    thresholds: Thresholds | None = None,
    known: tuple[KnownSender, ...] = (),
) -> tuple[Analysis, Collected]:
    """Read and judge; remembers the verdict. Raises ``SourceError`` or ``AwsError``."""
    identity = identity_of(state, domain)
    options = Options(
        identity=identity,
        known=known,
        thresholds=thresholds or Thresholds(),
        stage=stage_in(state),
        domain_filter=identity.domain or None,
    )
    region = state.resource(REPORTS, "region")

    def s3() -> Any:
        from sesdmarc_tui.aws.s3 import S3Adapter

        where = region if isinstance(region, str) else state.region or ctx.default_region
        return S3Adapter(ctx.session(profile_of(state), where or "us-east-1"))

    analysis, collected = read_reports(source, options, s3=s3, cache_dir=ctx.state_dir / CACHE_DIR)
    if identity.domain:
        remember_verdict(ctx.state_dir, identity.domain, analysis, source, ctx.now())
    return analysis, collected


@dataclass(frozen=True)
class SavedVerdict:
    domain: str
    verdict: str
    summary: str
    stage: int | None
    next_stage: int | None
    read_at: str
    source: str
    evidence: tuple[tuple[str, bool, str], ...]  # (label, passed, detail)


def _path(state_dir: Path, domain: str) -> Path:
    return state_dir / VERDICT_DIR / f"verdict-{domain}.json"


def remember_verdict(
    state_dir: Path, domain: str, analysis: Analysis, source: str, now: float
) -> None:
    readiness = analysis.readiness.to_json()
    payload = {
        "domain": domain,
        "read_at": iso_time(now),
        "source": source,
        "verdict": readiness["verdict"],
        "summary": readiness["summary"],
        "stage": (readiness["stage"] or {}).get("number"),
        "next_stage": (readiness["next_stage"] or {}).get("number"),
        "evidence": [[e["label"], e["passed"], e["detail"]] for e in readiness["evidence"]],
    }
    path = _path(state_dir, domain)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
        temp.replace(path)
    except OSError:
        return  # the verdict is a convenience; the reading itself succeeded


def last_verdict(state_dir: Path, domain: str | None) -> SavedVerdict | None:
    """The verdict of the last reading for ``domain``, or None (never raises)."""
    if not domain:
        return None
    try:
        data = json.loads(_path(state_dir, domain).read_text(encoding="utf-8"))
        return SavedVerdict(
            domain=str(data["domain"]),
            verdict=str(data["verdict"]),
            summary=str(data["summary"]),
            stage=data.get("stage"),
            next_stage=data.get("next_stage"),
            read_at=str(data["read_at"]),
            source=str(data.get("source", "")),
            evidence=tuple((str(e[0]), bool(e[1]), str(e[2])) for e in data.get("evidence", [])),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None

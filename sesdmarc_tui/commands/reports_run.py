"""The work behind ``sesdmarc reports``: options to ``Options``, the source read, errors turned
into one-line usage errors (never a traceback)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sesdmarc_tui.commands.output import usage_error
from sesdmarc_tui.core.dmarc.ladder import Stage, get_stage
from sesdmarc_tui.core.reports.analysis import Analysis, Options
from sesdmarc_tui.core.reports.readiness import parse_thresholds
from sesdmarc_tui.core.reports.senders import Identity, KnownSender, parse_known


@dataclass(frozen=True)
class Request:
    source: str
    domain: str | None = None
    mail_from: str | None = None
    since: int | None = None
    thresholds: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    stage: str | None = None
    profile: str | None = None
    region: str | None = None
    cache: bool = True


def _stage(text: str | None) -> Stage | None:
    if not text:
        return None
    try:
        return get_stage(int(text) if text.isdigit() else text.strip().lower())
    except ValueError as exc:
        usage_error(f"--stage: {exc}")


def _known(items: tuple[str, ...]) -> tuple[KnownSender, ...]:
    found = []
    for item in items:
        try:
            found.append(parse_known(item))
        except ValueError as exc:
            usage_error(f"--known: {exc}")
    return tuple(found)


def _s3_factory(request: Request) -> Any:
    def build() -> Any:
        from sesdmarc_tui.aws.s3 import S3Adapter
        from sesdmarc_tui.aws.session import AwsSession

        return S3Adapter(AwsSession.from_profile(request.profile, request.region))

    return build


def run(request: Request) -> tuple[Analysis, str]:
    from sesdmarc_tui.aws.errors import AwsError
    from sesdmarc_tui.core.reports.analysis import analyze
    from sesdmarc_tui.core.reports.parse import parse_documents
    from sesdmarc_tui.flow.store import default_data_dir
    from sesdmarc_tui.reports.load import SourceError, collect

    try:
        thresholds = parse_thresholds(request.thresholds)
    except ValueError as exc:
        usage_error(f"--threshold: {exc}")
    known, stage = _known(request.known), _stage(request.stage)
    cache: Path | None = default_data_dir() / "reports-cache" if request.cache else None
    try:
        collected = collect(
            request.source,
            s3=_s3_factory(request),
            cache_dir=cache,
            since=float(request.since) if request.since is not None else None,
        )
    except SourceError as exc:
        usage_error(f"{exc.message} {exc.hint}".strip())
    except AwsError as exc:
        usage_error(f"{exc.message} {exc.remedy}".strip())
    parsed = parse_documents(collected.documents)
    domain = request.domain
    if domain is None and parsed.reports:
        domain = Counter(r.policy.domain for r in parsed.reports).most_common(1)[0][0]
    options = Options(
        identity=Identity(domain or "", request.mail_from),
        known=known,
        thresholds=thresholds,
        stage=stage,
        since=request.since,
        domain_filter=request.domain,
    )
    analysis = analyze(parsed.reports, [*collected.problems, *parsed.problems], options)
    return analysis, collected.description

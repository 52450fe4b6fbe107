"""Read reports from a path or ``s3://BUCKET/PREFIX`` and analyse them: the one entry point.

The CLI (``sesdmarc reports``) and the wizard's Reports screen both call :func:`read_reports`;
it blocks (disk, S3), so the screen runs it in a thread worker. Collection problems (a bomb, an
unreadable file, a message without a report) are carried into the analysis and shown with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sesdmarc_tui.core.reports.analysis import Analysis, Options, analyze
from sesdmarc_tui.core.reports.limits import DEFAULT_LIMITS, Limits
from sesdmarc_tui.core.reports.model import Problem
from sesdmarc_tui.core.reports.parse import parse_documents
from sesdmarc_tui.reports.files import from_path
from sesdmarc_tui.reports.unpack import Document, Item

if TYPE_CHECKING:
    from sesdmarc_tui.aws.s3 import S3Adapter

S3Factory = Callable[[], "S3Adapter"]
"""Builds the S3 adapter (profile and region chosen by the caller); called only for s3://."""


class SourceError(ValueError):
    """The source itself is unusable (no such path, a malformed s3:// address)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Collected:
    source: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    description: str = ""

    def add(self, items: Iterable[Item]) -> None:
        for item in items:
            if isinstance(item, Problem):
                self.problems.append(item)
            else:
                self.documents.append(item)


def collect(
    source: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    s3: S3Factory | None = None,
    cache_dir: Path | None = None,
    since: float | None = None,
) -> Collected:
    """Every report document in ``source``; raises :class:`SourceError` or ``AwsError``."""
    collected = Collected(source)
    if source.startswith("s3://"):
        from sesdmarc_tui.reports.s3 import ObjectCache, from_s3, parse_s3_url

        try:
            location = parse_s3_url(source)
        except ValueError as exc:
            raise SourceError(str(exc), "Write it as s3://BUCKET/PREFIX.") from None
        if s3 is None:
            raise SourceError("Reading from S3 needs AWS credentials.", "Pick a profile.")
        reading = from_s3(s3(), location, limits, ObjectCache(cache_dir), since=since)
        collected.add(reading.items)
        collected.description = (
            f"{location.url}: {reading.new} new object(s) read, {reading.cached} from the "
            f"cache, {reading.skipped} skipped"
        )
        return collected
    shown = source if len(source) <= 200 else f"{source[:200]}..."
    try:
        path = Path(source).expanduser()
        found = path.exists()
    # A name too long for the file system (OSError), "~nosuchuser" (RuntimeError), a NUL
    # (ValueError): each a path that cannot name a report, not a crash.
    except (OSError, RuntimeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SourceError(
            f"{shown}: cannot be read ({reason}).", "Give a file, a folder or s3://."
        ) from None
    if not found:
        raise SourceError(f"{shown}: no such file or folder.", "Give a file, a folder or s3://.")
    collected.add(from_path(path, limits))
    collected.description = f"{path}: {len(collected.documents)} report document(s) found"
    return collected


def read_reports(
    source: str,
    options: Options,
    *,
    limits: Limits = DEFAULT_LIMITS,
    s3: S3Factory | None = None,
    cache_dir: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Analysis, Collected]:
    since = float(options.since) if options.since is not None else None
    collected = collect(source, limits=limits, s3=s3, cache_dir=cache_dir, since=since)
    parsed = parse_documents(collected.documents, limits, clock=clock)
    analysis = analyze(parsed.reports, [*collected.problems, *parsed.problems], options)
    return analysis, collected

"""Reports from the file system: one file, or every file under a folder (recursively).

Hidden files and folders are skipped, symbolic links to folders are not followed (no loops),
and each file is read only up to ``max_input_bytes``: a larger one is reported, not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sesdmarc_tui.core.reports.limits import Limits
from sesdmarc_tui.core.reports.model import Problem
from sesdmarc_tui.reports.unpack import Item, extract


def _files(root: Path, limit: int) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    count = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            count += 1
            if count > limit:
                return
            yield Path(folder) / name


def read_limited(path: Path, limit: int) -> bytes | Problem:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return Problem(str(path), "unreadable", f"Cannot read it: {exc.strerror or exc}.")
    if len(data) > limit:
        return Problem(str(path), "too_large", f"Larger than {limit:,} bytes; not read.")
    return data


def from_path(path: Path, limits: Limits) -> Iterator[Item]:
    """Every report document in ``path`` (a file or a folder), and a problem per bad input."""
    if not path.exists():
        yield Problem(str(path), "unreadable", "No such file or folder.")
        return
    for file in _files(path, limits.max_documents):
        data = read_limited(file, limits.max_input_bytes)
        if isinstance(data, Problem):
            yield data
            continue
        yield from extract(str(file), data, limits)

"""Peak resident memory of a process tree, read from /proc (Linux; no psutil needed).

``VmHWM`` is the kernel's high-water mark of a process's resident set, so reading it once the
first screen is up gives the peak up to then, however briefly it lasted. The sum over the tree
is an upper bound of the tree's simultaneous peak (the processes' peaks need not coincide).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    name: str
    peak_kib: int  # VmHWM
    rss_kib: int  # VmRSS, now


def _parent(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The name field may hold spaces and parentheses: the fields after the last ")" are fixed.
    return int(stat.rpartition(")")[2].split()[1])


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            parent = _parent(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(found)


def process(pid: int) -> Process | None:
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None  # gone in the meantime
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)

    def kib(key: str) -> int:
        return int(fields.get(key, "0 kB").split()[0])

    return Process(pid, fields.get("Name", "?").strip(), kib("VmHWM"), kib("VmRSS"))


def tree(root: int) -> list[Process]:
    """Every process below ``root`` (not ``root`` itself: the shell that tmux started)."""
    return [p for p in map(process, descendants(root)) if p is not None]

"""One wizard at a time per (account, region, domain): an OS lock in the sessions directory.

Two wizards on the same setup would each save their own copy of the session over the other's,
and the last one to save would erase what the first recorded (a sent test email, a published
record), so the second is refused and told who holds the setup.

``fcntl.flock`` on ``sessions/<account>-<region>-<domain>.lock`` (0600), not a pid file: the
kernel drops the lock when its holder ends in any way, SIGKILL included, so a crash never
leaves a lock behind that someone must delete by hand. The file holds who took it (pid, host,
since when, front end), which is all the refusal message needs; the lock itself is the OS's.

Stale locks: a lock file whose holder is gone is simply locked again (the kernel released it).
A lock still held while the recorded holder is a dead process on this host means that process
handed the open file to a child that outlived it; that lock is broken by putting a new file in
place (the child keeps a lock on a file nobody opens any more). Taking, breaking and releasing
happen under a short lock on the sessions directory itself, so two takers cannot both win.

The lock belongs to the process: every ``FlowContext`` in one process shares it (the Textual
app and its resume dialog, a test's second context), counted, and the last release unlocks.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import stat
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sesdmarc_tui.flow.state import StateError, iso_time

FILE_MODE = 0o600
MAX_HOLDER_BYTES = 4096


@dataclass(frozen=True)
class Holder:
    """Who holds a setup: what the lock file says."""

    pid: int
    host: str
    since: str
    front_end: str

    def to_json(self) -> dict[str, object]:
        return {
            "pid": self.pid,
            "host": self.host,
            "since": self.since,
            "front_end": self.front_end,
        }

    @classmethod
    def from_bytes(cls, raw: bytes) -> Holder | None:
        try:
            data = json.loads(raw.decode("utf-8"))
            return cls(
                int(data["pid"]), str(data["host"]), str(data["since"]), str(data["front_end"])
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None

    def alive(self) -> bool | None:
        """Whether the recorded process still runs; None when that cannot be told (other host)."""
        if self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process: it exists
        return True


class LockedError(StateError):
    """Another process works on this setup; ``holder`` says which (None if it did not say)."""

    def __init__(self, path: Path, what: str, holder: Holder | None) -> None:
        self.path = path
        self.holder = holder
        if holder is not None:
            who = f"{holder.front_end}, pid {holder.pid} on {holder.host}, since {holder.since}"
            stop = f"stop it (kill {holder.pid} on {holder.host})"
        else:
            who = "a process that did not say who it is"
            stop = f"stop it (fuser {path} names it)"
        super().__init__(
            "locked",
            f"Another sesdmarc is working on {what} ({who}).",
            "Finish or quit that one first: two wizards on one setup would overwrite each "
            f"other's saved progress. If it is stuck, {stop} and run this again; its lock "
            "goes with it.",
        )


@dataclass
class _Held:
    fd: int
    count: int


_registry: dict[Path, _Held] = {}
_registry_lock = threading.Lock()


def _command() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    return " ".join([name, *sys.argv[1:]])[:200]


@contextlib.contextmanager
def _directory_guard(directory: Path) -> Iterator[None]:
    # flock on the directory serialises takers, breakers and releasers for a moment.
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise _unlockable(directory, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise _unlockable(directory, exc) from None
        yield
    finally:
        os.close(fd)  # closing drops the flock


def _unlockable(directory: Path, exc: OSError) -> StateError:
    return StateError(
        "unwritable",
        f"The sessions directory {directory} cannot be locked: {exc.strerror or exc}.",
        "Keep the sesdmarc data directory on a local disk you own (XDG_DATA_HOME).",
    )


def _open_lock_file(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, FILE_MODE)
    except OSError as exc:
        if path.is_symlink():
            raise StateError(
                "symlink",
                f"The lock file {path} is a symbolic link; sesdmarc refuses to follow it.",
                "Remove the link and run this again.",
            ) from None
        raise StateError(
            "unwritable", f"The lock file {path} cannot be opened: {exc.strerror}."
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StateError("unwritable", f"{path} is not a regular file.")
    os.fchmod(fd, FILE_MODE)
    return fd


def _try_flock(fd: int, path: Path) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        os.close(fd)
        raise _unlockable(path.parent, exc) from None
    return True


def _read_holder(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    return Holder.from_bytes(os.read(fd, MAX_HOLDER_BYTES))


def _write_holder(fd: int, front_end: str, now: float) -> None:
    holder = Holder(os.getpid(), socket.gethostname(), iso_time(now), front_end or _command())
    text = json.dumps(holder.to_json(), sort_keys=True).encode("utf-8") + b"\n"
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text)


def _break(path: Path) -> int:
    """A new, locked lock file in ``path``'s place (the old one's holder is an orphan)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = _open_lock_file(tmp)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else can know this file yet
    os.replace(tmp, path)
    return fd


def acquire(path: Path, what: str, *, front_end: str = "", now: float | None = None) -> None:
    """Hold the lock at ``path`` for this process (counted); ``LockedError`` when another has it.

    ``what`` names the setup in the message ("example.com in 111111111111/eu-west-1").
    """
    path = Path(path)
    with _registry_lock:
        held = _registry.get(path)
        if held is not None:
            held.count += 1
            return
        with _directory_guard(path.parent):
            fd = _open_lock_file(path)
            if not _try_flock(fd, path):
                holder = _read_holder(fd)
                os.close(fd)
                if holder is None or holder.alive() is not False:
                    raise LockedError(path, what, holder)
                fd = _break(path)
            try:
                _write_holder(fd, front_end, time.time() if now is None else now)
            except OSError as exc:
                os.close(fd)
                raise StateError(
                    "unwritable", f"The lock file {path} cannot be written: {exc.strerror}."
                ) from None
        _registry[path] = _Held(fd, 1)


def release(path: Path) -> None:
    """Give back one hold; the last one empties the file and unlocks it."""
    path = Path(path)
    with _registry_lock:
        held = _registry.get(path)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _registry[path]
        # Emptied, not deleted: deleting would let a taker lock a file that is no longer there.
        # Under the directory guard, so that a taker never reads a holder half cleared.
        with contextlib.ExitStack() as stack:
            # The directory may be gone (a dry run's temporary one): the fd is closed anyway.
            with contextlib.suppress(OSError, StateError):
                stack.enter_context(_directory_guard(path.parent))
            with contextlib.suppress(OSError):
                os.ftruncate(held.fd, 0)
            os.close(held.fd)


def held_here(path: Path) -> bool:
    with _registry_lock:
        return Path(path) in _registry


class SessionLocks:
    """The locks one ``FlowContext`` took; released by :meth:`release_all`, or when the context
    is garbage (a test's context; a process ending releases everything anyway)."""

    def __init__(self) -> None:
        self._paths: set[Path] = set()
        self._mutex = threading.Lock()
        weakref.finalize(self, _release_paths, self._paths)

    def claim(self, path: Path, what: str, *, front_end: str = "") -> None:
        with self._mutex:
            if path in self._paths:
                return
            acquire(path, what, front_end=front_end)
            self._paths.add(path)

    def holds(self, path: Path) -> bool:
        return path in self._paths

    def release(self, path: Path) -> None:
        with self._mutex:
            if path in self._paths:
                self._paths.discard(path)
                release(path)

    def release_all(self) -> None:
        with self._mutex:
            _release_paths(self._paths)


def _release_paths(paths: set[Path]) -> None:
    for path in list(paths):
        release(path)
    paths.clear()

"""Session files on disk: atomic saves, strict loads, and finding a session to resume.

Layout: ``<data dir>/sessions/<account>-<region>-<domain>.json`` (dirs 0700, files 0600), and
next to each its ``.lock`` (``flow.lock``: one wizard at a time per setup). A directory found
with wider modes (0755 from an older umask) is tightened to 0700 rather than refused: it is
sesdmarc's own directory, and refusing would only stop the operator without protecting more.
A save writes a temporary file in the same directory (created 0600 by ``mkstemp``), fsyncs it,
then ``os.replace``s it over the old file and fsyncs the directory: a crash or a full disk
leaves either the old state or the new one, never a torn file. Symlinks are refused both ways,
because a state file that points elsewhere could make the wizard overwrite or read a file the
operator never meant to give it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sesdmarc_tui.flow.lock import SessionLocks
from sesdmarc_tui.flow.state import SessionState, StateError, secret_paths

DIR_MODE = 0o700
FILE_MODE = 0o600
MAX_STATE_BYTES = 4 * 1024 * 1024
_PART = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def default_data_dir() -> Path:
    """platformdirs' user data dir for sesdmarc (``~/.local/share/sesdmarc`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("sesdmarc", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700; refuse a symlink in its place."""
    if path.is_symlink():
        raise StateError(
            "symlink",
            f"{path} is a symbolic link; sesdmarc keeps its sessions only in a real directory.",
            "Remove the link, or point SESDMARC data elsewhere.",
        )
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise StateError(
            "unwritable",
            f"sesdmarc cannot keep its data in {path}: {exc.strerror}.",
            "Make it a directory you own, or point XDG_DATA_HOME elsewhere.",
        ) from None
    return path


@dataclass(frozen=True)
class Resumable:
    """What exists on disk for one (account, region, domain).

    ``state`` is the unfinished session to offer; ``problem`` says why the file there cannot be
    resumed (damaged, newer schema), in which case a new session is offered and the file kept.
    """

    path: Path
    state: SessionState | None
    problem: StateError | None = None


class SessionStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.sessions_dir = self.data_dir / "sessions"

    def path_for(self, account: str, region: str, domain: str) -> Path:
        parts = (account, region, domain)
        for part in parts:
            if not _PART.match(part):
                raise ValueError(f"{part!r} cannot be part of a session file name")
        return self.sessions_dir / f"{account}-{region}-{domain}.json"

    def path_of(self, state: SessionState) -> Path | None:
        key = state.key
        return self.path_for(*key) if key else None

    def lock_path_for(self, account: str, region: str, domain: str) -> Path:
        return self.path_for(account, region, domain).with_suffix(".lock")

    def claim(self, locks: SessionLocks, key: tuple[str, str, str], *, front_end: str = "") -> Path:
        """Take (or keep) the lock of the setup ``key``; ``LockedError`` while another holds it."""
        ensure_private_dir(self.data_dir)
        ensure_private_dir(self.sessions_dir)
        account, region, domain = key
        path = self.lock_path_for(account, region, domain)
        locks.claim(path, f"{domain} in {account}/{region}", front_end=front_end)
        return path

    # -- writing ------------------------------------------------------------------------------

    def save(self, state: SessionState, *, secrets: Iterable[str] = ()) -> Path | None:
        """Write ``state`` atomically; ``None`` while its (account, region, domain) is unknown.

        Refuses (``StateError('secret')``) a state holding a secret-named key or any of
        ``secrets``: writing it would put a credential on disk.
        """
        path = self.path_of(state)
        if path is None:
            return None
        data = state.to_json()
        leaks = secret_paths(data, secrets)
        if leaks:
            raise StateError(
                "secret",
                f"Refusing to save the session: {', '.join(leaks)} would hold a secret.",
                "This is a bug in sesdmarc; the session was not written.",
            )
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ensure_private_dir(self.data_dir)
        ensure_private_dir(self.sessions_dir)
        if path.is_symlink():
            raise _symlink(path)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.sessions_dir)
        except OSError as exc:
            raise _unwritable(path, exc) from exc
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            if isinstance(exc, OSError):
                raise _unwritable(path, exc) from exc
            raise
        _fsync_dir(self.sessions_dir)
        return path

    def set_aside(self, path: Path) -> Path:
        """Rename an unusable session file out of the way (kept, never deleted)."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        target = path.with_name(f"{path.stem}.unusable-{stamp}.json")
        os.replace(path, target)
        return target

    # -- reading ------------------------------------------------------------------------------

    def load(self, path: Path) -> SessionState:
        """Read one session file; ``StateError`` for a link, damage or a newer schema."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            if Path(path).is_symlink():
                raise _symlink(Path(path)) from None
            raise StateError(
                "unreadable", f"The session file {path} cannot be read: {exc.strerror}."
            ) from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StateError("unreadable", f"{path} is not a regular file.")
            raw = handle.read(MAX_STATE_BYTES + 1)
        if len(raw) > MAX_STATE_BYTES:
            raise StateError("corrupt", f"The session file {path} is far too large to be ours.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StateError(
                "corrupt",
                f"The session file {path} is damaged (not JSON: {exc}).",
                "Start a new session; the damaged file is kept for inspection.",
            ) from None
        return SessionState.from_json(data)

    def find_resumable(self, account: str, region: str, domain: str) -> Resumable | None:
        """The unfinished session for these three, or why the file there is unusable."""
        try:
            path = self.path_for(account, region, domain)
        except ValueError:
            return None
        if not path.exists() and not path.is_symlink():
            return None
        try:
            state = self.load(path)
        except StateError as problem:
            return Resumable(path, None, problem)
        if state.finished:
            return None
        return Resumable(path, state)

    def sessions(self) -> list[tuple[Path, SessionState]]:
        """Every readable unfinished session, most recently updated first (a start menu)."""
        if not self.sessions_dir.is_dir():
            return []
        found: list[tuple[Path, SessionState]] = []
        for path in sorted(self.sessions_dir.glob("*.json")):
            if path.name.startswith(".") or ".unusable-" in path.name:
                continue
            try:
                state = self.load(path)
            except StateError:
                continue
            if not state.finished:
                found.append((path, state))
        found.sort(key=lambda item: item[1].updated_at, reverse=True)
        return found


def _symlink(path: Path) -> StateError:
    return StateError(
        "symlink",
        f"The session file {path} is a symbolic link; sesdmarc refuses to follow it.",
        "Remove the link (the session is then started anew).",
    )


def _unwritable(path: Path, exc: OSError) -> StateError:
    return StateError(
        "unwritable",
        f"The session could not be saved to {path}: {exc.strerror or exc}.",
        f"Free space (or fix the permissions) in {path.parent} and run the step again: the "
        "last saved session is intact, and a change already made is found by the next check "
        "and not made twice.",
    )


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, hence best effort.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

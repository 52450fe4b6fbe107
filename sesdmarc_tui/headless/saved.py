"""Choosing a saved session for ``export`` and ``init-config --from-session``.

Unlike the wizard's resume offer, finished sessions count here: exporting a finished setup is
the common case. The choice is explicit when it could be wrong: with sessions for several
domains and no ``--domain``, the caller is told which domains there are.
"""

from __future__ import annotations

from pathlib import Path

from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.flow.state import SessionState, StateError
from sesdmarc_tui.flow.store import SessionStore


class NoSession(Exception):
    """No session matches; the message says what exists and how to choose."""


def saved_sessions(store: SessionStore) -> list[tuple[Path, SessionState]]:
    """Every readable session file, finished or not, most recently updated first."""
    if not store.sessions_dir.is_dir():
        return []
    found: list[tuple[Path, SessionState]] = []
    for path in sorted(store.sessions_dir.glob("*.json")):
        if path.name.startswith(".") or ".unusable-" in path.name:
            continue
        try:
            found.append((path, store.load(path)))
        except StateError:
            continue
    found.sort(key=lambda item: item[1].updated_at, reverse=True)
    return found


def pick_session(
    store: SessionStore, *, domain: str | None = None, path: Path | None = None
) -> tuple[Path, SessionState]:
    """The session at ``path``, else the latest for ``domain``, else the only domain's latest."""
    if path is not None:
        try:
            return path, store.load(path)
        except StateError as exc:
            raise NoSession(str(exc)) from None
    sessions = saved_sessions(store)
    if domain is not None:
        try:
            wanted = normalize_domain(domain, min_labels=2)
        except DomainError as exc:
            raise NoSession(f"--domain: {exc}") from None
        sessions = [(p, s) for p, s in sessions if s.domain == wanted]
        if not sessions:
            raise NoSession(
                f"No saved session for {wanted} in {store.sessions_dir}. Run the wizard or "
                "`sesdmarc apply` first, or give the file with --state."
            )
        return sessions[0]
    if not sessions:
        raise NoSession(
            f"No saved session in {store.sessions_dir}. Run the wizard or `sesdmarc apply` "
            "first, or give a session file with --state (or a config with --config)."
        )
    domains = sorted({s.domain or "?" for _, s in sessions})
    if len(domains) > 1:
        raise NoSession(
            f"Sessions for several domains are saved ({', '.join(domains)}): choose one with "
            "--domain."
        )
    return sessions[0]

"""Session state on disk: atomic saves, private modes, refused links, damaged files, secrets."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest

from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.state import SCHEMA_VERSION, SessionState, StateError, secret_paths
from sesdmarc_tui.flow.store import SessionStore, default_data_dir
from tests.flow.fakes import FakeProvider

NOW = 1_800_000_000.0


def keyed_state(domain: str = "example.com") -> SessionState:
    state = SessionState.new(NOW)
    state.account, state.region, state.domain = "111111111111", "eu-west-1", domain
    state.inputs("dmarc")["stage"] = "1"
    return state


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_and_load_round_trip_with_private_modes(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "data")
    state = keyed_state()
    state.step("dkim").resources["selectors"] = ["a", "b"]
    path = store.save(state)
    assert path == tmp_path / "data" / "sessions" / "111111111111-eu-west-1-example.com.json"
    assert mode(path) == 0o600
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "sessions") == 0o700
    loaded = store.load(path)
    assert loaded == state
    assert json.loads(path.read_text())["schema"] == SCHEMA_VERSION


def test_no_file_until_account_region_and_domain_are_known(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    state = SessionState.new(NOW)
    state.account = "111111111111"
    assert store.save(state) is None
    assert not (tmp_path / "sessions").exists()


@pytest.mark.parametrize("failure", ["replace", "fsync", "mkstemp"])
def test_a_failed_save_leaves_the_old_state_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    store = SessionStore(tmp_path)
    state = keyed_state()
    path = store.save(state)
    assert path is not None
    before = path.read_bytes()
    state.inputs("dmarc")["stage"] = "3"

    def boom(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile if failure == "mkstemp" else os, failure, boom)
    with pytest.raises(StateError) as caught:
        store.save(state)
    monkeypatch.undo()
    # Readable, names the file, and says the old session is still there.
    assert caught.value.kind == "unwritable"
    assert caught.value.message == (
        f"The session could not be saved to {path}: No space left on device."
    )
    assert "last saved session is intact" in caught.value.remedy
    assert path.read_bytes() == before
    assert store.load(path).value("dmarc", "stage") == "1"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_wide_directories_are_tightened_not_refused(tmp_path: Path) -> None:
    # A directory left 0755 by an older umask is sesdmarc's own: made private again.
    data = tmp_path / "data"
    (data / "sessions").mkdir(parents=True)
    os.chmod(data, 0o755)
    os.chmod(data / "sessions", 0o755)
    path = SessionStore(data).save(keyed_state())
    assert path is not None
    assert (mode(data), mode(data / "sessions"), mode(path)) == (0o700, 0o700, 0o600)


def test_a_data_dir_that_is_a_file_is_a_readable_error(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a directory")
    with pytest.raises(StateError) as caught:
        SessionStore(tmp_path / "data").save(keyed_state())
    assert caught.value.kind == "unwritable"
    assert "sesdmarc cannot keep its data in" in caught.value.message


def test_symlinked_state_file_is_refused_both_ways(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    state = keyed_state()
    path = store.path_for(*state.key)  # type: ignore[misc]
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    with pytest.raises(StateError) as loading:
        store.load(path)
    assert loading.value.kind == "symlink"
    with pytest.raises(StateError) as saving:
        store.save(state)
    assert saving.value.kind == "symlink"
    assert target.read_text() == "{}"


def test_symlinked_data_dir_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "data").symlink_to(real)
    with pytest.raises(StateError) as caught:
        SessionStore(tmp_path / "data").save(keyed_state())
    assert caught.value.kind == "symlink"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"{not json", "corrupt"),
        (b"\xff\xfe", "corrupt"),
        (b"[]", "corrupt"),
        (b'{"schema": 1, "session_id": 5}', "corrupt"),
        (b'{"schema": 99, "session_id": "x"}', "newer_schema"),
    ],
)
def test_damaged_or_newer_files_are_reported_and_kept(
    tmp_path: Path, content: bytes, kind: str
) -> None:
    store = SessionStore(tmp_path)
    path = store.path_for("111111111111", "eu-west-1", "example.com")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(StateError) as caught:
        store.load(path)
    assert caught.value.kind == kind
    assert caught.value.remedy  # says what to do
    offer = store.find_resumable("111111111111", "eu-west-1", "example.com")
    assert offer is not None and offer.state is None and offer.problem is not None
    assert path.read_bytes() == content
    kept = store.set_aside(path)
    assert kept.read_bytes() == content and not path.exists()


def test_find_resumable_offers_only_unfinished_sessions(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    state = keyed_state()
    store.save(state)
    offer = store.find_resumable("111111111111", "eu-west-1", "example.com")
    assert offer is not None and offer.state == state
    assert store.find_resumable("111111111111", "eu-west-1", "other.com") is None
    assert [s for _p, s in store.sessions()] == [state]
    state.finished = True
    store.save(state)
    assert store.find_resumable("111111111111", "eu-west-1", "example.com") is None
    assert store.sessions() == []


def test_secrets_never_reach_the_state_file(
    fake: tuple[FlowContext, FakeProvider], tmp_path: Path
) -> None:
    ctx, _dns = fake
    wizard = Wizard(ctx)
    wizard.set_inputs("accounts", {"profile": "owner", "region": "eu-west-1"})
    wizard.run_step("accounts")
    wizard.set_inputs("domain", {"domain": "example.com", "provider": "rfc2136"})
    secret = "c2VjcmV0LXRzaWcta2V5LWJ5dGVz"
    errors = wizard.set_inputs(
        "domain",
        {
            "rfc2136_server": "192.0.2.53",
            "rfc2136_key_name": "update-key",
            TSIG_SECRET: secret,
        },
    )
    assert errors == {}
    assert ctx.secrets[TSIG_SECRET] == secret
    wizard.run_step("domain")
    path = wizard.state_path
    assert path is not None
    text = path.read_text()
    assert secret not in text
    assert secret_paths(json.loads(text)) == []


def test_the_store_refuses_a_state_holding_a_secret(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    state = keyed_state()
    state.inputs("domain")["tsig_secret"] = "abc"
    with pytest.raises(StateError) as named:
        store.save(state)
    assert named.value.kind == "secret"
    state = keyed_state()
    state.step("domain").resources["note"] = "the key is hunter2hunter2"
    with pytest.raises(StateError):
        store.save(state, secrets=["hunter2hunter2"])
    assert not (tmp_path / "sessions" / "111111111111-eu-west-1-example.com.json").exists()


@pytest.mark.parametrize(
    "key",
    [
        "tsig_secret",
        "aws_secret_access_key",
        "SessionToken",
        "password",
        "private_key",
        "access_key_id",
        "credentials",
    ],
)
def test_secret_key_names_are_recognised(key: str) -> None:
    assert secret_paths({"steps": {"x": {key: "v"}}}) == [f"steps.x.{key}"]


def test_path_parts_cannot_escape_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SessionStore(tmp_path).path_for("111111111111", "eu-west-1", "../../etc")


def test_default_data_dir_follows_platformdirs(tmp_path: Path) -> None:
    assert default_data_dir() == tmp_path / "xdg-data" / "sesdmarc"


def test_a_lock_whose_directory_is_gone_is_still_released(tmp_path: Path) -> None:
    """A dry run removes its temporary data dir before the context lets its lock go."""
    import shutil

    from sesdmarc_tui.flow import lock

    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    path = sessions / "111111111111-eu-west-1-example.com.lock"
    lock.acquire(path, "example.com", front_end="test")
    fd = lock._registry[path].fd
    shutil.rmtree(tmp_path / "data")
    lock.release(path)  # no error, and the descriptor is closed
    assert not lock.held_here(path)
    with pytest.raises(OSError):
        os.fstat(fd)

"""`sesdmarc init-config`: the commented example, and a config replaying a saved session that
loads back to exactly the session's inputs (the round trip a team relies on to move from the
wizard to `apply`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sesdmarc_tui.cli import cli
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.store import SessionStore
from sesdmarc_tui.setup_config import load_config, parse_config
from sesdmarc_tui.setup_config.example import EXAMPLE
from sesdmarc_tui.setup_config.validate import validate_config

STEPS = ("accounts", "domain", "mail_from", "dmarc", "authorization", "test_email")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "sesdmarc"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def saved_session(data_dir: Path, text: str, account: str = "111122223333") -> SessionState:
    """A session as the wizard leaves it: the validated inputs plus what Accounts and Domain
    record, saved where the wizard saves it."""
    state = validate_config(parse_config(text, environ={"TSIG": "c2VjcmV0"}))
    state.account = account
    state.provider = state.value("domain", "provider")
    SessionStore(data_dir).save(state)
    return state


def test_the_example_goes_to_stdout_or_a_new_file(tmp_path: Path) -> None:
    code, out, _ = invoke("init-config")
    assert code == 0 and out == EXAMPLE
    target = tmp_path / "setup.toml"
    assert invoke("init-config", "-o", str(target))[0] == 0
    config, state = load_config(target)
    assert state.domain == "example.com" and config.skipped == ()
    code, _, err = invoke("init-config", "-o", str(target))
    assert code == 2 and "exists already; use --force" in err
    target.write_text("# mine\n")
    assert invoke("init-config", "-o", str(target), "--force")[0] == 0
    assert target.read_text() == EXAMPLE


RFC2136_ROLE = """
[accounts]
region = "us-east-1"
[domain]
name = "Bücher.example"
dns_provider = "rfc2136"
zone = "xn--bcher-kva.example"
[domain.rfc2136]
server = "192.0.2.53"
port = 5353
key_name = "sesdmarc."
algorithm = "hmac-sha512"
secret_env = "TSIG"
[mail_from]
subdomain = "bounce"
behavior_on_mx_failure = "REJECT_MESSAGE"
[dmarc]
stage = 3
rua = ["mailto:reports@xn--bcher-kva.example", "dmarc@example.net"]
ruf = ["forensic@xn--bcher-kva.example"]
sp = "reject"
np = "quarantine"
[authorization]
scope = "accounts"
targets = ["111122223333", "444455556666"]
from_addresses = ["app@xn--bcher-kva.example", "*@xn--bcher-kva.example"]
policy_name = "delegates"
[test_email]
role_arn = "arn:aws:iam::444455556666:role/Sender"
to = "ops@example.net"
subject = "hello"
"""


@pytest.mark.parametrize("text", [EXAMPLE, RFC2136_ROLE], ids=["example", "rfc2136-role"])
def test_a_session_replays_to_the_same_inputs(data_dir: Path, tmp_path: Path, text: str) -> None:
    state = saved_session(data_dir, text)
    code, out, err = invoke("init-config", "--from-session")
    assert code == 0, err
    replay = tmp_path / "replay.toml"
    replay.write_text(out)
    config = parse_config(out, str(replay), environ={"SESDMARC_TSIG_SECRET": "c2VjcmV0"})
    again = validate_config(config)
    for step in STEPS:
        assert again.inputs(step) == state.inputs(step), step
    assert "c2VjcmV0" not in out  # secrets are never in a session, so never replayed


def test_a_session_without_optional_steps_replays_without_them(data_dir: Path) -> None:
    base = EXAMPLE.split("[authorization]")[0]
    saved_session(data_dir, base)
    code, out, _ = invoke("init-config", "--from-session", "--domain", "example.com")
    assert code == 0
    assert "[authorization]" not in out and "[test_email]" not in out
    assert parse_config(out).skipped == ("authorization", "test_email")


def test_choosing_a_session(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = invoke("init-config", "--from-session")
    assert code == 2 and "No saved session" in err
    saved_session(data_dir, EXAMPLE)
    other = EXAMPLE.replace("example.com", "example.org")
    state = saved_session(data_dir, other)
    code, _, err = invoke("init-config", "--from-session")
    assert code == 2 and "several domains" in err and "--domain" in err
    code, out, _ = invoke("init-config", "--domain", "example.org")
    assert code == 0 and 'name = "example.org"' in out
    path = SessionStore(data_dir).path_of(state)
    assert path is not None
    code, out, _ = invoke("init-config", "--state", str(path))
    assert code == 0 and 'name = "example.org"' in out
    code, _, err = invoke("init-config", "--domain", "example.net")
    assert code == 2 and "No saved session for example.net" in err

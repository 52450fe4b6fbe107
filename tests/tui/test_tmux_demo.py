"""The wizard in a real terminal (tmux): reach DKIM, copy a record through OSC 52, quit.

Two runs: ``sesdmarc demo`` (the sandbox, as operators start it), and the in-memory world
opened on the DKIM step (``tests.tui.fake_demo``), which needs nothing but tmux. The copied
text must arrive in tmux's paste buffer, and ctrl+q must end the process with status 0.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.tui.tmux import EXIT_MARK, TMUX, Tmux, command_line

pytestmark = [
    pytest.mark.tty,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (Debian package `tmux`)"),
]
ROOT = Path(__file__).resolve().parents[2]
SIZE = (100, 32)


@pytest.fixture
def tmux(tmp_path: Path) -> Tmux:
    terminal = Tmux(tmp_path)
    yield terminal  # type: ignore[misc]
    terminal.kill()


def clean_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def copy_from_dkim(tmux: Tmux) -> str:
    """On the DKIM screen: create the identity, confirm, copy the records, quit."""
    tmux.wait_for("Create the SES identity")
    tmux.keys("F6")
    tmux.wait_for("Apply (y)")
    tmux.keys("y")
    tmux.wait_for("Records to publish", timeout=30)
    tmux.keys("C-y")
    tmux.wait_for("Copied")
    copied = tmux.buffer()
    tmux.keys("C-q")
    tmux.wait_for(f"{EXIT_MARK}0")
    return copied


def test_fake_world_copy_reaches_tmux_buffer(tmux: Tmux, tmp_path: Path) -> None:
    command = command_line(sys.executable, "-m", "tests.tui.fake_demo", str(tmp_path / "data"))
    tmux.start(command, ROOT, clean_env(tmp_path), SIZE)
    copied = copy_from_dkim(tmux)
    assert copied.startswith("$ORIGIN example.com.")
    assert copied.count("._domainkey.example.com.") == 3


def test_sesdmarc_demo_reaches_dkim_and_copies(tmux: Tmux, tmp_path: Path) -> None:
    sesdmarc = Path(sys.executable).with_name("sesdmarc")
    tmux.start(command_line(str(sesdmarc), "demo"), ROOT, clean_env(tmp_path), SIZE)
    tmux.wait_for("1. Accounts", timeout=30)
    tmux.wait_for("Identity-owner")
    tmux.keys("F5")
    tmux.wait_for("What was found", timeout=30)
    tmux.keys("F6")
    tmux.wait_for("Done:", timeout=30)
    tmux.keys("n")
    tmux.wait_for("DNS provider")  # the form is loaded (the domain suggested) before F5
    tmux.keys("F5")  # the demo domain is suggested, or typed below when it is not
    screen = tmux.wait_for("What was found", "refused", timeout=30)
    if "refused" in screen:
        from sesdmarc_tui.sandbox.dns.seed import DEMO_DOMAIN

        tmux.keys("C-u")  # the suggestion may have arrived after F5: replace, never append
        tmux.type(DEMO_DOMAIN)
        tmux.keys("Enter")
        tmux.wait_for("What was found", timeout=30)
    tmux.keys("F6")
    tmux.wait_for("Done:", timeout=30)
    tmux.keys("n")  # focus is on Next once a step is done
    tmux.wait_for("3. DKIM")
    copied = copy_from_dkim(tmux)
    assert "._domainkey." in copied and "CNAME" in copied

"""A private tmux server as a real terminal: own socket, no user config, OSC 52 kept.

``escape-time 0`` stops tmux from holding Escape; ``set-clipboard on`` makes tmux take the
OSC 52 that ``App.copy_to_clipboard`` writes into its paste buffer, where ``show-buffer``
reads it. ``kill-server`` only ever reaches this socket.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

TMUX = shutil.which("tmux")
EXIT_MARK = "SESDMARC-EXITED:"


class Tmux:
    def __init__(self, workdir: Path) -> None:
        assert TMUX is not None
        self.socket = f"sesdmarc-test-{uuid.uuid4().hex[:8]}"
        self.conf = workdir / "tmux.conf"
        self.conf.write_text("set -s escape-time 0\nset -s set-clipboard on\n")
        self.session = "wiz"

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [str(TMUX), "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )
        return done.stdout

    def start(self, command: str, cwd: Path, env: Mapping[str, str], size: tuple[int, int]) -> None:
        wrapped = f"{command}; echo {EXIT_MARK}$?; sleep 60"
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.run(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            "-c",
            str(cwd),
            *env_args,
            "sh",
            "-c",
            wrapped,
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        """Poll (every 50 ms) until one of ``texts`` shows; returns the screen."""
        deadline = time.monotonic() + timeout
        text = " or ".join(texts)
        while True:
            shown = self.screen()
            if any(t in shown for t in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{shown}")
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def buffer(self) -> str:
        return self.run("show-buffer", check=False)

    def kill(self) -> None:
        pid = self.run("display", "-p", "#{pid}", check=False).strip()
        self.run("kill-server", check=False)
        if pid.isdigit():  # kill-server returns before the server is gone
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    os.kill(int(pid), 0)
                except OSError:
                    return
                time.sleep(0.05)


def command_line(*argv: str) -> str:
    return " ".join(shlex.quote(a) for a in argv)

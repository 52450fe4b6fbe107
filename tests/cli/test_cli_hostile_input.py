"""No input string, however malformed, produces a traceback from any CLI command.

Each command runs in a subprocess with the real console script, so argument decoding of
non-UTF-8 bytes (surrogate escapes) and output encoding are exercised for real. DNS goes to a
closed loopback port, so lookups fail fast instead of touching the internet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.cli import cli
from sesdmarc_tui.commands.context import CliContext
from sesdmarc_tui.core.lookup import StaticLookup
from tests.support.knot import free_port

SESDMARC = str(Path(sys.executable).parent / "sesdmarc")

HOSTILE: list[bytes] = [
    b"",
    b" ",
    b"x" * 10_000,
    b"v=DMARC1; p=" + b"reject" * 2000,
    b"\x01\x02\x1b[31m\x7f",
    b"\xff\xfe\xfa non-utf8 \xc3\x28",
    "v=DMARC1; p=none; rua=mailto:\u202e@exämple.com".encode(),
    b"-",
    b"--json",
    b";;;===,,,",
    b"v=spf1 include:" + b"a." * 200 + b"com -all",
    b"\xf0\x9f\x92\xa9.example",
]

# Each template puts the hostile value where a user-supplied string goes.
TEMPLATES: list[list[str]] = [
    ["dmarc", "lint", "{}", "--json"],
    ["dmarc", "lint", "{}"],
    ["dmarc", "lint", "v=DMARC1; p=none; rua=mailto:r@other.example", "--domain", "{}", "--json"],
    ["dmarc", "discover", "{}", "--json"],
    ["dmarc", "discover", "{}"],
    [
        "dmarc",
        "evaluate",
        "--from",
        "{}",
        "--mail-from",
        "mail.example.com",
        "--spf",
        "pass",
        "--json",
    ],
    ["dmarc", "evaluate", "--from", "example.com", "--mail-from", "{}", "--spf", "{}", "--json"],
    [
        "dmarc",
        "evaluate",
        "--from",
        "example.com",
        "--mail-from",
        "x.example.com",
        "--spf",
        "pass",
        "--dkim",
        "{}",
    ],
    ["spf", "check", "{}", "--json"],
    ["spf", "check", "example.com", "--ip", "{}", "--json"],
    ["spf", "merge", "--add", "{}", "--json"],
    ["spf", "merge", "--add", "include:amazonses.com", "--existing", "{}", "--json"],
    ["spf", "merge", "--add", "include:amazonses.com", "--existing", "{}"],
    ["--nameserver", "{}", "dmarc", "discover", "example.com"],
    ["{}"],
    ["check", "{}"],
    ["verify-message", "{}"],
]


def _run(args: list[bytes]) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SESDMARC_NAMESERVER": f"127.0.0.1:{free_port()}",
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    return subprocess.run([SESDMARC.encode(), *args], capture_output=True, env=env, timeout=60)


def _assert_clean_output(output: bytes, code: int) -> None:
    text = output.decode(errors="replace")
    assert "Traceback" not in text, text[-2000:]
    assert "Internal error" not in text, text[-2000:]
    assert code in (0, 1, 2), code


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> StaticLookup:
    """Every DNS query of the in-process CLI answers from an empty table (NXDOMAIN)."""
    table = StaticLookup({("example.com", "TXT"): ["v=spf1 -all"]})
    monkeypatch.setattr(CliContext, "lookup", lambda self: table)
    return table


def _invoke(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args!r} raised {result.exception!r}") from result.exception
    _assert_clean_output(result.output.encode(errors="replace"), result.exit_code)


def _as_argv(value: bytes) -> str:
    # What Python's argv decoding makes of raw bytes on a UTF-8 system.
    return value.decode("utf-8", errors="surrogateescape")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: " ".join(t)[:40])
def test_hostile_strings_never_traceback(template: list[str], offline: StaticLookup) -> None:
    for value in HOSTILE:
        _invoke([_as_argv(value) if part == "{}" else part for part in template])


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=300), template=st.sampled_from(TEMPLATES))
def test_random_text_never_tracebacks(
    value: str, template: list[str], offline: StaticLookup
) -> None:
    _invoke([value if part == "{}" else part for part in template])


@pytest.mark.parametrize(
    "args",
    [
        [b"dmarc", b"lint", b"\xff\xfe v=DMARC1; p=none \xc3\x28", b"--json"],
        [b"dmarc", b"lint", b"\x1b[2J\x07" * 100],
        [b"dmarc", b"discover", b"\xff.example"],
        [b"spf", b"merge", b"--add", b"include:\xff", b"--json"],
        [b"spf", b"check", b"\xc3\x28.example", b"--json"],
        [b"dmarc", b"evaluate", b"--from", b"\xff", b"--mail-from", b"x", b"--spf", b"pass"],
    ],
    ids=["lint-json", "lint-escapes", "discover", "merge", "spf-check", "evaluate"],
)
def test_non_utf8_argv_in_a_real_process(args: list[bytes]) -> None:
    result = _run(args)
    _assert_clean_output(result.stdout + result.stderr, result.returncode)

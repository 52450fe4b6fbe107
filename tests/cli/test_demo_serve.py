"""``sesdmarc demo``: --serve's export lines drive boto3, the AWS CLI and ``sesdmarc`` itself."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sesdmarc_tui.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SESDMARC = [sys.executable, "-m", "sesdmarc_tui.cli"]
BOTO3_SCRIPT = """
import boto3, json
owner = boto3.Session()
campaigns = boto3.Session(profile_name="sesdmarc-demo-campaigns")
print(json.dumps({
    "owner": owner.client("sts").get_caller_identity()["Account"],
    "delegate": campaigns.client("sts").get_caller_identity()["Arn"],
    "zones": [z["Name"] for z in owner.client("route53").list_hosted_zones()["HostedZones"]],
    "sandbox": not owner.client("sesv2").get_account()["ProductionAccessEnabled"],
}))
"""


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition("//")[2].partition(":")
    return host, int(port.strip("/"))


class Served:
    def __init__(self, process: subprocess.Popen[str], lines: list[str]) -> None:
        self.process = process
        self.lines = lines
        self.exports: dict[str, str] = {}
        for line in lines:
            if line.startswith("export "):
                key, _, value = shlex.split(line)[1].partition("=")
                self.exports[key] = value

    def env(self) -> dict[str, str]:
        return {**os.environ, **self.exports}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, env=self.env(), cwd=ROOT, capture_output=True, text=True, timeout=60
        )


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    process = subprocess.Popen(
        [*SESDMARC, "demo", "--serve", "--domain", "example.com", "--region", "eu-west-1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        while not lines or not lines[-1].startswith("# rfc2136"):
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"--serve ended early: {process.stderr.read()}")  # type: ignore[union-attr]
            lines.append(line.rstrip("\n"))
        yield Served(process, lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_serve_prints_eval_ready_exports(served: Served) -> None:
    exports = served.exports
    assert set(exports) >= {
        "AWS_ENDPOINT_URL",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_PROFILE",
        "AWS_REGION",
        "SESDMARC_NAMESERVER",
    }
    assert exports["AWS_PROFILE"] == "sesdmarc-demo-owner"
    assert exports["AWS_REGION"] == "eu-west-1"
    assert exports["SESDMARC_NAMESERVER"].startswith("127.0.0.1:")
    assert oct(Path(exports["AWS_SHARED_CREDENTIALS_FILE"]).stat().st_mode & 0o777) == "0o600"
    delegates = next(line for line in served.lines if line.startswith("# delegates: "))
    for name in ("marketing", "campaigns", "engineering"):
        assert f"sesdmarc-demo-{name} (" in delegates
    assert "OU Marketing/Campaigns" in delegates
    # The whole output is valid shell.
    check = subprocess.run(["sh", "-n"], input="\n".join(served.lines), text=True)
    assert check.returncode == 0


def test_boto3_scripts_work_unchanged(served: Served) -> None:
    result = served.run(sys.executable, "-c", BOTO3_SCRIPT)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["owner"] == "123456789012"
    assert ":assumed-role/OrganizationAccountAccessRole/" in found["delegate"]
    assert found["zones"] == ["example.com."] and found["sandbox"] is True


def test_sesdmarc_uses_the_sandbox_resolver_by_default(served: Served) -> None:
    result = served.run(*SESDMARC, "dmarc", "discover", "example.com", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["organizational_domain"] == "example.com"
    assert found["queries"][:2] == ["_dmarc.example.com", "_dmarc.com"]


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_the_aws_cli_works_unchanged(served: Served) -> None:
    result = served.run("aws", "sts", "get-caller-identity", "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Account"] == "123456789012"


def test_sigint_stops_it_and_leaves_no_port_behind(served: Served) -> None:
    endpoint = _host_port(served.exports["AWS_ENDPOINT_URL"])
    resolver = _host_port(served.exports["SESDMARC_NAMESERVER"])
    directory = Path(served.exports["AWS_CONFIG_FILE"]).parent
    assert _port_open(*endpoint) and _port_open(*resolver)
    started = time.perf_counter()
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(10) == 0
    assert time.perf_counter() - started < 5
    assert not _port_open(*endpoint) and not _port_open(*resolver)
    assert not directory.exists()  # profiles, keys and mail are gone too


def test_demo_context_points_the_wizard_at_the_sandbox_and_stops_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `sesdmarc demo` hands the front end: the environment's context, on the sandbox."""
    import os

    from sesdmarc_tui.commands.demo import _SandboxWizard
    from sesdmarc_tui.flow.engine import Wizard

    monkeypatch.setattr(os, "environ", dict(os.environ))  # the demo rewrites its own environment
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIASTRAYSTRAYSTRAY0")  # must not win over profiles
    world = _SandboxWizard("demo.example.net", "eu-west-1", 60.0)
    try:
        wizard = Wizard(world())
        box = world.box
        assert box is not None
        endpoint, resolver = box.endpoint_url, box.nameserver
        assert "AWS_ACCESS_KEY_ID" not in os.environ
        assert {s.port for s in wizard.ctx.resolvers} == {p for _, p in box.resolvers}
        assert wizard.state_path is None or box.directory in wizard.state_path.parents
        accounts = {f.key: f.default for f in wizard.fields("accounts")}
        assert accounts["profile"] == box.profiles.owner
        assert wizard.set_inputs("accounts", accounts) == {}
        assert {f.key: f.default for f in wizard.fields("domain")}["domain"] == "demo.example.net"
        directory = box.directory
    finally:
        world.stop()
    host, port = endpoint.removeprefix("http://").rsplit(":", 1)
    assert not _port_open(host, int(port)) and not _port_open(*resolver)
    assert not directory.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--plain"], "apply --config"),  # no terminal under CliRunner
        (["demo", "--domain", "not a domain"], "--domain"),
        (["demo", "--region", "mars-north-1"], "--region"),
        (["demo", "--speed", "0"], "--speed"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output

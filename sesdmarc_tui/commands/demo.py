"""``sesdmarc demo``: the offline sandbox, for rehearsing the setup without an AWS account.

``--serve`` keeps the sandbox running and prints shell ``export`` lines on stdout (everything
else goes to stderr), so that ``sesdmarc demo --serve > sandbox.env &`` then ``. ./sandbox.env``
points ``sesdmarc``, the AWS CLI and any boto3 script at it. Without ``--serve`` it runs the
wizard (``--plain``: the line mode) against the sandbox, which starts in the wizard's start-up
worker so the first screen is up at once, and stops when the wizard ends.

In both, the sandbox's receivers (``sandbox.reports.ReportFeeder``) send DMARC aggregate
reports once the domain has sent mail and its DMARC record points at an address SES receives
for, so the Reports screen and the readiness verdict have evidence. That is the sandbox
playing the internet; the wizard only reads the bucket, as it would against AWS.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

import click

from sesdmarc_tui.commands.output import EXIT_OK, usage_error

if TYPE_CHECKING:
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.sandbox.reports.feeder import ReportFeeder
    from sesdmarc_tui.sandbox.world import Sandbox

# Credentials in the environment win over AWS_PROFILE in boto3 and the AWS CLI.
UNSET = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def _checked(domain: str, region: str, speed: float) -> tuple[str, str]:
    """The normalised domain and region, or a usage error before anything starts."""
    import importlib.util

    from sesdmarc_tui.core.names import DomainError, normalize_domain
    from sesdmarc_tui.core.regions import UnknownRegionError, ses_region

    try:
        name = normalize_domain(domain, min_labels=2)
    except DomainError as exc:
        usage_error(f"--domain: {exc}")
    try:
        region_name = ses_region(region).name
    except UnknownRegionError as exc:
        usage_error(f"--region: {exc}")
    if not speed > 0:
        usage_error("--speed: the demo clock must run forward (a number above 0).")
    if importlib.util.find_spec("moto") is None:
        usage_error("The demo needs the sandbox extra: pip install 'sesdmarc-tui[demo]'.")
    return name, region_name


def _start(domain: str, region: str, speed: float) -> tuple[Sandbox, float]:
    from sesdmarc_tui.sandbox.aws.moto_bridge import UnsupportedMotoError
    from sesdmarc_tui.sandbox.world import Sandbox, SandboxBusyError

    began = time.perf_counter()
    try:
        box = Sandbox.start(domain=domain, region=region, speed=speed)
    except (UnsupportedMotoError, SandboxBusyError) as exc:
        usage_error(str(exc))
    return box, time.perf_counter() - began


def start_receivers(box: Sandbox) -> ReportFeeder:
    """The receivers that report on the demo domain's mail (stop them before the sandbox)."""
    from sesdmarc_tui.sandbox.reports.feeder import ReportFeeder

    return ReportFeeder(box).start()


def point_environment_at(box: Sandbox) -> None:
    """What ``. ./sandbox.env`` does for a shell, done for this process: the AWS config,
    credentials and endpoint of the sandbox, and no stray credentials that would win."""
    for key in UNSET:
        os.environ.pop(key, None)
    os.environ.update(box.env())


def sandbox_context(box: Sandbox) -> FlowContext:
    """The context ``sesdmarc`` builds from the environment, pointed at the sandbox."""
    from sesdmarc_tui.flow.context import FlowContext

    point_environment_at(box)
    ctx = FlowContext.from_environment(
        box.profiles.owner,
        box.region,
        nameservers=[box.nameserver],
        authoritative=[box.dns.auth_address],
        board_resolvers=box.resolvers,
        endpoint_url=box.endpoint_url,
        state_dir=box.directory / "state",
        clock=box.clock.now,
        mailbox=box.mailbox.fetch,
    )
    ctx.keeps_state = False  # the sandbox's directory, state included, goes when it stops
    return ctx


class _SandboxWizard:
    """Starts the sandbox when the front end asks for its context; stops it afterwards."""

    def __init__(self, domain: str, region: str, speed: float) -> None:
        self.domain, self.region, self.speed = domain, region, speed
        self.box: Sandbox | None = None
        self.receivers: ReportFeeder | None = None

    def __call__(self) -> FlowContext:
        from sesdmarc_tui.sandbox.world import Sandbox

        self.box = Sandbox.start(domain=self.domain, region=self.region, speed=self.speed)
        self.receivers = start_receivers(self.box)
        return sandbox_context(self.box)

    def stop(self) -> None:
        if self.receivers is not None:
            self.receivers.stop()
            self.receivers = None
        if self.box is not None:
            self.box.stop()
            self.box = None


def export_lines(box: Sandbox) -> list[str]:
    """What ``--serve`` prints on stdout: valid shell, comments included."""
    lines = [f"unset {' '.join(UNSET)}"]
    lines += [f"export {key}={shlex.quote(value)}" for key, value in box.env().items()]
    delegates = ", ".join(
        f"{box.profiles.delegate_for(a.name)} ({a.id}, OU {a.ou})" for a in box.world.members
    )
    lines.append(f"# delegates: {delegates}")
    host, port = box.dns.auth_address
    lines.append(
        f"# rfc2136: server {host}:{port}, key {box.dns.tsig.name} "
        f"({box.dns.tsig.algorithm}) in {box.tsig_key_file}"
    )
    return lines


@contextmanager
def _stop_signals(event: threading.Event) -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        event.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve_until_stopped(box: Sandbox) -> None:
    """Print the exports and keep the sandbox up until SIGINT or SIGTERM."""
    stopping = threading.Event()
    with _stop_signals(stopping):
        click.echo("\n".join(export_lines(box)))
        sys.stdout.flush()
        click.echo("The sandbox is running; Ctrl-C (or SIGTERM) stops it.", err=True)
        while not stopping.wait(0.2):
            pass


@click.command("demo")
@click.option("--serve", is_flag=True, help="Keep the sandbox running and print export lines.")
@click.option("--plain", is_flag=True, help="Rehearse with the line-mode wizard.")
@click.option("--domain", default="example.com", show_default=True, help="The demo domain.")
@click.option("--region", default="eu-west-1", show_default=True, help="The SES region.")
@click.option(
    "--speed",
    type=float,
    default=60.0,
    show_default=True,
    help="Demo seconds per real second (TTLs and SES's 72 hours pass this much faster).",
)
def demo(*, serve: bool, plain: bool, domain: str, region: str, speed: float) -> None:
    """Rehearse the whole setup offline, in a built-in sandbox of AWS and DNS."""
    name, region_name = _checked(domain, region, speed)
    if serve:
        box, _ = _start(name, region_name, speed)
        receivers = start_receivers(box)
        try:
            serve_until_stopped(box)
        finally:
            receivers.stop()
            box.stop()
        raise SystemExit(EXIT_OK)
    from sesdmarc_tui.commands.wizard import run

    world = _SandboxWizard(name, region_name, speed)
    try:
        code = run("plain" if plain else "textual", world)
    finally:
        world.stop()
    raise SystemExit(code)

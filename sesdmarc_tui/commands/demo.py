"""``sesdmarc demo``: the offline sandbox, for rehearsing the setup without an AWS account.

``--serve`` keeps the sandbox running and prints shell ``export`` lines on stdout (everything
else goes to stderr), so that ``sesdmarc demo --serve > sandbox.env &`` then ``. ./sandbox.env``
points ``sesdmarc``, the AWS CLI and any boto3 script at it. The Textual wizard and the line
mode are not built yet; until then plain ``sesdmarc demo`` starts the sandbox, says what it
holds and how to use ``--serve``, and stops.
"""

from __future__ import annotations

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
    from sesdmarc_tui.sandbox.world import Sandbox

# Credentials in the environment win over AWS_PROFILE in boto3 and the AWS CLI.
UNSET = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def _start(domain: str, region: str, speed: float) -> tuple[Sandbox, float]:
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
    from sesdmarc_tui.sandbox.aws.moto_bridge import UnsupportedMotoError
    from sesdmarc_tui.sandbox.world import Sandbox, SandboxBusyError

    began = time.perf_counter()
    try:
        box = Sandbox.start(domain=name, region=region_name, speed=speed)
    except (UnsupportedMotoError, SandboxBusyError) as exc:
        usage_error(str(exc))
    return box, time.perf_counter() - began


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


def summary_lines(box: Sandbox, seconds: float) -> list[str]:
    world = box.world
    ous = ", ".join(f"{a.ou} ({a.name} {a.id})" for a in world.members)
    return [
        f"The sandbox started in {seconds:.2f} s, offline, on loopback:",
        f"  AWS endpoint   {box.endpoint_url} (moto with the SES shim)",
        f"  DNS resolver   {box.nameserver[0]}:{box.nameserver[1]}",
        f"  Domain         {box.domain}: Route 53 hosted zone {world.hosted_zone_id}, "
        f"owned by the management account {world.management.id}",
        f"  Organization   {world.org_id}: {ous}",
        f"  Profiles       {box.profiles.owner} (owner), " + ", ".join(box.profiles.delegates),
        "",
        "The wizard's screens are not available yet. To rehearse from your shell, run",
        "  sesdmarc demo --serve > sandbox.env &   and then   . ./sandbox.env",
        "and use `sesdmarc check`, the AWS CLI or boto3 against the sandbox; stop it with",
        "`kill %1` (or Ctrl-C when --serve runs in the foreground).",
    ]


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
    if plain:
        usage_error(
            "The line-mode wizard (--plain) is not available yet; "
            "use `sesdmarc demo --serve` to rehearse from your shell."
        )
    box, seconds = _start(domain, region, speed)
    try:
        if serve:
            serve_until_stopped(box)
        else:
            click.echo("\n".join(summary_lines(box, seconds)))
    finally:
        box.stop()
    if not serve:
        click.echo("The sandbox has stopped.", err=True)
    raise SystemExit(EXIT_OK)

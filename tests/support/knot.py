"""Start a real knotd on an ephemeral loopback port from a temp dir, and stop it by PID.

Recipe and timings: shared/reference/test-infra.md section 1a (first answer in ~17 ms).
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import dns.tsigkeyring

KNOTD = shutil.which("knotd") or ("/usr/sbin/knotd" if os.path.exists("/usr/sbin/knotd") else None)
TSIG_KEY_NAME = "sesdmarc-test."


@dataclass
class KnotServer:
    host: str
    port: int
    origin: str
    directory: Path
    process: subprocess.Popen[bytes]
    tsig_secret: str

    @property
    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        return dns.tsigkeyring.from_text({TSIG_KEY_NAME: ("hmac-sha256", self.tsig_secret)})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log(self) -> str:
        path = self.directory / "knotd.log"
        return path.read_text(errors="replace") if path.exists() else ""


def free_port() -> int:
    """A port free for both TCP and UDP on 127.0.0.1 (knot listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port for both TCP and UDP")


def _zone_text(origin: str, records: list[str]) -> str:
    head = [
        f"$ORIGIN {origin}",
        "$TTL 300",
        f"@ 3600 IN SOA ns1.{origin} hostmaster.{origin} 1 3600 600 86400 300",
        f"@ 3600 IN NS ns1.{origin}",
        "ns1 3600 IN A 127.0.0.1",
    ]
    return "\n".join([*head, *records]) + "\n"


def _config(directory: Path, port: int, origin: str, secret: str) -> str:
    d = str(directory)
    return f"""server:
    rundir: "{d}"
    pidfile: "{d}/knot.pid"
    listen: 127.0.0.1@{port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: info
database:
    storage: "{d}/db"
key:
  - id: {TSIG_KEY_NAME}
    algorithm: hmac-sha256
    secret: {secret}
acl:
  - id: upd
    key: {TSIG_KEY_NAME}
    action: update
control:
    listen: "{d}/knot.sock"
zone:
  - domain: {origin}
    storage: "{d}"
    file: "zone.db"
    acl: upd
    semantic-checks: off
"""


def _wait_ready(port: int, origin: str, proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    query = dns.message.make_query(origin, "SOA")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"knotd exited with code {proc.returncode}")
        try:
            # A short timeout: before the bind, an unconnected UDP socket waits it out in full.
            response = dns.query.udp(query, "127.0.0.1", port=port, timeout=0.05)
        except (dns.exception.Timeout, OSError):
            continue
        if response.rcode() == dns.rcode.NOERROR and response.answer:
            return
        time.sleep(0.01)
    raise RuntimeError(f"knotd did not answer for {origin} within {timeout} s")


def start_knot(directory: Path, origin: str, records: list[str]) -> KnotServer:
    if KNOTD is None:
        raise FileNotFoundError("knotd")
    origin = origin if origin.endswith(".") else origin + "."
    directory.mkdir(parents=True, exist_ok=True)
    secret = base64.b64encode(os.urandom(32)).decode()
    (directory / "zone.db").write_text(_zone_text(origin, records))
    # knotd 3.2 does not create its database directory: without it every UPDATE is SERVFAIL.
    (directory / "db").mkdir(exist_ok=True)
    last_error: Exception | None = None
    for _ in range(3):  # a port taken between free_port() and knotd's bind: try another
        port = free_port()
        (directory / "knot.conf").write_text(_config(directory, port, origin, secret))
        log = (directory / "knotd.log").open("wb")
        proc = subprocess.Popen(
            [KNOTD, "-c", str(directory / "knot.conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=directory,
        )
        server = KnotServer("127.0.0.1", port, origin, directory, proc, secret)
        try:
            _wait_ready(port, origin, proc)
            return server
        except RuntimeError as exc:
            server.stop()
            last_error = RuntimeError(f"{exc}\n{server.log()}")
    raise RuntimeError(f"knotd failed to start: {last_error}")

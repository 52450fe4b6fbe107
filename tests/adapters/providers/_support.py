"""Helpers for the provider tests: counting hooks and tiny loopback DNS endpoints."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dns.message
import dns.opcode
import dns.query
import dns.rcode

from sesdmarc_tui.aws.session import AwsSession, ClientSettings
from sesdmarc_tui.dns.providers.rfc2136 import Rfc2136Provider
from sesdmarc_tui.dns.providers.rfc2136_wire import TsigKey, default_exchange
from tests.support.knot import KnotServer

ZONE = "example.test"
KEY_NAME = "sesdmarc-test."
REGION = "us-east-1"
# One attempt and short timeouts: a test should fail fast, never sit in botocore back-off.
TEST_SETTINGS = ClientSettings(max_attempts=1, connect_timeout=2.0, read_timeout=10.0)


class CountingExchange:
    """Wraps the RFC 2136 exchange and records the opcode of every message sent."""

    def __init__(self) -> None:
        self.opcodes: list[str] = []

    @property
    def updates(self) -> int:
        return self.opcodes.count("UPDATE")

    def __call__(
        self, message: dns.message.Message, host: str, port: int, timeout: float, tcp: bool
    ) -> dns.message.Message:
        self.opcodes.append(dns.opcode.to_text(message.opcode()))
        return default_exchange(message, host, port, timeout, tcp)


def count_operations(client: Any, operation: str) -> list[dict[str, Any]]:
    """Every call of ``operation`` the botocore client makes, with its API parameters."""
    calls: list[dict[str, Any]] = []

    def before_call(**kwargs: Any) -> None:
        calls.append(kwargs["params"])

    client.meta.events.register(f"before-call.route53.{operation}", before_call)
    return calls


def capture_parameters(client: Any, operation: str) -> list[dict[str, Any]]:
    """The parameters as the caller built them, before serialisation (quoting is visible)."""
    seen: list[dict[str, Any]] = []

    def hook(params: dict[str, Any], **_: Any) -> None:
        seen.append(params)

    client.meta.events.register(f"provide-client-params.route53.{operation}", hook)
    return seen


def _read_tcp_message(conn: socket.socket) -> bytes | None:
    header = conn.recv(2)
    if len(header) < 2:
        return None
    (length,) = struct.unpack("!H", header)
    data = b""
    while len(data) < length:
        chunk = conn.recv(length - len(data))
        if not chunk:
            return None
        data += chunk
    return data


@contextmanager
def rcode_server(rcode: dns.rcode.Rcode, keyring: Any = None) -> Iterator[int]:
    """A TCP DNS endpoint that answers every message with ``rcode`` (signed when the request
    was): knot's fixed test policy never says REFUSED to an update, real servers do."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(5)

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            wire = _read_tcp_message(conn)
            if wire is None:
                return
            request = dns.message.from_wire(wire, keyring=keyring)
            response = dns.message.make_response(request)
            response.set_rcode(rcode)
            out = response.to_wire()
            conn.sendall(struct.pack("!H", len(out)) + out)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        thread.join(5)


@contextmanager
def silent_tcp_server() -> Iterator[int]:
    """Accepts TCP connections and never answers: the client must time out."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def closed_port() -> int:
    """A loopback port nothing listens on (TCP and UDP)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query_txt_strings(host: str, port: int, name: str) -> list[list[bytes]]:
    """The TXT character-strings at ``name``, asked over TCP without the provider's code."""
    response = dns.query.tcp(dns.message.make_query(name + ".", "TXT"), host, port=port, timeout=2)
    assert response.rcode() == dns.rcode.NOERROR
    return [list(rdata.strings) for rrset in response.answer for rdata in rrset]


def dummy_session(endpoint_url: str | None) -> AwsSession:
    return AwsSession.from_credentials(
        "testing-access-key",
        "testing-secret-key",
        region=REGION,
        endpoint_url=endpoint_url,
        settings=TEST_SETTINGS,
        label="provider tests",
    )


def make_provider(
    server: KnotServer,
    *,
    secret: str | None = None,
    key_name: str = KEY_NAME,
    signed: bool = True,
    exchange: CountingExchange | None = None,
    zone: str = ZONE,
) -> Rfc2136Provider:
    key = TsigKey(key_name, "hmac-sha256", secret or server.tsig_secret) if signed else None
    return Rfc2136Provider(
        server.host,
        zone,
        key,
        port=server.port,
        timeout=2.0,
        exchange=exchange or CountingExchange(),
    )

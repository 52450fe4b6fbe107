"""moto's server as the sandbox runs it: loopback, silent, quick to stop, nothing left behind."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest
from werkzeug.test import Client

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.sandbox.aws.server import MotoServer
from sesdmarc_tui.sandbox.aws.ses_shim import middleware
from sesdmarc_tui.sandbox.aws.ses_shim.middleware import ShimMiddleware
from sesdmarc_tui.sandbox.aws.ses_shim.state import ShimState
from sesdmarc_tui.sandbox.clock import DemoClock

SIGNED = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE01/20261128/eu-west-1/{}/aws4_request, "


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=1)


def _get(port: int, path: str = "/moto-api/data.json") -> bytes:
    with _connect(port) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_serves_on_an_ephemeral_loopback_port_silently(capfd: pytest.CaptureFixture[str]) -> None:
    with MotoServer.start() as server:
        host, port = server.address
        assert host == "127.0.0.1" and port > 0
        assert server.endpoint_url == f"http://127.0.0.1:{port}"
        assert _get(port).startswith(b"HTTP/1.1 200")
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # werkzeug's request log would corrupt the wizard's screen


def test_stop_is_quick_and_frees_the_port_and_open_connections() -> None:
    server = MotoServer.start()
    port = server.port
    idle = _connect(port)  # a client holding a connection open, mid-request
    idle.sendall(b"GET /moto-api/data.json HTTP/1.1\r\n")
    time.sleep(0.2)  # the server has accepted it and waits for the rest
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 0.3  # ThreadedMotoServer takes ~0.5 s
    with pytest.raises(OSError):
        _connect(port).close()
    idle.settimeout(1)
    assert idle.recv(1) == b""  # the server side of the kept connection is gone
    idle.close()
    server.stop()  # a second stop is harmless


def _shim(inner: Any) -> Client:
    state = ShimState(DemoClock(1.0), StaticLookup(), account_of=lambda key, header: "123456789012")
    return Client(ShimMiddleware(inner, state))


def _moto_stand_in(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"moto:" + environ["PATH_INFO"].encode()]


def test_requests_that_are_not_the_shims_pass_through_untouched() -> None:
    client = _shim(_moto_stand_in)
    response = client.post("/", headers={"Authorization": SIGNED.format("sts")})
    assert response.get_data() == b"moto:/"
    # An SES v2 path signed for another service is not the shim's either.
    response = client.get("/v2/email/account", headers={"Authorization": SIGNED.format("x")})
    assert response.get_data() == b"moto:/v2/email/account"


def test_an_unexpected_failure_is_an_internal_failure_not_a_dropped_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(call: Any) -> Any:
        raise RuntimeError("boom")

    route = next(r for r in middleware.ROUTES if r.pattern.pattern == "^/v2/email/account/?$")
    patched = middleware.Route(route.method, route.pattern, route.service, broken)
    monkeypatch.setattr(middleware, "ROUTES", (patched,))
    response = _shim(_moto_stand_in).get(
        "/v2/email/account", headers={"Authorization": SIGNED.format("ses")}
    )
    assert response.status_code == 500
    assert response.headers["x-amzn-ErrorType"] == "InternalFailure"
    assert "boom" in json.loads(response.get_data())["message"]

"""moto's WSGI application on a loopback port, served the way ``ThreadedMotoServer`` does it.

Differences from ``ThreadedMotoServer``, each for the sandbox's sake: the port is ephemeral
(``127.0.0.1:0``); the application can be wrapped (the SES shim sits in front of moto); nothing
is logged to the terminal, where it would corrupt the wizard's screen (werkzeug's request log
and error log go to this module's logger, which the package gives a ``NullHandler``); and
``stop()`` returns in tens of milliseconds instead of half a second, and also closes the
keep-alive connections clients still hold, so a stopped sandbox answers nothing at all.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sesdmarc_tui.sandbox.aws import moto_bridge

WsgiApp = Callable[..., Any]
_log = logging.getLogger(__name__)
POLL_INTERVAL = 0.02  # how often serve_forever looks for shutdown: stop() waits at most this
STOP_TIMEOUT = 5.0


def _quiet_handler() -> type[Any]:
    base = moto_bridge.request_handler()

    class QuietHandler(base):  # type: ignore[misc,valid-type]
        def log(self, kind: str, message: str, *args: Any) -> None:
            _log.debug("%s " + message, self.address_string(), *args)

    return QuietHandler


def _server(app: WsgiApp, host: str) -> Any:
    from werkzeug.serving import ThreadedWSGIServer

    class SandboxWsgiServer(ThreadedWSGIServer):
        """Remembers open connections so ``close_connections`` can end keep-alives."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.open_connections: set[socket.socket] = set()
            self.connections_lock = threading.Lock()
            super().__init__(*args, **kwargs)

        def process_request(self, request: Any, client_address: Any) -> None:
            with self.connections_lock:
                self.open_connections.add(request)
            super().process_request(request, client_address)

        def shutdown_request(self, request: Any) -> None:
            with self.connections_lock:
                self.open_connections.discard(request)
            super().shutdown_request(request)

        def close_connections(self) -> None:
            with self.connections_lock:
                connections = list(self.open_connections)
            for connection in connections:
                with contextlib.suppress(OSError):  # the client may have closed it first
                    connection.shutdown(socket.SHUT_RDWR)

        def log(self, kind: str, message: str, *args: Any) -> None:
            level = logging.ERROR if kind == "error" else logging.DEBUG
            _log.log(level, message, *args)

    return SandboxWsgiServer(host, 0, app, _quiet_handler())


class MotoServer:
    """``MotoServer.start(wrap=...)``; ``.endpoint_url``; always ``stop()`` (or use ``with``)."""

    def __init__(self, app: WsgiApp, server: Any) -> None:
        self.app = app
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name="sandbox-moto",
            daemon=True,
        )
        self._stopped = False

    @classmethod
    def start(
        cls, *, wrap: Callable[[WsgiApp], WsgiApp] | None = None, host: str = "127.0.0.1"
    ) -> MotoServer:
        moto_bridge.check_moto_version()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        inner = moto_bridge.backend_app()
        app = wrap(inner) if wrap is not None else inner
        server = cls(app, _server(app, host))
        server._thread.start()
        return server

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def port(self) -> int:
        return self.address[1]

    @property
    def endpoint_url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop accepting, end open connections, free the port; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()  # serve_forever then closes the listening socket itself
        self._server.close_connections()
        self._thread.join(STOP_TIMEOUT)
        self._server.server_close()

    def __enter__(self) -> MotoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

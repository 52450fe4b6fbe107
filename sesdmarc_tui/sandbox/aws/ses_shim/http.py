"""The little HTTP the shim needs: a parsed request, JSON and XML responses, AWS error bodies.

Responses carry what botocore reads to build a ``ClientError`` the way real AWS makes it:
for SES v2 (rest-json) the code in ``x-amzn-ErrorType`` and the text in ``message``; for
Route 53 (rest-xml) an ``ErrorResponse`` document. Nothing here knows about SES itself.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

StartResponse = Callable[..., Any]
_CREDENTIAL = re.compile(
    r"Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[^/\s,]+)/(?P<service>[^/\s,]+)/"
)
REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
}


@dataclass(frozen=True)
class Signature:
    """What the SigV4 ``Credential=`` scope says: key, region and service of the request."""

    access_key: str | None
    region: str | None
    service: str | None


def signature_of(authorization: str | None) -> Signature:
    match = _CREDENTIAL.search(authorization or "")
    if match is None:
        return Signature(None, None, None)
    return Signature(match["key"], match["region"], match["service"].lower())


@dataclass
class Request:
    """One request, body read once; ``environ`` can be replayed to moto by ``forward``."""

    environ: dict[str, Any]
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    signature: Signature = field(init=False)

    def __post_init__(self) -> None:
        self.signature = signature_of(self.headers.get("authorization"))

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = str(environ["CONTENT_TYPE"])
        return cls(
            environ,
            str(environ.get("REQUEST_METHOD", "GET")).upper(),
            str(environ.get("PATH_INFO", "")),  # WSGI hands it over already decoded
            parse_qs(str(environ.get("QUERY_STRING", ""))),
            headers,
            body,
        )

    def json(self) -> dict[str, Any]:
        """The JSON body as an object; an empty body is ``{}``; anything else is ``BadRequest``."""
        if not self.body.strip():
            return {}
        try:
            value = json.loads(self.body)
        except ValueError:
            raise ShimError(400, "BadRequestException", "The request body is not JSON.") from None
        if not isinstance(value, dict):
            raise ShimError(400, "BadRequestException", "The request body is not a JSON object.")
        return value

    def replay_environ(self) -> dict[str, Any]:
        """The environ again, with a fresh body stream, for the wrapped application."""
        environ = dict(self.environ)
        environ["wsgi.input"] = io.BytesIO(self.body)
        environ["CONTENT_LENGTH"] = str(len(self.body))
        return environ


@dataclass(frozen=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def __call__(self, start_response: StartResponse) -> Iterable[bytes]:
        headers = [*self.headers, ("Content-Length", str(len(self.body)))]
        start_response(f"{self.status} {REASONS.get(self.status, 'Status')}", headers)
        return [self.body]


def request_id() -> str:
    return str(uuid.uuid4())


def json_response(payload: Mapping[str, Any], status: int = 200) -> Response:
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    headers = (("Content-Type", "application/json"), ("x-amzn-RequestId", request_id()))
    return Response(status, headers, body)


class ShimError(Exception):
    """An AWS error answer: HTTP status, error code and the message AWS would give."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def json_response(self) -> Response:
        body = json.dumps({"message": self.message}).encode("utf-8")
        headers = (
            ("Content-Type", "application/json"),
            ("x-amzn-RequestId", request_id()),
            ("x-amzn-ErrorType", self.code),
        )
        return Response(self.status, headers, body)

    def xml_response(self, namespace: str) -> Response:
        body = (
            f'<?xml version="1.0"?>\n<ErrorResponse xmlns="{namespace}"><Error>'
            f"<Type>Sender</Type><Code>{escape(self.code)}</Code>"
            f"<Message>{escape(self.message)}</Message></Error>"
            f"<RequestId>{request_id()}</RequestId></ErrorResponse>"
        ).encode()
        return Response(self.status, (("Content-Type", "text/xml"),), body)


def call_app(app: Callable[..., Any], environ: dict[str, Any]) -> Response:
    """Run a WSGI application to completion and keep its whole answer."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = tuple(headers)
        return lambda _data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    headers = tuple((k, v) for k, v in captured["headers"] if k.lower() != "content-length")
    return Response(captured["status"], headers, body)

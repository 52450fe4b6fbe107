"""The WSGI layer in front of moto: SES v2 identity, account and send calls answered here,
Route 53 zone and record changes mirrored into DNS, everything else passed through untouched.

A request is the shim's only if its path and method match a route and its SigV4 scope names
the right service, so other services' paths never reach these handlers. Errors leave in the
protocol's own format (JSON for SES v2, XML for Route 53); an unexpected exception becomes an
``InternalFailure`` rather than a dropped connection, and is logged for the developer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.sandbox.aws.ses_shim import (
    account,
    identity_api,
    mail_from,
    policies,
    route53,
    send,
)
from sesdmarc_tui.sandbox.aws.ses_shim.http import (
    Request,
    Response,
    ShimError,
    StartResponse,
    call_app,
    signature_of,
)
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call, Caller, ShimState

_log = logging.getLogger(__name__)
Handler = Callable[..., Response]
DEFAULT_REGION = "us-east-1"
_IDENTITY = "/v2/email/identities/(?P<name>[^/]+)"
_ZONE = "/2013-04-01/hostedzone/(?P<zone>[^/]+)"


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    service: str  # the SigV4 signing name
    handler: Handler

    @property
    def xml(self) -> bool:
        return self.service == "route53"


def _route(method: str, path: str, service: str, handler: Handler) -> Route:
    return Route(method, re.compile(f"^{path}/?$"), service, handler)


ROUTES = (
    _route("POST", "/v2/email/identities", "ses", identity_api.create),
    _route("GET", "/v2/email/identities", "ses", identity_api.list_identities),
    _route("POST", "/v2/email/list-identities", "ses", identity_api.list_identities),
    _route("GET", _IDENTITY, "ses", identity_api.get),
    _route("DELETE", _IDENTITY, "ses", identity_api.delete),
    _route("PUT", f"{_IDENTITY}/mail-from", "ses", mail_from.put),
    _route("PUT", f"{_IDENTITY}/dkim", "ses", identity_api.put_dkim),
    _route("PUT", f"{_IDENTITY}/dkim/signing", "ses", identity_api.put_signing),
    _route("GET", f"{_IDENTITY}/policies", "ses", policies.get_all),
    _route("POST", f"{_IDENTITY}/policies/(?P<policy>[^/]+)", "ses", policies.create),
    _route("PUT", f"{_IDENTITY}/policies/(?P<policy>[^/]+)", "ses", policies.update),
    _route("DELETE", f"{_IDENTITY}/policies/(?P<policy>[^/]+)", "ses", policies.delete),
    _route("GET", "/v2/email/account", "ses", account.get_account),
    _route("POST", "/v2/email/outbound-emails", "ses", send.send_email),
    _route("POST", "/2013-04-01/hostedzone", "route53", route53.create_zone),
    _route("DELETE", _ZONE, "route53", route53.delete_zone),
    _route("POST", f"{_ZONE}/rrset", "route53", route53.change_records),
)


def _match(environ: dict[str, Any], service: str | None) -> tuple[Route, dict[str, str]] | None:
    method = str(environ.get("REQUEST_METHOD", "")).upper()
    path = str(environ.get("PATH_INFO", ""))
    for route in ROUTES:
        if route.method != method or (service is not None and service != route.service):
            continue
        found = route.pattern.match(path)
        if found:
            return route, found.groupdict()
    return None


class ShimMiddleware:
    """``ShimMiddleware(moto_app, state)`` is itself a WSGI application."""

    def __init__(self, inner: Callable[..., Any], state: ShimState) -> None:
        self.inner = inner
        self.state = state

    def forward(self, request: Request) -> Response:
        return call_app(self.inner, request.replay_environ())

    def caller(self, request: Request) -> Caller:
        signature = request.signature
        account_id = self.state.account_of(
            signature.access_key, request.headers.get("x-moto-account-id")
        )
        return Caller(account_id, signature.region or DEFAULT_REGION)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        service = signature_of(environ.get("HTTP_AUTHORIZATION")).service
        if service == "access-analyzer":
            # moto has no Access Analyzer: it answers 500 (retried five times by botocore) and
            # prints to stdout. The sandbox says at once that the call is not implemented here.
            unsupported = ShimError(
                501, "NotImplemented", "IAM Access Analyzer is not part of the offline sandbox."
            )
            return unsupported.json_response()(start_response)
        matched = _match(environ, service)
        if matched is None:
            return self.inner(environ, start_response)  # type: ignore[no-any-return]
        route, params = matched
        request = Request.from_environ(environ)
        try:
            call = Call(self.state, self.caller(request), request, self.forward)
            response = route.handler(call, **params)
        except ShimError as error:
            response = _error_response(error, route)
        except Exception as exc:
            _log.exception("sandbox shim failed on %s %s", request.method, request.path)
            failure = ShimError(500, "InternalFailure", f"The sandbox failed: {exc}")
            response = _error_response(failure, route)
        return response(start_response)


def _error_response(error: ShimError, route: Route) -> Response:
    return error.xml_response(route53.NAMESPACE) if route.xml else error.json_response()

"""The sandbox's authoritative name server: every zone of a ``ZoneStore`` on one loopback port.

Queries are answered by ``authority.resolve``, RFC 2136 updates by ``update.apply_update``.
With a keyring, updates must be TSIG-signed; requests are verified and responses signed with
the request's key, and a bad signature or unknown key gets NOTAUTH carrying BADSIG or BADKEY,
as BIND answers (test-infra.md s1c), so the product's client raises the same exceptions.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.tsig
import dns.update

from sesdmarc_tui.sandbox.dns.authority import resolve
from sesdmarc_tui.sandbox.dns.transport import DnsEndpoint
from sesdmarc_tui.sandbox.dns.update import apply_update
from sesdmarc_tui.sandbox.dns.zones import ZoneStore

Keyring = Mapping[dns.name.Name, dns.tsig.Key]
_TSIG_ERRORS: tuple[tuple[type[Exception], int], ...] = (
    (dns.message.UnknownTSIGKey, dns.rcode.BADKEY),
    (dns.tsig.BadKey, dns.rcode.BADKEY),
    (dns.tsig.BadAlgorithm, dns.rcode.BADKEY),
    (dns.tsig.BadTime, dns.rcode.BADTIME),
    (dns.tsig.BadSignature, dns.rcode.BADSIG),
)
_NO_TRANSFER = (dns.rdatatype.AXFR, dns.rdatatype.IXFR)


class AuthServer:
    """``port = await AuthServer(store, keyring).start()`` on the running loop; ``await stop()``."""

    def __init__(
        self, store: ZoneStore, keyring: Keyring | None = None, *, host: str = "127.0.0.1"
    ) -> None:
        self.store = store
        self.keyring = dict(keyring) if keyring is not None else None
        # Every applied UPDATE, for assertions (and the demo's activity log).
        self.updates: list[dns.update.UpdateMessage] = []
        self._endpoint = DnsEndpoint(self.handle, host)

    @property
    def address(self) -> tuple[str, int]:
        return self._endpoint.host, self._endpoint.port

    async def start(self) -> int:
        return await self._endpoint.start()

    async def stop(self) -> None:
        await self._endpoint.stop()

    async def handle(self, wire: bytes) -> dns.message.Message | None:
        return self.respond(wire)

    def respond(self, wire: bytes) -> dns.message.Message | None:
        """The response to one request, or None when it does not parse (no reply at all)."""
        try:
            # None (no keyring) makes a signed request fail as an unknown key, as it should.
            request = dns.message.from_wire(wire, keyring=self.keyring)
        except Exception as exc:
            for kind, error in _TSIG_ERRORS:
                if isinstance(exc, kind):
                    return _tsig_failure(wire, error)
            if isinstance(exc, dns.exception.DNSException | ValueError):
                return None
            raise
        if request.flags & dns.flags.QR:
            return None  # a response sent to us: answering could start a loop between servers
        response = dns.message.make_response(request)
        opcode = request.opcode()
        if opcode == dns.opcode.QUERY:
            self._query(request, response)
        elif opcode == dns.opcode.UPDATE:
            self._update(request, response)
        else:
            response.set_rcode(dns.rcode.NOTIMP)
        return response

    def _query(self, request: dns.message.Message, response: dns.message.Message) -> None:
        if len(request.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return
        question = request.question[0]
        if question.rdclass != dns.rdataclass.IN or question.rdtype in _NO_TRANSFER:
            response.set_rcode(dns.rcode.REFUSED)
            return
        result = resolve(self.store, question.name, dns.rdatatype.RdataType.make(question.rdtype))
        response.set_rcode(result.rcode)
        if result.authoritative:
            response.flags |= dns.flags.AA
        response.answer.extend(result.answer)
        response.authority.extend(result.authority)

    def _update(self, request: dns.message.Message, response: dns.message.Message) -> None:
        if self.keyring is not None and not request.had_tsig:
            response.set_rcode(dns.rcode.REFUSED)
            return
        if not isinstance(request, dns.update.UpdateMessage):
            response.set_rcode(dns.rcode.FORMERR)
            return
        rcode = apply_update(self.store, request)
        response.set_rcode(rcode)
        if rcode == dns.rcode.NOERROR:
            self.updates.append(request)


def _tsig_failure(wire: bytes, error: int) -> dns.message.Message | None:
    """NOTAUTH with the TSIG error code, under the request's key name and algorithm.

    The client checks the error field before the MAC (dnspython's ``tsig.validate``), so it
    raises ``PeerBadSignature``/``PeerBadKey``; the MAC itself is made with a throwaway secret.
    """
    try:
        request = dns.message.from_wire(wire, keyring=False)
    except (dns.exception.DNSException, ValueError):
        return None
    response = dns.message.make_response(request)
    response.set_rcode(dns.rcode.NOTAUTH)
    algorithm = request.keyalgorithm
    if request.keyname is not None and algorithm is not None and algorithm in dns.tsig.mac_sizes:
        key = dns.tsig.Key(request.keyname, os.urandom(32), algorithm)
        response.use_tsig(key, tsig_error=error)
        response.request_mac = request.mac or b""
    return response

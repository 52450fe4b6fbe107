"""DKIM re-verification of every signature with dkimpy, its DNS through our ``Lookup``.

dkimpy imports dnspython's resolver at import time, so it lives here and not in ``core``.
Each signature is verified on its own (``verify(idx=i)``: dkimpy checks one per call), and
its key is fetched through the injected lookup, which follows CNAMEs (SES Easy DKIM) and
joins a TXT record's strings (2048-bit keys need several). dkimpy folds key problems into a
bare ``False`` and raises for others; both are recorded in a ``DkimAttempt`` and turned into
plain reasons by ``core.message.dkim_reasons``. Nothing dkimpy raises escapes.
"""

from __future__ import annotations

import logging
from typing import Any

from sesdmarc_tui.core.lookup import AnswerKind, Lookup
from sesdmarc_tui.core.message.dkim_reasons import (
    DkimAttempt,
    DkimOutcome,
    KeyLookup,
    classify,
    not_checkable,
)
from sesdmarc_tui.core.message.dkim_tags import parse_key_record, parse_signature
from sesdmarc_tui.core.message.message import ParsedMessage
from sesdmarc_tui.core.message.report import MessageReport
from sesdmarc_tui.core.message.verdict import build_report

# Each signature costs a body canonicalisation and a key lookup; a header section stuffed with
# signatures must not turn one check into minutes.
MAX_SIGNATURES = 20


class _Recorder(logging.Handler):
    """Keeps what dkimpy logs at error level: the only trace of a key it refused."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a broken log argument must not break verification
            self.messages.append("unreadable dkimpy log message")


def _logger(handler: _Recorder) -> logging.Logger:
    # An unregistered logger: nothing reaches the root logger or the user's terminal.
    logger = logging.Logger("sesdmarc.dkimpy", logging.ERROR)
    logger.addHandler(handler)
    logger.propagate = False
    return logger


class _KeyFetcher:
    """dkimpy's ``dnsfunc``: one TXT string for a key name, with what DNS said kept aside."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self.last: KeyLookup | None = None

    def __call__(self, name: bytes, timeout: float = 5) -> bytes | None:
        text = name.decode("ascii", "replace").rstrip(".")
        try:
            answer = self._lookup(text + ".", "TXT")
        except Exception as exc:  # a name dnspython cannot even encode
            self.last = KeyLookup(text, "error", None, 0, error=f"invalid name ({exc})"[:200])
            return None
        values = answer.values if answer.kind is AnswerKind.OK else ()
        # RFC 6376 s3.6.2.2: with several TXT records the result is undefined; prefer a key.
        keys = [v for v in values if "p" in parse_key_record(v).tags]
        record = keys[0] if keys else (values[0] if values else None)
        self.last = KeyLookup(
            text,
            str(answer.kind),
            record,
            len(values),
            answer.cname_chain,
            answer.error,
        )
        return record.encode("utf-8", "replace") if record is not None else None


def verify_dkim(message: ParsedMessage, lookup: Lookup) -> tuple[DkimOutcome, ...]:
    """One outcome per DKIM-Signature, top first; never raises."""
    fields = message.fields("dkim-signature")
    sigs = [parse_signature(i, f.value) for i, f in enumerate(fields)]
    if not sigs:
        return ()
    if message.headers_only:
        why = "only the headers were given, so the body hash cannot be checked"
        return tuple(not_checkable(s, why) for s in sigs)
    import dkim  # dkimpy: loads dnspython, so only when a message is really verified

    recorder = _Recorder()
    try:
        verifier: Any = dkim.DKIM(message.raw, logger=_logger(recorder), minkey=1024)
    except Exception as exc:  # dkimpy's own header parser refused the message
        attempt = DkimAttempt(None, type(exc).__name__, str(exc)[:300])
        return tuple(classify(s, attempt) for s in sigs)
    outcomes = []
    for sig in sigs[MAX_SIGNATURES:]:
        why = f"only the first {MAX_SIGNATURES} signatures are verified (real mail has a few)"
        outcomes.append(not_checkable(sig, why, None))
    for sig in sigs[:MAX_SIGNATURES]:
        fetcher = _KeyFetcher(lookup)
        recorder.messages.clear()
        verifier.keysize = 0
        verifier.ktag = None
        try:
            verified: bool | None = bool(verifier.verify(idx=sig.index, dnsfunc=fetcher))
            error_type = None
            error = "; ".join(recorder.messages) or None
        except Exception as exc:  # dkimpy raises many types, not all DKIMException
            verified, error_type, error = None, type(exc).__name__, str(exc)
        key_type = verifier.ktag.decode("ascii", "replace") if verifier.ktag else None
        attempt = DkimAttempt(
            verified,
            error_type,
            error[:300] if error else None,
            fetcher.last,
            int(verifier.keysize) if verifier.keysize else None,
            key_type,
        )
        outcomes.append(classify(sig, attempt, body_empty=message.body_size == 0))
    return tuple(sorted(outcomes, key=lambda o: o.index))


def check_message(
    data: bytes,
    lookup: Lookup,
    *,
    trusted_authserv_id: str | None = None,
    expected_mail_from: str | None = None,
) -> MessageReport:
    """Parse, re-verify DKIM and build the verdict: what ``verify-message`` and the wizard show."""
    from sesdmarc_tui.core.message.message import parse_message

    message = parse_message(data)
    outcomes = verify_dkim(message, lookup) if message.refused is None else ()
    return build_report(
        message,
        outcomes,
        lookup,
        trusted_authserv_id=trusted_authserv_id,
        expected_mail_from=expected_mail_from,
    )


__all__ = ["check_message", "verify_dkim"]

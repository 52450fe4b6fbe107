"""Plain reasons for DKIM results: what dkimpy saw, turned into words and a one-line fix.

The adapter (``sesdmarc_tui.dns.dkim_verify``) runs dkimpy and records what happened in a
``DkimAttempt``: its answer, the exception or logged error, and the key lookup it asked for.
dkimpy folds several key problems into a bare ``False``, so the key's DNS answer is classified
here from our own lookup rather than from dkimpy's wording alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.core.message.dkim_tags import (
    ACCEPTED_ALGORITHMS,
    KEY_TYPES,
    SignatureTags,
    parse_key_record,
)

MIN_RSA_BITS = 1024  # RFC 8301 s3.2

REASONS = (
    "pass",
    "body_changed",
    "signed_header_changed",
    "key_missing",
    "key_revoked",
    "key_too_short",
    "key_malformed",
    "unsupported_algorithm",
    "signature_expired",
    "malformed_signature",
    "malformed_message",
    "dns_error",
    "not_checkable",
)


@dataclass(frozen=True)
class KeyLookup:
    name: str  # selector._domainkey.domain
    kind: str  # ok, nxdomain, nodata, error (core.lookup.AnswerKind values)
    record: str | None  # the TXT string handed to dkimpy
    record_count: int
    cname_chain: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class DkimAttempt:
    verified: bool | None  # dkimpy's answer; None when it raised
    error_type: str | None = None
    error: str | None = None  # the exception text, or the error dkimpy logged
    key: KeyLookup | None = None  # None when dkimpy stopped before asking for the key
    key_bits: int | None = None
    key_type: str | None = None


@dataclass(frozen=True)
class DkimOutcome:
    index: int
    d: str | None
    s: str | None
    algorithm: str | None
    result: str  # an RFC 8601 DKIM result word
    reason: str  # one of REASONS
    detail: str
    fix: str | None
    key_name: str | None = None
    cname_chain: tuple[str, ...] = ()
    key_bits: int | None = None

    @property
    def passed(self) -> bool:
        return self.result == "pass"


def _key_name(sig: SignatureTags) -> str:
    return f"{sig.s or '?'}._domainkey.{sig.d or '?'}"


def _outcome(
    sig: SignatureTags, result: str, reason: str, detail: str, fix: str | None, **extra: Any
) -> DkimOutcome:
    return DkimOutcome(sig.index, sig.d, sig.s, sig.algorithm, result, reason, detail, fix, **extra)


WHOLE_MESSAGE_FIX = (
    "Save or paste the whole message, headers and body (e.g. Gmail: Show original, "
    "Download original), to have DKIM checked."
)


def not_checkable(sig: SignatureTags, why: str, fix: str | None = WHOLE_MESSAGE_FIX) -> DkimOutcome:
    return _outcome(sig, "none", "not_checkable", f"not checkable: {why}", fix)


def classify(sig: SignatureTags, attempt: DkimAttempt, *, body_empty: bool = False) -> DkimOutcome:
    """The result, reason, plain detail and fix for one signature's verification attempt."""
    key = attempt.key
    extra: dict[str, Any] = {
        "key_name": key.name if key else _key_name(sig),
        "cname_chain": key.cname_chain if key else (),
        "key_bits": attempt.key_bits,
    }
    error = attempt.error or ""
    lowered = error.lower()
    if sig.algorithm is not None and sig.algorithm not in ACCEPTED_ALGORITHMS:
        return _algorithm(sig, attempt, extra)
    if "public key too small" in lowered or (
        attempt.verified and attempt.key_type == "rsa" and (attempt.key_bits or 0) < MIN_RSA_BITS
    ):
        return _too_short(sig, attempt, extra)
    if attempt.verified:
        return _outcome(sig, "pass", "pass", "signature verified", None, **extra)
    if "body hash mismatch" in lowered:
        return _body_changed(sig, body_empty, extra)
    if key is not None:
        keyed = _key_problem(sig, key, attempt)
        if keyed is not None:
            return _outcome(sig, *keyed, **extra)
    return _other(sig, attempt, extra)


def _algorithm(sig: SignatureTags, attempt: DkimAttempt, extra: dict[str, Any]) -> DkimOutcome:
    if sig.algorithm == "rsa-sha1":
        would = " (it would otherwise verify)" if attempt.verified else ""
        return _outcome(
            sig,
            "policy",
            "unsupported_algorithm",
            f"signed with rsa-sha1, which RFC 8301 forbids verifiers to accept{would}",
            "Sign with rsa-sha256 (or ed25519-sha256 next to it); rsa-sha1 is not accepted.",
            **extra,
        )
    return _outcome(
        sig,
        "permerror",
        "unsupported_algorithm",
        f"unsupported signing algorithm a={sig.algorithm[:30] if sig.algorithm else ''}",
        "Sign with rsa-sha256 or ed25519-sha256, the algorithms receivers verify.",
        **extra,
    )


def _too_short(sig: SignatureTags, attempt: DkimAttempt, extra: dict[str, Any]) -> DkimOutcome:
    bits = attempt.key_bits
    size = f"{bits}-bit" if bits else "short"
    return _outcome(
        sig,
        "policy",
        "key_too_short",
        f"the {size} RSA key is below the 1024 bits RFC 8301 requires, so receivers ignore it",
        "Publish and sign with a 2048-bit key (in SES: set the next signing key length to "
        "RSA_2048_BIT).",
        **extra,
    )


def _body_changed(sig: SignatureTags, body_empty: bool, extra: dict[str, Any]) -> DkimOutcome:
    detail = "body changed: the body no longer matches the hash the signer computed"
    if body_empty:
        detail += " (the body is empty: were only the headers pasted?)"
    return _outcome(
        sig,
        "fail",
        "body_changed",
        detail,
        "Check what rewrites the body on the way (footer, disclaimer, mailing list, antivirus) "
        "and check the original message source, not a forwarded or copied one.",
        **extra,
    )


def _key_problem(
    sig: SignatureTags, key: KeyLookup, attempt: DkimAttempt
) -> tuple[str, str, str, str] | None:
    name = key.name
    if key.kind == "error":
        return (
            "temperror",
            "dns_error",
            f"DNS error fetching the key at {name}: {key.error or 'no answer'}",
            f"Retry when DNS answers for {name}, or check the --nameserver given.",
        )
    if key.kind in ("nxdomain", "nodata") or key.record is None:
        what = "does not exist" if key.kind == "nxdomain" else "has no TXT record"
        return (
            "permerror",
            "key_missing",
            f"key missing: {name} {what}",
            f"Publish the key at {name} (for SES Easy DKIM: the three CNAMEs of the DKIM step).",
        )
    record = parse_key_record(key.record)
    if record.revoked:
        return (
            "permerror",
            "key_revoked",
            f"key revoked: the record at {name} has an empty p=",
            "Sign with a selector whose key is published, or publish the key again.",
        )
    shape = record.usable_shape
    if shape is not None or "could not parse" in (attempt.error or ""):
        why = shape or "its p= is not a valid public key"
        return (
            "permerror",
            "key_malformed",
            f"the TXT record at {name} is unusable: {why}",
            f"Publish the DKIM key record exactly as issued at {name}.",
        )
    if record.key_type not in KEY_TYPES:
        return (
            "permerror",
            "unsupported_algorithm",
            f"the key at {name} has k={record.key_type[:20]}, which is neither rsa nor ed25519",
            "Publish an rsa or ed25519 key.",
        )
    if attempt.verified is False and not attempt.error:
        return (
            "fail",
            "signed_header_changed",
            "signature did not verify: a signed header (such as Subject or From) changed after "
            "signing, or the key does not match the signing key",
            "Check what rewrites headers on the way (a relay adding a Subject tag, a gateway), "
            f"and that {name} publishes the key the sender signs with.",
        )
    return None


def _other(sig: SignatureTags, attempt: DkimAttempt, extra: dict[str, Any]) -> DkimOutcome:
    error = (attempt.error or attempt.error_type or "unknown error")[:200]
    lowered = error.lower()
    if "x= value is past" in lowered:
        return _outcome(
            sig,
            "fail",
            "signature_expired",
            "the signature expired (its x= time has passed)",
            "Send a new test message and check it soon after it arrives.",
            **extra,
        )
    if "pynacl" in lowered or "nacl" in (attempt.error_type or "").lower():
        return _outcome(
            sig,
            "permerror",
            "unsupported_algorithm",
            "Ed25519 verification needs PyNaCl, which is not installed",
            "Install PyNaCl next to this tool (pip install pynacl).",
            **extra,
        )
    if attempt.error_type == "MessageFormatError" and "rfc822 header" in lowered:
        return _outcome(
            sig,
            "permerror",
            "malformed_message",
            "the header section has lines that are not header fields, so DKIM cannot read it",
            "Save the message source as it arrived (not a rendered or re-wrapped copy).",
            **extra,
        )
    if attempt.verified is False and attempt.key is None and not attempt.error:
        detail = "the signature header could not be read"
    else:
        detail = f"malformed signature: {error}"
    problems = "; ".join(sig.problems)
    if problems:
        detail += f" ({problems})"
    return _outcome(
        sig,
        "permerror",
        "malformed_signature",
        detail,
        "Check the signer's configuration: the DKIM-Signature header is not valid.",
        **extra,
    )

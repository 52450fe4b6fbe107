"""``sesdmarc verify-message FILE|-``: DKIM, SPF, alignment and DMARC of a received message.

Exit codes: 0 fine or warnings, 1 error-level findings (DMARC would fail or cannot apply, the
input is not a message), 2 usage (unreadable file, bad option; one line, never a traceback).
"""

from __future__ import annotations

import sys
from typing import Any, BinaryIO

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import console, emit_json, finish, usage_error
from sesdmarc_tui.core.dmarc.findings import shown
from sesdmarc_tui.core.message.message import MAX_MESSAGE_BYTES
from sesdmarc_tui.core.names import normalize_domain


def _json_safe(value: Any) -> Any:
    """Lone surrogates (undecodable argv bytes) cannot be encoded: write them as escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _read_stream(stream: BinaryIO) -> bytes:
    # One byte more than the limit is enough to know the input is too large.
    return stream.read(MAX_MESSAGE_BYTES + 1)


def _read(source: str) -> bytes:
    if source == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            usage_error("standard input is not available; give a file instead of -.")
        return _read_stream(stdin)
    name = shown(source)
    try:
        with open(source, "rb") as handle:
            return _read_stream(handle)
    except FileNotFoundError:
        usage_error(f"{name}: no such file; give a saved message (.eml) or - to read stdin.")
    except IsADirectoryError:
        usage_error(f"{name} is a directory; give a saved message file (.eml).")
    except PermissionError:
        usage_error(f"{name}: permission denied; check the file's permissions.")
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        usage_error(f"{name} cannot be read ({reason}).")


@click.command("verify-message")
@click.argument("source", metavar="FILE|-")
@click.option(
    "--trusted-authserv-id",
    metavar="ID",
    help="The receiving provider's authserv-id (e.g. mx.google.com; 'microsoft' for "
    "Microsoft's header without one). Default: the topmost header's, reported as an assumption.",
)
@click.option(
    "--expected-mail-from",
    metavar="DOMAIN",
    help="The custom MAIL FROM domain set up in SES (e.g. mail.example.com).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_message(
    source: str, trusted_authserv_id: str | None, expected_mail_from: str | None, as_json: bool
) -> None:
    """Check DKIM, SPF and DMARC of a received message (a saved .eml file, or - for stdin).

    Every DKIM signature is verified again here; SPF and the receiver's verdict come from
    its Authentication-Results header.
    """
    expected = None
    if expected_mail_from is not None:
        try:
            expected = normalize_domain(expected_mail_from.rpartition("@")[2])
        except ValueError as exc:
            usage_error(f"--expected-mail-from: {str(exc)[:200]}")
    data = _read(source)
    from sesdmarc_tui.dns.dkim_verify import check_message

    report = check_message(
        data,
        get_context().lookup(),
        trusted_authserv_id=trusted_authserv_id,
        expected_mail_from=expected,
    )
    if as_json:
        emit_json(_json_safe(report.to_json()))
    else:
        from sesdmarc_tui.report.message import render_message_report

        render_message_report(report, console())
    finish(report.verdict == "error")

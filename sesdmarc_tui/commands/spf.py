"""``sesdmarc spf check|merge``: SPF inspection and merging, human or ``--json`` output."""

from __future__ import annotations

import ipaddress
from typing import Any

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import console, emit_json, finish, usage_error
from sesdmarc_tui.core.names import DomainError, normalize_domain
from sesdmarc_tui.core.spf.check import Evaluation, check_spf
from sesdmarc_tui.core.spf.merge import DEFAULT_TERM, check_merge_term, merge_spf


def _show(value: str, limit: int = 60) -> str:
    from sesdmarc_tui.report.spf import printable

    return repr(printable(value, limit))


def _json_safe(value: Any) -> Any:
    """Undecodable argv bytes arrive as lone surrogates, which no output stream can encode."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


@click.group(help="Check SPF records and merge include:amazonses.com into them.")
def spf() -> None:
    pass


def _parse_ip(ip: str) -> str:
    text = ip.strip()
    try:
        if "%" in text:  # a zone index (fe80::1%eth0) means nothing to a receiver
            raise ValueError(text)
        return str(ipaddress.ip_address(text))
    except ValueError:
        usage_error(
            f"--ip {_show(ip)} is not an IP address; give the sending server's address, "
            "e.g. 192.0.2.10 or 2001:db8::10."
        )


def _parse_sender(sender: str | None, domain: str) -> str:
    if sender is None:
        return f"postmaster@{domain}"
    local, at, sender_domain = sender.strip().rpartition("@")
    if not at or not local or "@" in local or any(ord(c) < 0x20 or ord(c) == 0x7F for c in local):
        usage_error(f"--sender {_show(sender)} is not an address such as bounce@{domain}.")
    try:
        normalized = normalize_domain(sender_domain, allow_underscore=True)
    except DomainError as exc:
        usage_error(f"--sender: {exc}")
    if normalized != domain:
        usage_error(
            f"--sender is at {normalized}, but SPF is checked for the sender's domain: "
            f"run `sesdmarc spf check {normalized} --ip ...` to check that domain."
        )
    return f"{local}@{normalized}"


def _parse_helo(helo: str | None, domain: str) -> str:
    if helo is None:
        return domain
    value = helo.strip()
    if not value or len(value) > 255 or any(not 0x21 <= ord(c) <= 0x7E for c in value):
        usage_error(f"--helo {_show(helo)} is not a host name such as mail.{domain}.")
    return value


@spf.command("check")
@click.argument("domain")
@click.option("--ip", help="Evaluate the record for mail from this IP address (RFC 7208).")
@click.option("--sender", metavar="ADDR", help="MAIL FROM address (default postmaster@DOMAIN).")
@click.option("--helo", metavar="NAME", help="HELO/EHLO name of the client (default DOMAIN).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(domain: str, ip: str | None, sender: str | None, helo: str | None, as_json: bool) -> None:
    """Check the SPF record of DOMAIN: syntax, lookup limits, common mistakes.

    Exit status 0 when the record is valid (warnings allowed), 1 when receivers would return
    permerror or no record exists, 2 for bad arguments.
    """
    try:
        name = normalize_domain(domain, allow_underscore=True)
    except DomainError as exc:
        usage_error(str(exc))
    if ip is None and (sender is not None or helo is not None):
        usage_error("--sender and --helo only apply to an evaluation: add --ip ADDRESS.")
    address = _parse_ip(ip) if ip is not None else None
    mail_from = _parse_sender(sender, name)
    helo_name = _parse_helo(helo, name)
    lookup = get_context().lookup()
    result = check_spf(name, lookup)
    if address is not None:
        from sesdmarc_tui.dns.spf_eval import evaluate_spf_detail

        outcome, explanation = evaluate_spf_detail(address, mail_from, helo_name, lookup)
        result = result.with_evaluation(
            Evaluation(address, outcome, mail_from, helo_name, explanation)
        )
    if as_json:
        emit_json(_json_safe(result.to_json()))
    else:
        from sesdmarc_tui.report.spf import render_check

        console().print(render_check(result))
    finish(not result.valid)


@spf.command("merge")
@click.option(
    "--add",
    "term",
    default=DEFAULT_TERM,
    show_default=True,
    metavar="TERM",
    help="The SPF term to add: one mechanism other than all, e.g. ip4:192.0.2.0/24.",
)
@click.option(
    "--existing",
    multiple=True,
    metavar="RECORD",
    help="A TXT value now published at the name (repeat for each; non-SPF values are ignored).",
)
@click.option(
    "--resolve",
    is_flag=True,
    help="Count DNS lookups through includes (uses DNS); default: the record's own terms only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def merge(term: str, existing: tuple[str, ...], resolve: bool, as_json: bool) -> None:
    """Merge TERM into the SPF record among the --existing TXT values, never making a second one.

    Inserts before the first all (keeping its qualifier), else before redirect=, else at the
    end; refuses when two SPF records exist or the result would need more than 10 lookups.
    Exit status 1 when refused, 2 for a bad TERM.
    """
    problem = check_merge_term(term)
    if problem is not None:
        from sesdmarc_tui.report.spf import printable

        usage_error(f"--add: {printable(problem, 300)}")
    lookup = get_context().lookup() if resolve else None
    result = merge_spf(existing, term, lookup)
    if as_json:
        emit_json(_json_safe(result.to_json()))
    else:
        from sesdmarc_tui.report.spf import render_merge

        console().print(render_merge(result))
    finish(result.error_kind is not None)

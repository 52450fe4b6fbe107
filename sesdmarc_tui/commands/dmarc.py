"""``sesdmarc dmarc lint|discover|evaluate``: the DMARC inspection commands.

Exit codes: 0 fine or warnings, 1 error-level findings (lint verdict error; discovery that DNS
errors left incomplete or that met several DMARC records at one name; DMARC fail or temperror),
2 usage (bad domain, result word or option; a one-line message, never a traceback).
"""

from __future__ import annotations

from typing import Any

import click

from sesdmarc_tui.commands.context import get_context
from sesdmarc_tui.commands.output import console, emit_json, finish, usage_error
from sesdmarc_tui.core.names import normalize_domain

_MAX_MESSAGE = 200


@click.group(help="Lint, discover and evaluate DMARC policies (RFC 9989 and RFC 7489).")
def dmarc() -> None:
    pass


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "..."


def _domain(value: str, option: str) -> str:
    try:
        return normalize_domain(value)
    except ValueError as exc:  # DomainError, and any codec error from IDNA on odd input
        usage_error(_clip(f"{option}: {exc}"))


def _json_safe(value: Any) -> Any:
    """Lone surrogates (undecodable argv bytes) cannot be encoded: write them as escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


@dmarc.command("lint")
@click.argument("record")
@click.option("--domain", metavar="DOMAIN", help="The domain the record is for (checks rua/ruf).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def lint(record: str, domain: str | None, as_json: bool) -> None:
    """Check a DMARC RECORD (quote it) against RFC 9989, RFC 7489 and SES practice."""
    from sesdmarc_tui.core.dmarc.lint import lint_dmarc

    if domain is not None and domain.lower().startswith("_dmarc."):
        domain = domain[len("_dmarc.") :]  # the record's owner name was typed: take its domain
    policy_domain = _domain(domain, "--domain") if domain is not None else None
    lookup = get_context().lookup() if policy_domain else None
    result = lint_dmarc(record, policy_domain, lookup)
    if as_json:
        emit_json(_json_safe(result.to_json()))
    else:
        from sesdmarc_tui.report.dmarc import render_lint

        render_lint(result, console())
    finish(result.verdict == "error")


@dmarc.command("discover")
@click.argument("domain")
@click.option(
    "--author-domain-missing",
    is_flag=True,
    help="The From domain does not exist (NXDOMAIN): np applies instead of sp.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def discover(domain: str, author_domain_missing: bool, as_json: bool) -> None:
    """Find the DMARC policy that governs mail From DOMAIN, as receivers do."""
    from sesdmarc_tui.core.dmarc.discover import discover_policy

    author = _domain(domain, "DOMAIN")
    result = discover_policy(author, get_context().lookup(), author_domain_missing)
    if as_json:
        emit_json(_json_safe(result.to_json()))
    else:
        from sesdmarc_tui.report.dmarc import render_discovery

        render_discovery(result, console())
    finish(bool(result.dns_errors or result.multiple_records))


def _dkim_pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    from sesdmarc_tui.core.dmarc.evaluate import DKIM_RESULTS

    pairs = []
    for value in values:
        name, colon, result = value.rpartition(":")
        if not colon:
            usage_error(_clip(f"--dkim takes DOMAIN:RESULT (e.g. example.com:pass), not {value!r}"))
        word = result.strip().lower()
        if word not in DKIM_RESULTS:
            usage_error(
                _clip(f"--dkim: {result!r} is not a DKIM result ({', '.join(DKIM_RESULTS)})")
            )
        pairs.append((_domain(name, "--dkim"), word))
    return pairs


@dmarc.command("evaluate")
@click.option("--from", "from_domain", required=True, metavar="DOMAIN", help="The From domain.")
@click.option(
    "--mail-from",
    required=True,
    metavar="DOMAIN",
    help="The MAIL FROM (Return-Path) domain, or an address at it.",
)
@click.option("--spf", "spf_result", required=True, metavar="RESULT", help="SPF result (RFC 7208).")
@click.option(
    "--dkim",
    "dkim",
    multiple=True,
    metavar="DOMAIN:RESULT",
    help="A DKIM signature's d= and result (repeatable), e.g. example.com:pass.",
)
@click.option(
    "--author-domain-missing",
    is_flag=True,
    help="The From domain does not exist (NXDOMAIN): np applies instead of sp.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def evaluate(
    *,
    from_domain: str,
    mail_from: str,
    spf_result: str,
    dkim: tuple[str, ...],
    author_domain_missing: bool,
    as_json: bool,
) -> None:
    """Evaluate DMARC for a message from its SPF and DKIM results."""
    from sesdmarc_tui.core.dmarc.evaluate import SPF_RESULTS, evaluate_dmarc

    author = _domain(from_domain, "--from")
    envelope = _domain(mail_from.rpartition("@")[2], "--mail-from")
    spf = spf_result.strip().lower()
    if spf not in SPF_RESULTS:
        usage_error(_clip(f"--spf: {spf_result!r} is not an SPF result ({', '.join(SPF_RESULTS)})"))
    pairs = _dkim_pairs(dkim)
    result = evaluate_dmarc(
        author,
        envelope,
        spf,
        pairs,
        get_context().lookup(),
        author_domain_missing=author_domain_missing,
    )
    if as_json:
        emit_json(_json_safe(result.to_json()))
    else:
        from sesdmarc_tui.report.dmarc import render_evaluation

        render_evaluation(result, console())
    finish(result.dmarc in ("fail", "temperror"))

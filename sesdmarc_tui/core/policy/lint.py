"""Lint any SES identity policy: ours, or one an operator pastes from the console.

Each finding has a severity (error: the policy is refused, never matches, or lets the wrong
senders in; warning: it works but not as the operator probably means; info: worth knowing),
a stable ``kind``, a message and a fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sesdmarc_tui.core.policy.arns import parse_identity_arn
from sesdmarc_tui.core.policy.findings import Finding, LintReport, Severity
from sesdmarc_tui.core.policy.glob import action_matches
from sesdmarc_tui.core.policy.grammar import (
    JsonObject,
    load_policy,
    statement_label,
    statement_list,
    str_list,
)
from sesdmarc_tui.core.policy.limits import MAX_POLICY_BYTES, policy_size
from sesdmarc_tui.core.policy.lintstmt import check_statement

_Add = Callable[[Severity, str, str, str], None]


def lint_policy(text: str, *, identity_arn: str | None = None) -> LintReport:
    """Lint ``text`` (policy JSON); with ``identity_arn``, every Resource must be that ARN."""
    out: list[Finding] = []

    def add(severity: Severity, kind: str, message: str, fix: str, where: str = "") -> None:
        out.append(Finding(severity, kind, message, fix, where))

    parsed = load_policy(text)
    if parsed.document is None:
        add(
            Severity.ERROR,
            "invalid_json",
            f"The policy cannot be read: {parsed.error}.",
            "Paste the whole policy document, from { to }.",
        )
        return LintReport(tuple(out))
    document = parsed.document
    _check_size(text, document, add)
    if parsed.duplicate_keys:
        keys = ", ".join(sorted(set(parsed.duplicate_keys)))
        add(
            Severity.ERROR,
            "duplicate_key",
            f"A JSON object repeats the key(s) {keys}; only one copy survives.",
            "Merge the repeated blocks into one (for example one StringEquals with two keys).",
        )
    _check_version(document, add)
    unknown = sorted(set(document) - {"Version", "Id", "Statement"})
    if unknown:
        add(
            Severity.WARNING,
            "unknown_element",
            f"Unknown top-level element(s): {', '.join(unknown)}.",
            "A policy has only Version, Id and Statement.",
        )
    statements = statement_list(document)
    if statements is None:
        shown = "missing" if "Statement" not in document else "neither a list nor an object"
        add(
            Severity.ERROR,
            "bad_statement",
            f"Statement is {shown}.",
            'Write "Statement": [ {...}, ... ].',
        )
        return LintReport(tuple(out))
    if not statements:
        add(
            Severity.ERROR,
            "bad_statement",
            "Statement is an empty list.",
            "Add an Allow statement.",
        )
    expected = _expected_arn(identity_arn)
    sids: dict[str, int] = {}
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            add(
                Severity.ERROR,
                "bad_statement",
                f"Statement {index + 1} is not a JSON object.",
                'Each statement is {"Effect": ..., "Principal": ..., ...}.',
            )
            continue
        where = statement_label(index, statement)
        sid = statement.get("Sid")
        if isinstance(sid, str) and sid:
            if sid in sids:
                add(
                    Severity.WARNING,
                    "duplicate_sid",
                    f"Sid {sid!r} is used twice.",
                    "Give every statement its own Sid.",
                    where,
                )
            sids[sid] = index
        out.extend(check_statement(statement, where, expected))
    _check_policy_actions(statements, add)
    return LintReport(tuple(_dedupe(out)))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Remarks (infos) are said once per policy; problems stay once per place."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        key = (
            finding.kind,
            "" if finding.severity is Severity.INFO else finding.where + finding.message,
        )
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _check_size(text: str, document: JsonObject, add: _Add) -> None:
    size = policy_size(text)
    if size <= MAX_POLICY_BYTES:
        return
    compact = policy_size(json.dumps(document, separators=(",", ":"), ensure_ascii=False))
    if compact <= MAX_POLICY_BYTES:
        add(
            Severity.WARNING,
            "policy_too_large",
            f"As typed the policy is {size} bytes, over the {MAX_POLICY_BYTES}-byte SES limit; "
            f"without the whitespace it is {compact} bytes.",
            "Send the compact form (the wizard does).",
        )
        return
    add(
        Severity.ERROR,
        "policy_too_large",
        f"The policy is {compact} bytes even without whitespace, "
        f"{compact - MAX_POLICY_BYTES} bytes over the {MAX_POLICY_BYTES}-byte SES limit.",
        "Allow a common parent OU's subtree instead of many OUs, or split it into two policies.",
    )


def _check_version(document: JsonObject, add: _Add) -> None:
    version = document.get("Version")
    if version == "2012-10-17":
        return
    if version is None:
        add(
            Severity.WARNING,
            "missing_version",
            "Version is missing, so IAM reads the policy with the 2008-10-17 grammar.",
            'Add "Version": "2012-10-17".',
        )
    elif version == "2008-10-17":
        add(
            Severity.WARNING,
            "old_version",
            "Version 2008-10-17 is the old policy grammar.",
            'Use "Version": "2012-10-17".',
        )
    else:
        add(
            Severity.ERROR,
            "bad_version",
            f"Version {version!r} is not a policy language version.",
            'Use "Version": "2012-10-17" (a fixed string, not today\'s date).',
        )


def _expected_arn(identity_arn: str | None) -> str | None:
    if identity_arn is None:
        return None
    return parse_identity_arn(identity_arn).to_string()


def _check_policy_actions(statements: list[object], add: _Add) -> None:
    granted: list[str] = []
    for statement in statements:
        if isinstance(statement, dict) and statement.get("Effect") == "Allow":
            granted.extend(str_list(statement.get("Action")) or [])
    if not granted:
        if not any(isinstance(s, dict) and s.get("Effect") == "Allow" for s in statements):
            add(
                Severity.WARNING,
                "no_allow",
                "No statement allows anything.",
                "Add an Allow statement for the delegated senders.",
            )
        return
    sends = any(action_matches(a, "ses:SendEmail") for a in granted)
    raw = any(action_matches(a, "ses:SendRawEmail") for a in granted)
    if sends and not raw:
        add(
            Severity.WARNING,
            "send_email_without_raw",
            "ses:SendEmail is allowed but ses:SendRawEmail is not: SMTP sends and v2 SendEmail "
            "with raw content are authorized as SendRawEmail and will be refused.",
            "Allow ses:SendRawEmail as well.",
        )

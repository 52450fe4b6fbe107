"""Findings shared by the policy linter and the delegate IAM-policy checker."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem or remark: ``kind`` is a stable identifier for scripts and tests."""

    severity: Severity
    kind: str
    message: str
    fix: str = ""
    where: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "kind": self.kind,
            "message": self.message,
            "fix": self.fix,
            "where": self.where,
        }


@dataclass(frozen=True)
class LintReport:
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.INFO)

    @property
    def ok(self) -> bool:
        """No error-level finding (warnings and remarks may remain)."""
        return not self.errors

    def kinds(self, severity: Severity | None = None) -> set[str]:
        return {f.kind for f in self.findings if severity is None or f.severity is severity}

    def verdict(self) -> str:
        if self.errors:
            return "error"
        return "warn" if self.warnings else "ok"

    def to_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict(), "findings": [f.to_dict() for f in self.findings]}

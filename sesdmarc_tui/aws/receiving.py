"""SES email receiving (the SES v1 API): receipt rule sets and the rules in them.

Receiving has no SES v2 API. Only one rule set is active per account and region; SES applies
its rules in order to mail that reaches ``inbound-smtp.<region>.amazonaws.com``. Management
calls are paced at one per second like the other SES calls (the rule calls document that
limit) and throttling is retried with back-off; every failure leaves as ``AwsError``.

The regions where SES receives mail are ``core.reports.collection.RECEIVING_REGIONS`` (pure
data, shared with the step's validators); its comment cites the AWS table it was checked
against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sesdmarc_tui.aws.errors import AwsError, ErrorKind
from sesdmarc_tui.aws.ses_calls import SesCalls

SERVICE = "ses"
MISSING_RULE_SET = ("RuleSetDoesNotExist", "RuleSetDoesNotExistException")
MISSING_RULE = ("RuleDoesNotExist", "RuleDoesNotExistException")


@dataclass(frozen=True)
class RuleSet:
    name: str
    rules: tuple[dict[str, Any], ...]
    active: bool

    def rule(self, name: str) -> dict[str, Any] | None:
        return next((r for r in self.rules if r.get("Name") == name), None)


class ReceivingAdapter(SesCalls):
    """Receipt rules for one session (one account, one region)."""

    service = SERVICE

    def active_rule_set(self) -> RuleSet | None:
        found = self._call("DescribeActiveReceiptRuleSet", "describe_active_receipt_rule_set")
        name = (found.get("Metadata") or {}).get("Name")
        if not name:
            return None
        return RuleSet(str(name), tuple(found.get("Rules") or ()), True)

    def rule_set(self, name: str) -> RuleSet | None:
        try:
            found = self._call(
                "DescribeReceiptRuleSet", "describe_receipt_rule_set", RuleSetName=name
            )
        except AwsError as exc:
            if exc.code in MISSING_RULE_SET or exc.kind is ErrorKind.NOT_FOUND:
                return None
            raise
        active = self.active_rule_set()
        rules = tuple(found.get("Rules") or ())
        return RuleSet(name, rules, active is not None and active.name == name)

    def create_rule_set(self, name: str) -> None:
        self._call("CreateReceiptRuleSet", "create_receipt_rule_set", RuleSetName=name)

    def set_active(self, name: str) -> None:
        self._call("SetActiveReceiptRuleSet", "set_active_receipt_rule_set", RuleSetName=name)

    def create_rule(self, rule_set: str, rule: dict[str, Any], after: str | None = None) -> None:
        params: dict[str, Any] = {"RuleSetName": rule_set, "Rule": rule}
        if after:
            params["After"] = after
        self._call("CreateReceiptRule", "create_receipt_rule", **params)

    def update_rule(self, rule_set: str, rule: dict[str, Any]) -> None:
        self._call("UpdateReceiptRule", "update_receipt_rule", RuleSetName=rule_set, Rule=rule)

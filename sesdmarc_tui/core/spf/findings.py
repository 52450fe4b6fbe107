"""The kinds of SPF problems the checker reports, as stable strings for the JSON contract."""

from __future__ import annotations

from sesdmarc_tui.core.findings import Finding

# error_kind values (each makes receivers return permerror, except dns_error: see check.py)
MULTIPLE_SPF_RECORDS = "multiple_spf_records"
TOO_MANY_DNS_LOOKUPS = "too_many_dns_lookups"
TOO_MANY_VOID_LOOKUPS = "too_many_void_lookups"
INCLUDE_TARGET_HAS_NO_SPF = "include_target_has_no_spf"
SYNTAX = "syntax"
NO_SPF_RECORD = "no_spf_record"
DNS_ERROR = "dns_error"

# When several errors are present the contract's single error_kind names the first of these:
# the ones that stop a receiver before it evaluates anything come first.
ERROR_PRIORITY = (
    DNS_ERROR,
    NO_SPF_RECORD,
    MULTIPLE_SPF_RECORDS,
    SYNTAX,
    INCLUDE_TARGET_HAS_NO_SPF,
    TOO_MANY_DNS_LOOKUPS,
    TOO_MANY_VOID_LOOKUPS,
)

# warning kinds
PTR_MECHANISM_DISCOURAGED = "ptr_mechanism_discouraged"
TERMS_AFTER_ALL_IGNORED = "terms_after_all_ignored"
REDIRECT_IGNORED_WITH_ALL = "redirect_ignored_with_all"
RECORD_TOO_LONG_FOR_UDP = "record_too_long_for_udp"
NO_ALL_MECHANISM = "no_all_mechanism"
PLUS_ALL_ALLOWS_EVERYONE = "plus_all_allows_everyone"
DNS_ERROR_WARNING = "dns_error"
MX_TOO_MANY_NAMES = "mx_too_many_names"
MACRO_TARGET_NOT_FOLLOWED = "macro_target_not_followed"
TERM_PRESENT_WITH_OTHER_QUALIFIER = "term_present_with_other_qualifier"
NOT_SELECTED_AS_SPF = "not_selected_as_spf"
LOOKUP_COUNT_IS_LOWER_BOUND = "lookup_count_is_lower_bound"

DNS_LOOKUP_LIMIT = 10
VOID_LOOKUP_LIMIT = 2
MX_NAME_LIMIT = 10
# RFC 7208 3.4: keep the answer within a 512-octet UDP response, about 450 octets of record.
UDP_RECORD_OCTETS = 450


def first_error_kind(errors: tuple[Finding, ...] | list[Finding]) -> str | None:
    kinds = {f.kind for f in errors}
    return next((k for k in ERROR_PRIORITY if k in kinds), None)


def dedupe(findings: list[Finding]) -> tuple[Finding, ...]:
    seen: set[Finding] = set()
    result = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            result.append(finding)
    return tuple(result)

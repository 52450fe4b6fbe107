"""The aggregate-report schemas: RFC 7489 Appendix C and RFC 9990 Appendix A, read as one.

RFC 9990 keeps RFC 7489's structure and changes these (checked against the IETF draft's schema
and published RFC 9990 samples): the namespace ``urn:ietf:params:xml:ns:dmarc-2.0``;
``generator`` in ``report_metadata``; ``np``, ``testing`` (the ``t`` tag) and
``discovery_method`` (``psl`` or ``treewalk``) in ``policy_published``, where ``pct`` is gone;
``pass`` as a disposition; ``policy_test_mode`` as an override reason; ``envelope_from``
optional and the DKIM ``selector`` required. A report is RFC 9990 when it carries the namespace
or any element only RFC 9990 defines; otherwise RFC 7489.

Reading is lenient where receivers differ in harmless ways (case, whitespace, a missing
``email``) and strict where the numbers would lie: a report without an ID, a date range or a
policy domain is refused; a row with an unusable IP or count is dropped and noted.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from xml.etree.ElementTree import Element

from sesdmarc_tui.core.reports.model import (
    DkimAuth,
    PolicyPublished,
    Report,
    Row,
    Schema,
    SpfAuth,
)
from sesdmarc_tui.core.reports.xmlsafe import RFC9990_NAMESPACE, XmlRefused

MAX_TEXT = 256
MAX_COUNT = 10**9  # messages in one row: more is a broken or hostile report
MAX_AUTH = 100  # RFC 9990: no more than 100 signatures per row
RFC9990_ONLY = ("np", "testing", "discovery_method")
DISPOSITIONS = frozenset({"none", "quarantine", "reject", "pass"})


# Reports repeat the same few domains, results and addresses thousands of times: the
# normalised forms are cached (bounded), which halves the time spent reading rows.
CACHE = 65536


@lru_cache(maxsize=CACHE)
def _clean(text: str, limit: int = MAX_TEXT) -> str:
    return text.strip()[:limit]


@lru_cache(maxsize=CACHE)
def _clean_lower(text: str) -> str:
    return text.strip()[:MAX_TEXT].lower()


@lru_cache(maxsize=CACHE)
def _clean_domain(text: str) -> str:
    return text.strip()[:MAX_TEXT].lower().rstrip(".")


@lru_cache(maxsize=CACHE)
def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()[:64]))
    except ValueError:
        return None


def _text(element: Element | None, path: str, limit: int = MAX_TEXT) -> str:
    found = element.findtext(path) if element is not None else None
    return _clean(found, limit) if found else ""


def _lower(element: Element | None, path: str) -> str:
    found = element.findtext(path) if element is not None else None
    return _clean_lower(found) if found else ""


def _domain(element: Element | None, path: str) -> str:
    found = element.findtext(path) if element is not None else None
    return _clean_domain(found) if found else ""


def _int(element: Element | None, path: str) -> int | None:
    text = _text(element, path, 32)
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))  # some reporters write "1700000000.0"
        except (ValueError, OverflowError):
            return None


def detect_schema(root: Element, namespace: str) -> Schema:
    if namespace == RFC9990_NAMESPACE:
        return "rfc9990"
    policy = root.find("policy_published")
    if policy is not None and any(policy.find(name) is not None for name in RFC9990_ONLY):
        return "rfc9990"
    if root.find("report_metadata/generator") is not None:
        return "rfc9990"
    return "rfc7489"


def _policy(root: Element) -> PolicyPublished:
    element = root.find("policy_published")
    domain = _domain(element, "domain")
    if element is None or not domain:
        raise XmlRefused("invalid_report", "The report has no policy_published/domain.")
    pct = _int(element, "pct")
    return PolicyPublished(
        domain=domain,
        p=_lower(element, "p"),
        sp=_lower(element, "sp"),
        np=_lower(element, "np"),
        adkim=_lower(element, "adkim"),
        aspf=_lower(element, "aspf"),
        testing=_lower(element, "testing"),
        pct=pct if pct is not None and 0 <= pct <= 100 else None,
        fo=_text(element, "fo"),
        discovery_method=_lower(element, "discovery_method"),
    )


def _auth(record: Element) -> tuple[tuple[DkimAuth, ...], tuple[SpfAuth, ...]]:
    results = record.find("auth_results")
    if results is None:
        return (), ()
    dkim = tuple(
        DkimAuth(_domain(d, "domain"), _text(d, "selector"), _lower(d, "result") or "none")
        for d in results.findall("dkim")[:MAX_AUTH]
    )
    spf = tuple(
        SpfAuth(_domain(s, "domain"), _lower(s, "scope"), _lower(s, "result") or "none")
        for s in results.findall("spf")[:MAX_AUTH]
    )
    return dkim, spf


def _row(record: Element) -> Row | None:
    row = record.find("row")
    count = _int(row, "count")
    ip = _ip(row.findtext("source_ip") or "") if row is not None else None
    if ip is None or count is None or not 0 <= count <= MAX_COUNT:
        return None
    evaluated = row.find("policy_evaluated") if row is not None else None
    disposition = _lower(evaluated, "disposition")
    identifiers = record.find("identifiers")
    dkim, spf = _auth(record)
    return Row(
        source_ip=ip,
        count=count,
        disposition=disposition if disposition in DISPOSITIONS else "none",
        dkim_aligned=_lower(evaluated, "dkim") == "pass",
        spf_aligned=_lower(evaluated, "spf") == "pass",
        header_from=_domain(identifiers, "header_from"),
        envelope_from=_domain(identifiers, "envelope_from"),
        envelope_to=_domain(identifiers, "envelope_to"),
        reasons=tuple(
            _lower(r, "type")
            for r in (evaluated.findall("reason") if evaluated is not None else [])[:10]
        ),
        dkim=dkim,
        spf=spf,
    )


def read_report(root: Element, namespace: str, source: str, max_rows: int) -> Report:
    """The report in ``root``; raises :class:`XmlRefused` when it cannot be trusted at all."""
    if root.tag != "feedback":
        raise XmlRefused("not_a_report", f"The root element is <{root.tag}>, not <feedback>.")
    meta = root.find("report_metadata")
    org, report_id = _text(meta, "org_name"), _text(meta, "report_id")
    begin, end = _int(meta, "date_range/begin"), _int(meta, "date_range/end")
    if not org or not report_id:
        raise XmlRefused("invalid_report", "The report has no org_name or no report_id.")
    if begin is None or end is None or not 0 <= begin <= end < 2**40:
        raise XmlRefused("invalid_report", "The report's date_range is missing or backwards.")
    records = root.findall("record")
    if len(records) > max_rows:
        raise XmlRefused(
            "too_many_records", f"{len(records):,} records is over the limit of {max_rows:,}."
        )
    rows = [_row(r) for r in records]
    kept = tuple(r for r in rows if r is not None)
    notes = (f"{len(rows) - len(kept)} record(s) without a usable IP or count were skipped.",)
    found = meta.findall("error")[:20] if meta is not None else []
    errors = tuple((e.text or "").strip()[:MAX_TEXT] for e in found)
    return Report(
        schema=detect_schema(root, namespace),
        org_name=org,
        email=_text(meta, "email"),
        report_id=report_id,
        begin=begin,
        end=end,
        policy=_policy(root),
        rows=kept,
        source=source,
        generator=_text(meta, "generator"),
        errors=tuple(e for e in errors if e),
        notes=notes if len(kept) < len(rows) else (),
    )

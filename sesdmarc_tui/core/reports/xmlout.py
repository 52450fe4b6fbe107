"""A :class:`Report` written out as a receiver would send it, in either schema.

The sandbox uses this to send realistic reports, and the tests and the benchmark to make
inputs; ``parse_report(render_report(r))`` gives ``r`` back (apart from ``source``). RFC 7489
output has no namespace and carries ``pct``; RFC 9990 output has the ``dmarc-2.0`` namespace,
``generator``, ``np``, ``testing`` and ``discovery_method``, and no ``pct``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from sesdmarc_tui.core.reports.model import PolicyPublished, Report, Row
from sesdmarc_tui.core.reports.xmlsafe import RFC9990_NAMESPACE


def _el(name: str, value: object) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def _opt(name: str, value: str) -> str:
    return _el(name, value) if value else ""


def _policy(policy: PolicyPublished, rfc9990: bool) -> str:
    parts = [_el("domain", policy.domain)]
    if rfc9990:
        parts.append(_opt("discovery_method", policy.discovery_method))
    parts += [_opt("adkim", policy.adkim), _opt("aspf", policy.aspf), _el("p", policy.p)]
    parts.append(_el("sp", policy.sp or policy.p))
    if rfc9990:
        parts += [_opt("np", policy.np), _opt("testing", policy.testing)]
    else:
        parts.append(_el("pct", 100 if policy.pct is None else policy.pct))
    parts.append(_opt("fo", policy.fo))
    return "<policy_published>" + "".join(parts) + "</policy_published>"


def _row(row: Row, rfc9990: bool) -> str:
    reasons = "".join(f"<reason>{_el('type', r)}</reason>" for r in row.reasons)
    evaluated = (
        _el("disposition", row.disposition)
        + _el("dkim", "pass" if row.dkim_aligned else "fail")
        + _el("spf", "pass" if row.spf_aligned else "fail")
        + reasons
    )
    identifiers = _opt("envelope_to", row.envelope_to)
    if row.envelope_from or not rfc9990:
        identifiers += _el("envelope_from", row.envelope_from)
    identifiers += _el("header_from", row.header_from)
    auth = "".join(
        "<dkim>"
        + _el("domain", d.domain)
        + _el("selector", d.selector)
        + _el("result", d.result)
        + "</dkim>"
        for d in row.dkim
    ) + "".join(
        "<spf>"
        + _el("domain", s.domain)
        + _opt("scope", s.scope)
        + _el("result", s.result)
        + "</spf>"
        for s in row.spf
    )
    return (
        "<record><row>"
        + _el("source_ip", row.source_ip)
        + _el("count", row.count)
        + "<policy_evaluated>"
        + evaluated
        + "</policy_evaluated></row>"
        + "<identifiers>"
        + identifiers
        + "</identifiers>"
        + "<auth_results>"
        + auth
        + "</auth_results></record>"
    )


def render_report(report: Report) -> bytes:
    rfc9990 = report.schema == "rfc9990"
    meta = (
        _el("org_name", report.org_name)
        + _el("email", report.email)
        + _el("report_id", report.report_id)
        + "<date_range>"
        + _el("begin", report.begin)
        + _el("end", report.end)
        + "</date_range>"
        + "".join(_el("error", e) for e in report.errors)
        + (_opt("generator", report.generator) if rfc9990 else "")
    )
    root = f'<feedback xmlns="{RFC9990_NAMESPACE}">' if rfc9990 else "<feedback>"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + root
        + (_el("version", "1.0") if rfc9990 else "")
        + "<report_metadata>"
        + meta
        + "</report_metadata>"
        + _policy(report.policy, rfc9990)
        + "".join(_row(row, rfc9990) for row in report.rows)
        + "</feedback>\n"
    )
    return body.encode("utf-8")


def report_filename(report: Report, receiver: str, extension: str = "xml.gz") -> str:
    """RFC 9990's ``receiver!policy-domain!begin!end[!unique-id].extension``."""
    unique = "".join(c for c in report.report_id if c.isalnum())[:32]
    tail = f"!{unique}" if unique else ""
    return f"{receiver}!{report.policy.domain}!{report.begin}!{report.end}{tail}.{extension}"

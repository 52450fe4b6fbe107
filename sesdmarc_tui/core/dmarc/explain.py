"""One plain-language sentence per DMARC tag and value, for tables shown to operators."""

from __future__ import annotations

from sesdmarc_tui.core.dmarc.values import check_value, fo_parts

_POLICY = {
    "none": "deliver it as usual (monitoring only)",
    "quarantine": "treat it as suspicious, usually the spam folder",
    "reject": "refuse it",
}
_SUBJECT = {
    "p": "Mail from this domain that fails DMARC: receivers",
    "sp": "Mail from existing subdomains that fails DMARC: receivers",
    "np": "Mail from non-existent subdomains that fails DMARC: receivers",
}
_FO = {
    "0": "a failure report when every check fails",
    "1": "a failure report when any check fails",
    "d": "a report for each failed DKIM signature",
    "s": "a report for each SPF failure",
}
_FIXED = {
    ("adkim", "r"): "Relaxed DKIM alignment: a signature from any name in your organizational "
    "domain counts (what SES Easy DKIM needs for subdomains).",
    ("adkim", "s"): "Strict DKIM alignment: the signature's d= must equal the From domain exactly.",
    ("aspf", "r"): "Relaxed SPF alignment: a MAIL FROM under your organizational domain "
    "(such as mail.example.com) counts.",
    ("aspf", "s"): "Strict SPF alignment: the MAIL FROM domain must equal the From domain, "
    "which SES custom MAIL FROM never does.",
    ("t", "y"): "Test mode: RFC 9989 receivers apply the policy one level lower "
    "(RFC 7489 receivers ignore this tag).",
    ("t", "n"): "Not a test: the policy applies as written.",
    ("psd", "y"): "Declares a public suffix (for registry operators only).",
    ("psd", "n"): "This domain is an organizational domain, whatever records its parents have.",
    ("psd", "u"): "No statement about public suffixes (the default).",
}


def explain_tag(name: str, value: str) -> str:
    """A sentence for ``name=value`` (``value`` joined with commas for URI lists)."""
    key = name.lower()
    validity = check_value(key, value)
    if key not in ("v", "rua", "ruf") and not (validity.rfc9989 and validity.rfc7489):
        return "Not a valid value: receivers ignore it and use the default."
    if key == "v":
        return "Marks the TXT record as a DMARC policy; must come first and read exactly DMARC1."
    if key in _SUBJECT:
        return f"{_SUBJECT[key]} {_POLICY[value.lower()]}."
    if (key, value.lower()) in _FIXED:
        return _FIXED[(key, value.lower())]
    if key == "fo":
        wanted = " and ".join(_FO[p] for p in fo_parts(value.lower()))
        return f"Failure-report options: ask for {wanted} (only used with ruf)."
    if key == "rua":
        return "Daily aggregate reports (summaries of who sent mail as you) go to these addresses."
    if key == "ruf":
        return "Per-message failure reports go to these addresses; few receivers send them."
    if key == "pct":
        return (
            f"RFC 7489 receivers apply the policy to {value}% of failing mail; "
            "RFC 9989 receivers ignore pct and apply it to all."
        )
    if key == "rf":
        return "Failure-report format (RFC 7489 only; removed in RFC 9989)."
    if key == "ri":
        return "Requested report interval in seconds (RFC 7489 only; receivers send daily)."
    return "Not a DMARC tag: receivers ignore it."

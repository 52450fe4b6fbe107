"""The whole check offline: dkimpy through a StaticLookup, verdicts, findings and fixes."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.core.message.report import MessageReport
from sesdmarc_tui.dns.dkim_verify import check_message
from tests.unit.message._support import (
    BASE,
    add_header_top,
    key_name,
    replace_once,
    rsa_key,
    sign,
)

DMARC = "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
SES_RP = b"Return-Path: <0100018c-abc@us-east-1.amazonses.com>"


def dns(**extra: list[str]) -> StaticLookup:
    records = {
        (key_name("sel"), "TXT"): [rsa_key().record()],
        (key_name("ses", "amazonses.com"), "TXT"): [rsa_key("ses").record()],
        ("_dmarc.example.test", "TXT"): [DMARC],
    }
    for name, values in extra.items():
        records[(name.replace("__", "."), "TXT")] = values
    return StaticLookup(records)


def ar(*results: str, authserv: str = "mx.google.com") -> bytes:
    return f"Authentication-Results: {authserv}; {'; '.join(results)}".encode()


def status(report: MessageReport, check: str) -> list[str]:
    return [f.status for f in report.findings if f.check == check]


def messages(report: MessageReport) -> str:
    return "\n".join(f"{f.status} {f.message} | {f.fix}" for f in report.findings)


def test_all_good_is_ok_and_every_key_present() -> None:
    signed = sign(sign(BASE, rsa_key()), rsa_key("ses"), selector="ses", domain="amazonses.com")
    message = add_header_top(
        signed,
        ar(
            "dkim=pass header.i=@example.test",
            "dkim=pass header.i=@amazonses.com",
            "spf=pass smtp.mailfrom=bounce@mail.example.test",
            "dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.test",
        ),
    )
    report = check_message(message, dns(), trusted_authserv_id="mx.google.com")
    assert report.verdict == "ok", messages(report)
    assert [s.outcome.d for s in report.signatures] == ["amazonses.com", "example.test"]
    assert report.dmarc.ours == report.dmarc.receiver == "pass"
    assert report.spf.custom_mail_from_active is True and report.assumptions == ()
    assert report.to_json()["authentication_results"]["aligned"] == {"dkim": True, "spf": True}


def test_only_amazonses_signed_and_return_path_on_amazonses() -> None:
    signed = sign(
        replace_once(BASE, b"Return-Path: <bounce@mail.example.test>", SES_RP),
        rsa_key("ses"),
        selector="ses",
        domain="amazonses.com",
    )
    message = add_header_top(
        signed,
        ar(
            "dkim=pass header.i=@amazonses.com",
            "spf=pass smtp.mailfrom=0100018c-abc@us-east-1.amazonses.com",
            "dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=example.test",
        ),
    )
    report = check_message(message, dns())
    text = messages(report)
    assert (
        "error only amazonses.com signed | Easy DKIM is not active for this identity yet; see the DKIM step."
        in text
    )
    assert "Return-Path on amazonses.com: custom MAIL FROM is not active" in text
    assert "see the MAIL FROM step" in text
    assert report.spf.custom_mail_from_active is False
    assert report.dmarc.ours == "fail" and report.dmarc.disposition == "reject"
    assert report.dmarc.receiver_disposition == "reject"
    assert report.verdict == "error"
    assert all(f.fix for f in report.findings if f.status in ("warn", "error"))


def test_spf_alone_keeps_dmarc_passing_and_dkim_problem_is_a_warning() -> None:
    message = add_header_top(
        BASE,
        ar(
            "spf=pass smtp.mailfrom=bounce@mail.example.test", "dmarc=pass header.from=example.test"
        ),
    )
    report = check_message(message, dns())
    assert report.dmarc.ours == "pass" and status(report, "dkim") == ["warn"]
    assert report.verdict == "warn"


def test_expected_mail_from_mismatch() -> None:
    message = add_header_top(
        sign(BASE, rsa_key()), ar("spf=pass smtp.mailfrom=b@bounce.example.test")
    )
    report = check_message(message, dns(), expected_mail_from="mail.example.test")
    assert "MAIL FROM is bounce.example.test, not the expected mail.example.test" in messages(
        report
    )
    assert report.spf.custom_mail_from_active is False
    assert (
        "the receiver checked SPF for bounce.example.test while Return-Path is mail.example.test"
        in messages(report)
    )


def test_receiver_spf_softfail_gets_a_fix() -> None:
    message = add_header_top(
        sign(BASE, rsa_key()), ar("spf=softfail smtp.mailfrom=bounce@mail.example.test")
    )
    report = check_message(message, dns())
    spf = next(f for f in report.findings if f.check == "spf")
    assert spf.status == "warn" and "include:amazonses.com" in (spf.fix or "")


def test_no_dmarc_record() -> None:
    lookup = StaticLookup({(key_name("sel"), "TXT"): [rsa_key().record()]})
    report = check_message(sign(BASE, rsa_key()), lookup)
    assert (
        report.dmarc.ours == "none"
        and "Publish a DMARC record at _dmarc.example.test" in messages(report)
    )


def test_dns_errors_make_dmarc_temperror() -> None:
    lookup = StaticLookup(
        {(key_name("sel"), "TXT"): [rsa_key().record()]},
        errors={("_dmarc.example.test", "TXT"): "SERVFAIL"},
    )
    report = check_message(sign(BASE, rsa_key()), lookup)
    assert report.dmarc.ours == "temperror" and report.verdict == "error"


def test_receiver_disagreement_is_reported() -> None:
    changed = replace_once(sign(BASE, rsa_key()), b"this is the wizard", b"THIS is the wizard")
    message = add_header_top(
        changed, ar("dkim=pass header.i=@example.test", "dmarc=pass header.from=example.test")
    )
    report = check_message(message, dns())
    assert report.dmarc.ours == "fail" and report.dmarc.receiver == "pass"
    assert "says dmarc=pass, our check says fail" in messages(report)
    assert "changed after the receiver checked it" in messages(report)


def test_multiple_from_headers_is_a_verdict() -> None:
    message = replace_once(BASE, b"To:", b"From: mallory@evil.test\r\nTo:")
    report = check_message(message, dns())
    assert report.from_domain is None and report.dmarc.ours is None
    assert "2 From headers" in messages(report) and report.verdict == "error"
    json = report.to_json()
    assert json["signatures"] == [] and json["dkim_aligned_pass_relaxed"] is False


def test_headers_only_uses_the_receivers_dkim_for_our_dmarc() -> None:
    message = add_header_top(
        sign(BASE, rsa_key()),
        ar("dkim=pass header.i=@example.test", "spf=none", "dmarc=pass header.from=example.test"),
    )
    headers = message.split(b"\r\n\r\n", 1)[0]
    report = check_message(headers, dns())
    assert report.signatures[0].outcome.reason == "not_checkable"
    assert report.dmarc.ours == "pass" and report.dmarc.basis.startswith(
        "DKIM results from mx.google.com"
    )
    assert any("receiver's DKIM results" in n for n in report.notes)


def test_microsoft_header_is_used() -> None:
    message = add_header_top(
        sign(BASE, rsa_key()),
        b"Authentication-Results: spf=pass (sender IP is 54.240.8.1) smtp.mailfrom=mail.example.test; "
        b"dkim=pass (signature was verified) header.d=example.test;dmarc=pass action=none "
        b"header.from=example.test;compauth=pass reason=100",
    )
    report = check_message(message, dns(), trusted_authserv_id="microsoft")
    receiver = report.to_json()["authentication_results"]
    assert receiver["authserv_id"] is None and receiver["spf"]["domain"] == "mail.example.test"
    assert receiver["dkim"] == [{"domain": "example.test", "header.i": None, "result": "pass"}]
    assert receiver["dmarc"]["result"] == "pass" and receiver["disposition"] == "none"


def test_forged_lower_header_is_ignored_and_said() -> None:
    forged = ar(
        "dkim=pass header.i=@example.test", "spf=pass smtp.mailfrom=x@example.test", "dmarc=pass"
    )
    real = ar(
        "dkim=pass header.i=@example.test",
        "spf=fail smtp.mailfrom=bounce@mail.example.test",
        "dmarc=pass",
    )
    message = add_header_top(add_header_top(sign(BASE, rsa_key()), forged), real)
    report = check_message(message, dns(), trusted_authserv_id="mx.google.com")
    assert report.spf.receiver_result == "fail"
    assert len(report.ignored) == 1 and "forged" in report.ignored[0].why
    assert "Authentication-Results #2 ignored" in messages(report)


def test_psl_and_tree_walk_differences_are_noted() -> None:
    # psd=n makes sub.example.test its own organizational domain under the RFC 9989 tree walk,
    # while RFC 7489 receivers (Public Suffix List) still say example.test.
    lookup = StaticLookup(
        {
            (key_name("sel"), "TXT"): [rsa_key().record()],
            ("_dmarc.sub.example.test", "TXT"): ["v=DMARC1; p=none; psd=n"],
            ("_dmarc.example.test", "TXT"): [DMARC],
        }
    )
    message = replace_once(BASE, b"alice@example.test", b"alice@sub.example.test")
    report = check_message(sign(message, rsa_key()), lookup)
    assert report.dmarc.org_domain_tree_walk == "sub.example.test"
    assert report.dmarc.org_domain_psl == "example.test"
    assert report.dmarc.note is not None and "Public Suffix List" in report.dmarc.note
    assert report.signatures[0].aligned_relaxed is False
    assert any("d=example.test aligns with sub.example.test by the PSL" in n for n in report.notes)


@pytest.mark.parametrize("data", [b"", b"\x00" * 10, b"From: a@example.test\r\n"])
def test_odd_inputs_give_a_verdict(data: bytes) -> None:
    report = check_message(data, dns())
    assert report.verdict in ("warn", "error")
    assert report.to_json()["findings"]


def test_no_authentication_results_is_null_with_a_warning() -> None:
    report = check_message(sign(BASE, rsa_key()), dns())
    assert report.to_json()["authentication_results"] is None
    assert status(report, "authentication_results") == ["warn"]
    assert report.spf.mail_from_source == "return-path"


def test_microsoft_bestguesspass_is_not_a_disagreement() -> None:
    message = add_header_top(
        sign(BASE, rsa_key()),
        b"Authentication-Results: spf=pass (sender IP is 54.240.8.1) smtp.mailfrom=mail.example.test;"
        b" dkim=pass (signature was verified) header.d=example.test;dmarc=bestguesspass "
        b"action=none header.from=example.test;compauth=pass reason=109",
    )
    report = check_message(message, dns())
    assert "the receiver reports dmarc=bestguesspass" in messages(report)
    assert "says dmarc" not in messages(report)


def test_signatures_beyond_the_cap_are_listed_not_verified() -> None:
    signed = sign(BASE, rsa_key())
    signature = signed[: signed.index(b"Return-Path")]
    report = check_message(signature * 21 + signed, dns())
    reasons = [s.outcome.reason for s in report.signatures]
    assert len(reasons) == 22 and reasons[:20] == ["pass"] * 20
    assert reasons[20:] == ["not_checkable", "not_checkable"]
    assert [s.outcome.index for s in report.signatures] == list(range(22))
    assert "only the first 20 signatures" in messages(report)

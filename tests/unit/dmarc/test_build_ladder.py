"""The canonical builder, canonical rebuild, the staging ladder and tag explanations."""

from __future__ import annotations

import pytest

from sesdmarc_tui.core.dmarc import (
    LADDER,
    build_dmarc,
    canonical_dmarc,
    detect_stage,
    explain_tag,
    get_stage,
    lint_dmarc,
    next_stage,
    parse_dmarc,
    stage_record,
)


def test_canonical_form() -> None:
    record = build_dmarc(
        "Reject", sp="quarantine", np="reject", rua=["dmarc@example.com"], adkim="r", aspf="r"
    )
    assert record == (
        "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=r; aspf=r; "
        "rua=mailto:dmarc@example.com"
    )


def test_minimal_record() -> None:
    assert build_dmarc() == "v=DMARC1; p=none"


def test_every_option() -> None:
    record = build_dmarc(
        "quarantine",
        sp="reject",
        np="reject",
        adkim="s",
        aspf="s",
        t=True,
        psd="n",
        fo="1:d",
        rua=["mailto:a@example.com", "b@example.com"],
        ruf="mailto:f@example.com",
        pct=0,
        rf="afrf",
        ri=86400,
    )
    assert record.startswith("v=DMARC1; p=quarantine; ")
    parsed = parse_dmarc(record)
    assert parsed.valid and parsed.valid_rfc7489
    assert parsed.tags_json()["rua"] == ["mailto:a@example.com", "mailto:b@example.com"]  # type: ignore[index]
    assert lint_dmarc(record).verdict == "warn"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"p": "block"},
        {"sp": "x"},
        {"np": ""},
        {"adkim": "relaxed"},
        {"t": "yes"},
        {"psd": "q"},
        {"fo": "0:1"},
        {"fo": "1 :d"},
        {"rua": ["not an address"]},
        {"rua": ["mailto:a@example.com!10m"]},
        {"ruf": ["mailto:@example.com"]},
        {"pct": 101},
        {"pct": True},
        {"rf": "iodef"},
        {"ri": -1},
    ],
)
def test_bad_arguments_raise_value_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build_dmarc(**kwargs)  # type: ignore[arg-type]


def test_canonical_rebuild_drops_invalid_and_fixes_form() -> None:
    record = parse_dmarc("V=DMARC1 ; rua = mailto:d@example.com!10m ; P=Reject; adkim=x; foo=1")
    assert canonical_dmarc(record) == "v=DMARC1; p=reject; rua=mailto:d@example.com"
    assert canonical_dmarc(parse_dmarc("nope")) is None
    assert canonical_dmarc(parse_dmarc("v=DMARC1; rua=mailto:d@example.com")) == (
        "v=DMARC1; p=none; rua=mailto:d@example.com"
    )


# --- ladder ------------------------------------------------------------------------------------

EXPECTED = {
    1: "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
    2: "v=DMARC1; p=quarantine; t=y; pct=0; rua=mailto:dmarc@example.com",
    3: "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
    4: "v=DMARC1; p=reject; t=y; pct=0; rua=mailto:dmarc@example.com",
    5: "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
}


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_stage_records_match_the_reference_table(number: int) -> None:
    record = stage_record(number, ["mailto:dmarc@example.com"])
    assert record == EXPECTED[number]
    assert detect_stage(record) == LADDER[number - 1]
    assert lint_dmarc(record).verdict in ("ok", "warn")


def test_stage_dispositions_agree_between_rfcs() -> None:
    assert [(s.rfc7489, s.rfc9989) for s in LADDER] == [
        ("none", "none"),
        ("none", "none"),
        ("quarantine", "quarantine"),
        ("quarantine", "quarantine"),
        ("reject", "reject"),
    ]
    for stage in LADDER:
        assert stage.explanation and stage.consequence and stage.advance_when


def test_stage_lookup_and_next() -> None:
    assert get_stage("test_reject").number == 4
    assert next_stage(get_stage(1)) == get_stage(2)
    assert next_stage(get_stage(5)) is None
    with pytest.raises(ValueError):
        get_stage(6)


def test_stage_record_keeps_subdomain_policy() -> None:
    record = stage_record("monitor", ["dmarc@example.com"], sp="reject", np="reject")
    assert record == "v=DMARC1; p=none; sp=reject; np=reject; rua=mailto:dmarc@example.com"


@pytest.mark.parametrize(
    "text",
    [
        "v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.com",  # legacy sampling
        "v=DMARC1; p=reject; t=y; rua=mailto:d@example.com",  # a test only at 9989 receivers
        "v=DMARC1; p=reject; pct=0; rua=mailto:d@example.com",  # a test only at 7489 receivers
        "not dmarc",
        "v=DMARC1; p=rejct",
    ],
)
def test_records_between_stages(text: str) -> None:
    assert detect_stage(text) is None


def test_p_none_is_monitor_whatever_else() -> None:
    assert detect_stage("v=DMARC1; p=none; t=y; pct=0") == LADDER[0]


# --- explanations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("v", "DMARC1", "first"),
        ("p", "none", "monitoring"),
        ("p", "quarantine", "spam"),
        ("p", "reject", "refuse"),
        ("sp", "reject", "existing subdomains"),
        ("np", "reject", "non-existent"),
        ("adkim", "r", "Relaxed"),
        ("adkim", "s", "Strict"),
        ("aspf", "s", "never"),
        ("aspf", "r", "mail.example.com"),
        ("fo", "1:d", "any check fails"),
        ("rua", "mailto:a@example.com", "aggregate"),
        ("ruf", "mailto:a@example.com", "failure"),
        ("t", "y", "one level lower"),
        ("t", "n", "as written"),
        ("psd", "y", "public suffix"),
        ("psd", "n", "organizational domain"),
        ("psd", "u", "default"),
        ("pct", "25", "25%"),
        ("rf", "afrf", "RFC 7489 only"),
        ("ri", "86400", "interval"),
        ("p", "rejct", "Not a valid value"),
        ("pct", "abc", "Not a valid value"),
        ("zzz", "1", "Not a DMARC tag"),
    ],
)
def test_explanations(name: str, value: str, needle: str) -> None:
    assert needle in explain_tag(name, value)

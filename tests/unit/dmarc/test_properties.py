"""Properties: build then parse is the identity; lint never raises; built records never error."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.dmarc import build_dmarc, lint_dmarc, parse_dmarc
from sesdmarc_tui.core.dmarc.findings import ERROR_KINDS

POLICY = st.sampled_from(["none", "quarantine", "reject"])
ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
LABEL = st.builds(
    lambda a, mid, b: a + mid + b if mid else a,
    st.text(ALNUM, min_size=1, max_size=6),
    st.text(ALNUM + "-", max_size=4),
    st.text(ALNUM, min_size=1, max_size=3),
)
DOMAIN = st.builds(lambda a, b: f"{a}.{b}", LABEL, st.sampled_from(["com", "net", "org", "co.uk"]))
LOCAL = st.builds(
    lambda a, b: a + b, st.text(ALNUM, min_size=1, max_size=8), st.text(ALNUM + "._+-", max_size=8)
)
MAILTO = st.builds(lambda local, domain: f"mailto:{local}@{domain}", LOCAL, DOMAIN)
FO = st.sampled_from(["0", "1", "d", "s", "0:d", "1:d:s", "s:1", "d:s"])


@st.composite
def build_args(draw: st.DrawFn) -> dict[str, Any]:
    args: dict[str, Any] = {"p": draw(POLICY)}
    optional = {
        "sp": POLICY,
        "np": POLICY,
        "adkim": st.sampled_from(["r", "s"]),
        "aspf": st.sampled_from(["r", "s"]),
        "t": st.sampled_from(["y", "n"]),
        "psd": st.sampled_from(["y", "n", "u"]),
        "fo": FO,
        "pct": st.integers(0, 100),
        "rf": st.just("afrf"),
        "ri": st.integers(0, 2**32 - 1),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            args[name] = draw(strategy)
    args["rua"] = draw(st.lists(MAILTO, max_size=3))
    args["ruf"] = draw(st.lists(MAILTO, max_size=2))
    return args


def expected_tags(args: dict[str, Any]) -> dict[str, Any]:
    tags: dict[str, Any] = {"v": "DMARC1"}
    for name, value in args.items():
        if name in ("rua", "ruf"):
            if value:
                tags[name] = list(value)
        else:
            tags[name] = str(value)
    return tags


@settings(max_examples=200, deadline=None)
@given(build_args())
def test_build_then_parse_is_identity(args: dict[str, Any]) -> None:
    record = parse_dmarc(build_dmarc(**args))
    assert record.tags_json() == expected_tags(args)
    assert record.valid and record.valid_rfc7489


@settings(max_examples=200, deadline=None)
@given(build_args())
def test_built_records_never_lint_as_error(args: dict[str, Any]) -> None:
    text = build_dmarc(**args)
    result = lint_dmarc(text)
    assert result.verdict in ("ok", "warn"), result.errors
    # canonical form: none of the form warnings
    kinds = {f.kind for f in result.warnings}
    assert not kinds & {"noncanonical_whitespace", "noncanonical_tag_case", "unknown_tag_ignored"}


def _check_lint(text: str) -> None:
    result = lint_dmarc(text)
    payload = result.to_json()
    assert payload["verdict"] in ("ok", "warn", "error")
    assert {e["kind"] for e in payload["errors"]} <= ERROR_KINDS
    assert (payload["verdict"] == "error") == bool(payload["errors"])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_lint_never_raises_on_any_text(text: str) -> None:
    _check_lint(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("v=DMARC1;pnrsqautxy:,!@.mailto \t-0\x00\udcff")),
        max_size=200,
    )
)
def test_lint_never_raises_on_near_records(text: str) -> None:
    _check_lint(text)
    _check_lint("v=DMARC1; " + text)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=20), st.integers(500, 2000))
def test_lint_never_raises_on_huge_repetitions(chunk: str, times: int) -> None:
    _check_lint("v=DMARC1; " + chunk * times)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=100))
def test_lint_never_raises_on_control_characters(text: str) -> None:
    _check_lint(text)
    _check_lint("v=DMARC1; p=none; rua=mailto:" + text)

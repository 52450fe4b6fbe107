"""A small mutation fuzzer as hypothesis strategies: valid seeds, then a few edits each.

Random text rarely gets past the first check of a parser; a valid value with one byte flipped,
a control character or NUL inserted, a label duplicated or a 20,000-character run pasted in
reaches the checks behind it. Hypothesis shrinks a failure to the fewest edits.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

# Characters that have broken parsers before: controls, NUL, bidi and zero-width marks, a lone
# surrogate (undecodable argv bytes), full-width dots, quoting and separators.
NASTY = (
    "\x00",
    "\n",
    "\r\n",
    "\t",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u202e",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\udcff",
    "\u3002",
    "\uff0e",
    "é",
    "ß",
    "\U0001f4a9",
    "\\",
    '"',
    "'",
    "%",
    "{",
    "}",
    "[",
    "]",
    "$(",
    "`",
    "..",
    "@",
    ",",
    ";",
    "=",
    "*",
    "?",
    "/",
    ":",
    "#",
    "xn--",
    "mailto:",
    "arn:aws:",
    " ",
)
LONG_RUNS = (64, 255, 1_000, 20_000)
TEXT_OPS = ("flip", "insert", "nasty", "delete", "truncate", "duplicate", "run", "case", "join")
BYTE_OPS = ("flip", "insert", "delete", "truncate", "duplicate", "run", "lf", "nul")


def _spot(draw: st.DrawFn, size: int) -> int:
    return draw(st.integers(0, size))


@st.composite
def mutated_text(
    draw: st.DrawFn, seeds: Sequence[str], max_edits: int = 4, runs: Sequence[int] = LONG_RUNS
) -> str:
    """One of ``seeds`` after 1..``max_edits`` random edits."""
    text = draw(st.sampled_from(list(seeds)))
    for _ in range(draw(st.integers(1, max_edits))):
        op = draw(st.sampled_from(TEXT_OPS))
        at = _spot(draw, len(text))
        if op == "flip" and text:
            at = min(at, len(text) - 1)
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        elif op == "nasty":
            text = text[:at] + draw(st.sampled_from(NASTY)) + text[at:]
        elif op == "delete":
            end = _spot(draw, len(text))
            text = text[: min(at, end)] + text[max(at, end) :]
        elif op == "truncate":
            text = text[:at]
        elif op == "duplicate":
            end = _spot(draw, len(text))
            piece = text[min(at, end) : max(at, end)]
            text = text[:at] + piece + text[at:]
        elif op == "run":
            char = draw(st.sampled_from(["a", "9", ".", "-", "_", "*", "ü", "\x00", " ", ","]))
            text = text[:at] + char * draw(st.sampled_from(list(runs))) + text[at:]
        elif op == "case":
            text = text.swapcase()
        else:  # join two seeds: a value pasted twice, or two fields run together
            text = text[:at] + draw(st.sampled_from(list(seeds))) + text[at:]
    return text


@st.composite
def mutated_bytes(
    draw: st.DrawFn, seeds: Sequence[bytes], max_edits: int = 4, runs: Sequence[int] = LONG_RUNS
) -> bytes:
    """One of ``seeds`` after 1..``max_edits`` random byte edits."""
    data = bytearray(draw(st.sampled_from(list(seeds))))
    for _ in range(draw(st.integers(1, max_edits))):
        op = draw(st.sampled_from(BYTE_OPS))
        at = _spot(draw, len(data))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            end = _spot(draw, len(data))
            del data[min(at, end) : max(at, end)]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate":
            end = _spot(draw, len(data))
            data[at:at] = data[min(at, end) : max(at, end)]
        elif op == "run":
            data[at:at] = draw(st.sampled_from([b"a", b"\x00", b"\xff", b"[", b"\n"])) * draw(
                st.sampled_from(list(runs))
            )
        elif op == "lf":
            data = bytearray(bytes(data).replace(b"\r\n", b"\n"))
        else:
            data[at:at] = b"\x00"
    return bytes(data)

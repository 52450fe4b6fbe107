"""TXT character-strings: splitting into 255-octet strings and the zone-file presentation form.

A TXT RR holds one or more character-strings of at most 255 octets each; receivers of SPF, DKIM
and DMARC records join them with nothing in between (RFC 7208 s3.3, RFC 6376 s3.6.2.2, RFC 9989
s4.5). The rest of the code base handles the joined text only; this module converts at the edges.
"""

from __future__ import annotations

TXT_STRING_OCTETS = 255  # RFC 1035 s3.3: a character-string is a length octet plus data


class RecordError(ValueError):
    """A record that cannot be published as given; ``hint`` says what to change."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


def txt_octets(value: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError(
            f"The TXT value {value[:40]!r} contains characters that cannot be encoded.",
            "Remove the unpaired surrogate characters (they usually come from a bad paste).",
        ) from None


def split_txt(value: str) -> list[str]:
    """Split TXT text into character-strings of at most 255 UTF-8 octets.

    ``"".join(result) == value`` always. Receivers concatenate the strings without adding
    anything (RFC 7208 s3.3), so a split inside an SPF term, or one that moves the separating
    space out of the strings, corrupts the record: the split is made just after the last space
    that fits, unless the word it would protect is longer than 255 octets itself (a DKIM key),
    which is cut where the string is full. No cut falls inside a multi-byte character.
    """
    txt_octets(value)
    if not value:
        return [""]
    chunks: list[str] = []
    start = 0
    n = len(value)
    while start < n:
        size = 0
        end = start
        last_space = -1
        while end < n:
            width = len(value[end].encode("utf-8"))
            if size + width > TXT_STRING_OCTETS:
                break
            size += width
            if value[end] == " ":
                last_space = end
            end += 1
        if end < n and last_space >= start:
            # A word longer than one string (a DKIM key) is cut anyway: cut it where the string
            # is full, instead of leaving a short string before it.
            word_end = value.find(" ", end)
            word = value[last_space + 1 : n if word_end < 0 else word_end]
            if len(word.encode("utf-8")) <= TXT_STRING_OCTETS:
                end = last_space + 1
        chunks.append(value[start:end])
        start = end
    return chunks


def escape_octets(data: bytes, *, octal: bool = False) -> str:
    """Escape ``"`` and ``\\``, and octets outside printable ASCII as three digits.

    Zone files (RFC 1035) use decimal ``\\DDD``; Route 53's API documents octal ``\\ooo``.
    """
    out: list[str] = []
    for byte in data:
        if byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}" if octal else f"\\{byte:03d}")
    return "".join(out)


def _escape_decimal(data: bytes) -> str:
    return escape_octets(data)


def txt_presentation(value: str) -> str:
    """RFC 1035 zone-file form: ``"chunk1" "chunk2"`` with ``\\"``, ``\\\\`` and ``\\DDD``."""
    return " ".join(f'"{_escape_decimal(c.encode("utf-8"))}"' for c in split_txt(value))


def parse_character_strings(text: str, *, base: int = 10) -> list[bytes]:
    """Parse presentation character-strings (quoted or bare) into their octets.

    ``base`` 10 reads RFC 1035 ``\\DDD``; 8 reads the ``\\ooo`` octal escapes of Route 53.
    Outside quotes, parentheses group lines and ``;`` starts a comment, as in a zone file.
    Strings longer than 255 octets are accepted: operators paste them, and the caller re-splits.
    """
    digits = "01234567" if base == 8 else "0123456789"
    strings: list[bytes] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n()":
            i += 1
            continue
        if c == ";":
            while i < n and text[i] != "\n":
                i += 1
            continue
        quoted = c == '"'
        if quoted:
            i += 1
        buf = bytearray()
        while True:
            if i >= n:
                if quoted:
                    raise RecordError(
                        f"The TXT value {text[:40]!r} has an unterminated quoted string.",
                        'Close every string with a " character.',
                    )
                break
            c = text[i]
            if quoted and c == '"':
                i += 1
                break
            if not quoted and (c in ' \t\r\n();"'):
                break
            if c == "\\":
                if i + 1 >= n:
                    raise RecordError(f"The TXT value {text[:40]!r} ends with a lone backslash.")
                nxt = text[i + 1]
                if nxt in digits:
                    code = text[i + 1 : i + 4]
                    if len(code) != 3 or any(d not in digits for d in code):
                        raise RecordError(
                            f"Bad escape \\{code} in TXT value.",
                            "Numeric escapes have exactly three digits.",
                        )
                    number = int(code, base)
                    if number > 255:
                        raise RecordError(f"Escape \\{code} is larger than 255.")
                    buf.append(number)
                    i += 4
                    continue
                try:
                    buf += nxt.encode("utf-8")
                except UnicodeEncodeError:
                    raise RecordError("The TXT value contains an unencodable character.") from None
                i += 2
                continue
            try:
                buf += c.encode("utf-8")
            except UnicodeEncodeError:
                raise RecordError("The TXT value contains an unencodable character.") from None
            i += 1
        strings.append(bytes(buf))
    return strings


def join_character_strings(strings: list[bytes], text: str) -> str:
    """Decode parsed character-strings as the UTF-8 text they join to; ``text`` is for errors."""
    if not strings:
        raise RecordError(f"{text!r} holds no TXT character-string.", 'Write it as "value".')
    try:
        return b"".join(strings).decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError(
            f"The TXT value {text[:40]!r} does not decode as UTF-8.",
            "Check the numeric escapes.",
        ) from None


def parse_txt_presentation(text: str) -> str:
    """The joined text of a zone-file TXT value; inverse of ``txt_presentation``."""
    return join_character_strings(parse_character_strings(text, base=10), text)

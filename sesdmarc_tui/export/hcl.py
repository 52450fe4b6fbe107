"""HCL text for the Terraform export: quoted strings, TXT values, heredocs, labels.

Terraform interpolates ``${`` and ``%{`` inside every string and heredoc, so literal text has
them doubled; references are inserted afterwards, as they are the only interpolation wanted.
"""

from __future__ import annotations

import re

from sesdmarc_tui.core.txt import split_txt

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """``text`` as the inside of an HCL quoted string, interpolation sequences made literal."""
    out: list[str] = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return literal_template("".join(out))


def literal_template(text: str) -> str:
    return text.replace("${", "$${").replace("%{", "%%{")


def string(text: str) -> str:
    return f'"{escape(text)}"'


def txt_value(value: str) -> str:
    """A TXT value for ``aws_route53_record.records``: the provider adds the outer quotes, and
    a value longer than 255 octets is given as its strings joined by ``\\"\\"``, as the
    provider's documentation asks (the split never falls inside a UTF-8 character)."""
    return '"' + '\\"\\"'.join(escape(chunk) for chunk in split_txt(value)) + '"'


def label(text: str, prefix: str = "") -> str:
    """A resource or data label: letters, digits and underscores, not starting with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower() or "x"
    name = f"{prefix}{cleaned}"
    return name if not name[0].isdigit() else f"_{name}"


def heredoc(text: str, indent: str = "  ") -> str:
    """``<<-EOT`` with ``text`` (already escaped) indented under the attribute."""
    body = "\n".join(f"{indent}  {line}" if line else "" for line in text.splitlines())
    return f"<<-EOT\n{body}\n{indent}EOT"

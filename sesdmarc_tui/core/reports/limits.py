"""How much untrusted input one reading may consume: bytes, rows, documents and time.

Aggregate reports come from anyone who can send mail to the reports address, so every bound is
explicit. The defaults fit real reports with a wide margin (the largest receivers send a few
megabytes of XML a day for busy domains) and stop hostile ones early. Collection (files, S3,
archives) applies the byte limits before anything is decompressed in full; the parser applies
the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_xml_bytes: int = 32 * MIB  # one report document, after decompression
    max_rows: int = 200_000  # <record> elements in one report
    max_input_bytes: int = 64 * MIB  # one file, S3 object or message as read
    max_expanded_bytes: int = 256 * MIB  # everything one input decompresses to, in total
    max_ratio: int = 200  # decompressed/compressed; gzip of real XML stays far below it
    max_members: int = 1_000  # files in one zip, attachments in one message, messages in an mbox
    max_depth: int = 3  # archives inside archives inside messages
    max_documents: int = 100_000  # reports in one reading
    time_budget: float = 600.0  # seconds for one reading; what is left is reported, not read


DEFAULT_LIMITS = Limits()

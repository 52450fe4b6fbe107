"""Untrusted XML to an element tree with defusedxml: no entities, no external references.

An entity declaration ("billion laughs", quadratic blow-up) or an external reference is
refused before anything is expanded. Size is checked before parsing; expat's cost is linear in
the input, so the size bound is also the time bound for one document. Namespaces are dropped
after parsing (RFC 9990 reports use ``urn:ietf:params:xml:ns:dmarc-2.0``, RFC 7489 reports
none), and the root's namespace is returned for schema detection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from sesdmarc_tui.core.reports.model import ProblemKind

RFC9990_NAMESPACE = "urn:ietf:params:xml:ns:dmarc-2.0"


class XmlRefused(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Parsed:
    root: Element
    namespace: str
    replaced_invalid_utf8: bool = False


def _fromstring(data: bytes) -> Any:
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)


def _strip(root: Element) -> str:
    """Drop the root's namespace from every tag in it; extensions keep theirs, so an
    extension's element never passes for a report element of the same local name."""
    tag = root.tag if isinstance(root.tag, str) else ""
    if not tag.startswith("{"):
        return ""
    prefix = tag[: tag.index("}") + 1]
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix) :]
    return prefix[1:-1]


def parse_xml(data: bytes, max_bytes: int) -> Parsed:
    """The root element of ``data``; raises :class:`XmlRefused` with a kind and a reason."""
    from defusedxml import (  # type: ignore[import-untyped]
        DefusedXmlException,
        EntitiesForbidden,
    )

    if len(data) > max_bytes:
        raise XmlRefused(
            "too_large", f"{len(data):,} bytes of XML is over the limit of {max_bytes:,}."
        )
    replaced = False
    try:
        try:
            root = _fromstring(data)
        except ParseError:
            repaired = data.decode("utf-8", "replace").encode("utf-8")
            if repaired == data:
                raise
            root = _fromstring(repaired)  # some reporters send Latin-1 names as "UTF-8"
            replaced = True
    except EntitiesForbidden:
        raise XmlRefused(
            "entities_refused",
            "The XML declares entities (an entity-expansion attack, or not a DMARC report).",
        ) from None
    except DefusedXmlException as exc:
        raise XmlRefused(
            "entities_refused", f"The XML was refused: {type(exc).__name__}."
        ) from None
    except ParseError as exc:
        raise XmlRefused("malformed_xml", f"Not well-formed XML: {exc}.") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise XmlRefused("malformed_xml", f"Unreadable XML: {type(exc).__name__}.") from None
    if not isinstance(root, Element):
        raise XmlRefused("malformed_xml", "The XML has no root element.")
    return Parsed(root, _strip(root), replaced)

"""Exports of a setup: DNS records (BIND zone snippet, CSV), Terraform, CloudFormation.

``facts`` gathers what a session or a config says about the setup (no AWS or DNS call); the
other modules only render it.
"""

from __future__ import annotations

from collections.abc import Callable

from sesdmarc_tui.export.facts import ExportError, SetupFacts, build_facts

FORMATS = ("zone", "csv", "terraform", "cloudformation")


def render(facts: SetupFacts, fmt: str) -> str:
    """The export in ``fmt`` (one of :data:`FORMATS`)."""
    from sesdmarc_tui.export.cloudformation import cloudformation_json
    from sesdmarc_tui.export.records import csv_text, zone_snippet
    from sesdmarc_tui.export.terraform import terraform

    renderers: dict[str, Callable[[SetupFacts], str]] = {
        "zone": zone_snippet,
        "csv": csv_text,
        "terraform": terraform,
        "cloudformation": cloudformation_json,
    }
    return renderers[fmt](facts)


__all__ = ["FORMATS", "ExportError", "SetupFacts", "build_facts", "render"]

"""The DNS records as a BIND zone-file snippet and as CSV (``core.render`` does the rendering).

Records are grouped by the zone they live in, each group under its own ``$ORIGIN``; names stay
absolute, so a snippet pasted under any origin still means the same names. The zone file
carries the export's notes as ``;`` comments; CSV has no place for them (the CLI prints them).
"""

from __future__ import annotations

from sesdmarc_tui.core.render import to_csv, to_zone_lines
from sesdmarc_tui.export.facts import SetupFacts


def zone_snippet(facts: SetupFacts) -> str:
    lines = [f"; DNS records for the Amazon SES setup of {facts.domain} ({facts.region})."]
    lines += [f"; {note}" for note in facts.notes]
    zones = list(dict.fromkeys(r.zone for r in facts.records))
    for zone in zones:
        records = [r.record for r in facts.records if r.zone == zone]
        lines.append("")
        lines += to_zone_lines(records, origin=zone)
    return "\n".join(lines) + "\n"


def csv_text(facts: SetupFacts) -> str:
    return to_csv(r.record for r in facts.records)

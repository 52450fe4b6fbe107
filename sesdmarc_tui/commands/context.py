"""What every command receives from the top-level group: DNS servers and output choices."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from sesdmarc_tui.core.lookup import Lookup


@dataclass
class CliContext:
    nameservers: list[tuple[str, int]] = field(default_factory=list)
    timeout: float = 3.0
    _lookup: Lookup | None = None

    def lookup(self) -> Lookup:
        """The DNS lookup for this command (``--nameserver`` servers only, when given)."""
        if self._lookup is None:
            from sesdmarc_tui.dns.lookup import make_lookup

            self._lookup = make_lookup(self.nameservers, self.timeout)
        return self._lookup


def get_context() -> CliContext:
    ctx = click.get_current_context()
    obj = ctx.find_object(CliContext)
    if obj is None:
        obj = CliContext()
        ctx.obj = obj
    return obj

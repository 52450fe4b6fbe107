"""Shared output conventions: JSON on stdout; exit 0 (fine or warnings), 1 (errors), 2 (usage)."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False))


def usage_error(message: str) -> NoReturn:
    """A one-line error with the fix, exit code 2, never a traceback."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def finish(has_errors: bool) -> NoReturn:
    sys.exit(EXIT_FINDINGS if has_errors else EXIT_OK)


def console() -> Any:
    """A rich console for human output (imported lazily: rich costs start-up time)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)

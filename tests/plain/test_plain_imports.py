"""Only the line mode imports questionary, and nothing imports the line mode.

The import-linter contract lets ``sesdmarc_tui.plain.**`` import questionary; that exception
is safe only while no other engine module imports ``sesdmarc_tui.plain`` (the CLI loads it by
name, through ``sesdmarc_tui.frontends``), which is checked here on the real import graph.
"""

from __future__ import annotations

import subprocess
import sys

import grimp


def test_nothing_outside_plain_imports_it() -> None:
    graph = grimp.build_graph("sesdmarc_tui", "screens")
    plain = {
        m for m in graph.modules if m == "sesdmarc_tui.plain" or m.startswith("sesdmarc_tui.plain.")
    }
    importers = {
        importer
        for module in plain
        for importer in graph.find_modules_that_directly_import(module)
        if importer not in plain
    }
    assert importers == set()


def test_the_cli_loads_without_questionary() -> None:
    code = (
        "import sys, sesdmarc_tui.cli, sesdmarc_tui.commands.cleanup, sesdmarc_tui.frontends;"
        "print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["False", "False"]

"""No ``if demo`` in the product: the sandbox only hands it endpoints, profiles, DNS and a clock.

Everything under ``sesdmarc_tui/`` except the sandbox itself, the CLI's command table and the
demo command is parsed (so comments and docstrings that talk about the demo do not count) and
checked for demo-mode switches, for the sandbox or moto being imported, and for environment
variables that would turn a demo mode on. "The SES sandbox" (``in_sandbox``, an account state
AWS reports) is a real AWS concept and stays allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import sesdmarc_tui

PACKAGE = Path(sesdmarc_tui.__file__).parent
EXEMPT = ("sandbox/", "cli.py", "commands/demo.py")
DEMO_NAMES = frozenset(
    {
        "demo",
        "is_demo",
        "in_demo",
        "demo_mode",
        "sandbox_mode",
        "is_sandbox",
        "offline_mode",
        "use_sandbox",
        "sandboxed",
    }
)
FORBIDDEN_IMPORTS = ("moto", "sesdmarc_tui.sandbox")


def product_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith(EXEMPT):
            yield path


def _names(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        elif isinstance(child, ast.arg | ast.keyword) and child.arg:
            yield child.arg


def _suspects(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(what, where) for each place a demo switch could hide."""
    if isinstance(node, ast.If | ast.IfExp | ast.While | ast.Assert):
        yield "branches on", node.test
    elif isinstance(node, ast.BoolOp | ast.Compare):
        yield "tests", node
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        yield "takes", node.args


def problems(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            found.extend(
                f"{where}: imports {m}" for m in modules if m and m.startswith(FORBIDDEN_IMPORTS)
            )
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and ("SESDMARC_DEMO" in node.value or "MOTO_" in node.value)
        ):
            found.append(f"{where}: reads {node.value!r}")
        for what, part in _suspects(node):
            hits = sorted(DEMO_NAMES.intersection(_names(part)))
            if hits:
                found.append(f"{where}: {what} {', '.join(hits)}")
    return sorted(set(found))


def test_the_scan_covers_the_product() -> None:
    scanned = {p.relative_to(PACKAGE).as_posix() for p in product_files()}
    assert {"aws/ses.py", "core/records.py"} <= scanned
    assert not any(name.startswith(EXEMPT) for name in scanned)


def test_the_scan_catches_a_demo_branch(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""No ``if demo`` here, says the docstring."""\n'
        "import moto\n\n"
        "def send(ctx, status, demo=False):\n"
        "    if status.in_sandbox:  # the SES sandbox: fine\n"
        "        pass\n"
        "    if ctx.demo_mode or demo:\n"
        "        return None\n",
        encoding="utf-8",
    )
    assert problems(sample, tmp_path) == [
        "sample.py:2: imports moto",
        "sample.py:4: takes demo",
        "sample.py:7: branches on demo, demo_mode",
        "sample.py:7: tests demo, demo_mode",
    ]


def test_no_demo_branch_in_the_product() -> None:
    found = [problem for path in product_files() for problem in problems(path)]
    assert found == [], "\n".join(found)

"""Find a front end by name, so that the engine never imports one.

The Textual screens (``screens/``) and the line mode (``sesdmarc_tui/plain/``) both import the
engine; the engine must not import them back (an import-linter contract says so). The CLI
therefore names the front end's entry function here and imports it only when the operator
starts a wizard, which also keeps ``sesdmarc check`` from paying for Textual.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol, cast

if TYPE_CHECKING:
    from sesdmarc_tui.flow.context import FlowContext
    from sesdmarc_tui.flow.state import SessionState

FrontEnd = Literal["textual", "plain"]

# module, function, and the distribution whose absence explains an ImportError.
_ENTRY: dict[FrontEnd, tuple[str, str, str]] = {
    "textual": ("screens.run", "run_wizard", "textual"),
    "plain": ("sesdmarc_tui.plain.run", "run_wizard", "questionary"),
}


class RunWizard(Protocol):
    def __call__(
        self,
        ctx: FlowContext | Callable[[], FlowContext],
        state: SessionState | None = None,
        *,
        resume: bool | None = None,
    ) -> int: ...


class FrontEndMissing(Exception):
    """The front end cannot be imported (a partial install); the message says what to do."""


def load(kind: FrontEnd) -> RunWizard:
    module_name, attr, package = _ENTRY[kind]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise FrontEndMissing(
            f"The {kind} front end cannot start: {exc}. Reinstall sesdmarc-tui "
            f"(pip install --force-reinstall sesdmarc-tui) so that {package} is present."
        ) from exc
    return cast(RunWizard, getattr(module, attr))


def launch(
    kind: FrontEnd,
    ctx: FlowContext | Callable[[], FlowContext],
    state: SessionState | None = None,
) -> int:
    """Run the wizard in the chosen front end until the operator quits; the exit status."""
    return load(kind)(ctx, state)

"""The Textual app: bindings, palette, themes, and which step screen is showing.

Thin on purpose: each step's layout is its own screen (``screens.steps``) and every engine call
runs in a worker there. The app keeps what the screens share: the ``Wizard``, the live status
of every step (for the sidebars), the board's round source, and the troubleshoot checker.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.worker import Worker, WorkerState

from assets import asset
from screens.messages import ShowStep, StatusesRefreshed
from screens.starting import StartingScreen, WizardReady, WizardSource
from screens.themes import DARK, THEMES, other_theme

if TYPE_CHECKING:
    from textual.command import Provider

    from screens.board_source import RoundSource
    from screens.reports import Reader
    from screens.steps.troubleshoot import Checker
    from sesdmarc_tui.flow.engine import Wizard
    from sesdmarc_tui.flow.model import StepStatus

TROUBLESHOOT = "troubleshoot"
APP_GROUPS = {
    "startup": "start",
    "statuses": "read the step statuses",
    "export": "export",
    "nav": "open the step",
    "resume": "resume the saved setup",
}
# The wizard could not start at all: shown, then the app ends with this status.
START_FAILED = 1


def wizard_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (textual.command is
    one of Textual's heavier modules, and the first frame does not need it)."""
    from screens.commands import WizardCommands

    return WizardCommands


class SesdmarcApp(App[int]):
    TITLE = "sesdmarc"
    CSS_PATH = str(asset("sesdmarc.tcss"))
    COMMANDS = App.COMMANDS | {wizard_commands}
    # The default is our dark theme from the start: setting it on mount would re-parse every
    # CSS rule (about 30 ms) before the first frame.
    theme: Reactive[str] = Reactive(DARK)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help", tooltip="Help for this step"),
        Binding("ctrl+p", "command_palette", "Palette", id="app.palette"),
        Binding("ctrl+y", "copy", "Copy", id="app.copy", tooltip="Copy the selected value"),
        Binding("b", "previous_step", "Back", id="app.back"),
        Binding("n", "next_step", "Next", id="app.next"),
        Binding("ctrl+left", "previous_step", "Back", id="app.back_alt", show=False),
        Binding("ctrl+right", "next_step", "Next", id="app.next_alt", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        wizard: Wizard | WizardSource,
        *,
        rounds: RoundSource | None = None,
        checker: Checker | None = None,
        reports_reader: Reader | None = None,
        resume: bool = False,
        board_interval: float = 2.0,
        blink: bool = True,
        theme: str = DARK,
    ) -> None:
        """``wizard`` may be a function that builds it: it then runs in a worker while the
        starting screen shows, so the first frame does not wait for the engine."""
        super().__init__()
        self._source: WizardSource | None = wizard if callable(wizard) else None
        self._wizard: Wizard | None = None if callable(wizard) else wizard
        self.rounds = rounds
        self.checker = checker
        self.reports_reader = reports_reader
        self.resume = resume
        self.board_interval = board_interval
        self.blink = blink
        self.initial_theme = theme
        for known in THEMES:
            self.register_theme(known)
        # Textual computed the CSS variables before our themes existed; nothing is parsed yet,
        # so giving it the right ones now costs nothing.
        self.stylesheet.set_variables(self.get_css_variables())
        if theme != self.theme:
            self.theme = theme  # costs a re-parse of every rule; the default theme does not
        self.data_dir: Path | None = None
        self.statuses: dict[str, StepStatus] = {}
        self.last_copied = ""

    @property
    def ready(self) -> bool:
        return self._wizard is not None

    @property
    def wizard(self) -> Wizard:
        if self._wizard is None:
            raise RuntimeError("The wizard is still starting.")
        return self._wizard

    def on_mount(self) -> None:
        if self._wizard is not None:
            self._wizard_ready(WizardReady(self._wizard))
            return
        self.push_screen(StartingScreen())

    @on(StartingScreen.Painted)
    def _starting_painted(self) -> None:
        # The build imports the engine in a thread; started before the first frame is out, it
        # would hold the GIL while Textual renders it.
        self._build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="build")
    def _build(self) -> None:
        assert self._source is not None
        self.post_message(WizardReady(self._source()))

    @on(WizardReady)
    def _wizard_ready(self, message: WizardReady) -> None:
        from screens.steps import screen_for

        wizard = self._wizard = message.wizard
        if wizard.ctx.on_notice is None:
            wizard.ctx.on_notice = self._aws_notice
        if self.rounds is None:
            from screens.board_source import flow_rounds

            self.rounds = flow_rounds(wizard.ctx)
        self.data_dir = wizard.ctx.state_dir
        first = screen_for(wizard.current.id)
        if len(self.screen_stack) > 1:
            self.switch_screen(first)  # the starting screen goes
        else:
            self.push_screen(first)
        # Reading statuses imports boto3 and calls AWS in a thread; holding the GIL during the
        # first frame would delay it, so it waits until the screen is painted.
        self.call_after_refresh(self.start_up)

    def _aws_notice(self, text: str) -> None:
        """An AWS retry (throttling, a 5xx, a dropped connection), from any thread."""
        show = partial(self.notify, text, title="AWS", severity="warning", markup=False)
        try:
            self.call_from_thread(show)
        except RuntimeError:  # already on the app's thread
            show()

    # -- statuses and resume ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="startup")
    def start_up(self) -> None:
        if self.resume:
            step = self.wizard.resume()
            self.post_message(ShowStep(step.id))
        self._post_statuses()

    @work(thread=True, exclusive=True, exit_on_error=False, group="resume")
    def resume_saved(self, domain: str) -> None:
        """Continue the saved setup for ``domain`` (same account and region) instead."""
        from sesdmarc_tui.flow.engine import Wizard

        found = self.wizard.offer(domain)
        if found is None:
            return
        wizard = Wizard.from_saved(self.wizard.ctx, found.path)
        wizard.resume()  # the current step is now the first one not done
        self.post_message(WizardReady(wizard))

    def refresh_statuses(self) -> None:
        self._statuses_worker()

    @work(thread=True, exclusive=True, exit_on_error=False, group="statuses")
    def _statuses_worker(self) -> None:
        self._post_statuses()

    def _post_statuses(self) -> None:
        self.post_message(StatusesRefreshed({s.id: st for s, st in self.wizard.checklist()}))

    @on(StatusesRefreshed)
    def _statuses(self, message: StatusesRefreshed) -> None:
        from screens.widgets.step_sidebar import StepSidebar

        self.statuses = message.statuses
        for screen in self.screen_stack:
            for sidebar in screen.query(StepSidebar):
                sidebar.show_statuses(self.statuses)

    @on(ShowStep)
    def _show_step(self, message: ShowStep) -> None:
        current = self.step_screen()
        if current is None or current.step_id != message.step_id:
            self.show_step(message.step_id)

    # -- navigation ---------------------------------------------------------------------------

    def step_screen(self) -> Any:
        from screens.steps.base import StepScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, StepScreen):
                return screen
        return None

    def show_step(self, step_id: str) -> None:
        if not self.ready:
            return
        if step_id == TROUBLESHOOT:
            self.action_troubleshoot()
            return
        self._navigate(step_id)

    @work(exclusive=True, group="nav", exit_on_error=False)
    async def _navigate(self, step_id: str) -> None:
        from screens.steps import screen_for
        from screens.steps.base import StepScreen

        # Modals and Troubleshoot close first: the step screen is the one to replace.
        while len(self.screen_stack) > 2 and not isinstance(self.screen, StepScreen):
            await self.pop_screen()
        if isinstance(self.screen, StepScreen) and self.screen.step_id == step_id:
            return  # already there: a new screen would drop what the operator typed
        await self.switch_screen(screen_for(step_id))

    def _neighbour(self, offset: int) -> str | None:
        from screens.steps.base import StepScreen

        screen = self.screen
        if not isinstance(screen, StepScreen):
            return None  # a modal or Troubleshoot is on top: n and b mean nothing there
        if screen.busy:
            self.notify("Wait for the current action to finish.", markup=False)
            return None
        ids = [s.id for s in self.wizard.steps]
        index = ids.index(screen.step_id) + offset
        return ids[index] if 0 <= index < len(ids) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide Next and Back where they mean nothing (Troubleshoot, dialogs)."""
        if action in ("next_step", "previous_step"):
            if not self.ready:
                return False  # the footer asks during the first frame: no step screen to import
            from screens.steps.base import StepScreen

            return isinstance(self.screen, StepScreen)
        return True

    def action_next_step(self) -> None:
        target = self._neighbour(+1)
        if target is not None:
            self.show_step(target)

    def action_previous_step(self) -> None:
        target = self._neighbour(-1)
        if target is not None:
            self.show_step(target)

    def action_troubleshoot(self) -> None:
        from screens.steps.troubleshoot import TroubleshootScreen, context_checker

        if not self.ready:
            self.notify("The wizard is still starting.", markup=False)
            return
        if self.checker is None:
            self.checker = context_checker(self.wizard)
        state = self.wizard.state
        self.push_screen(TroubleshootScreen(self.checker, state.domain or "", state.region or ""))

    def action_reports(self) -> None:
        """The Reports screen; when it closes, the verdict panels show the new reading."""
        from screens.reports import ReportsScreen, wizard_reader
        from screens.widgets.readiness import ReadinessPanel
        from sesdmarc_tui.flow.reports.reading import default_source

        if not self.ready:
            self.notify("The wizard is still starting.", markup=False)
            return
        if self.reports_reader is None:
            self.reports_reader = wizard_reader(self.wizard)

        def closed(_: None) -> None:
            for screen in self.screen_stack:
                for panel in screen.query(ReadinessPanel):
                    panel.show_verdict()

        source = default_source(self.wizard.state)
        self.push_screen(ReportsScreen(self.reports_reader, source), closed)

    # -- help, copy, theme --------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.widgets.help_screen import HelpScreen

        help_id = str(getattr(self.screen, "help_id", "") or "overview")
        keys = [
            (self.get_key_display(b.binding), b.binding.description)
            for b in self.screen.active_bindings.values()
            if b.binding.show and b.binding.description
        ]
        self.push_screen(HelpScreen(help_id, keys))

    def action_copy(self) -> None:
        from screens.copy import copy_text

        payload = getattr(self.screen, "copy_payload", lambda: None)()
        if payload is None:
            self.notify("Nothing to copy on this screen.", markup=False)
            return
        copy_text(self, *payload)

    def action_copy_all(self) -> None:
        from screens.widgets.records_table import RecordsTable

        tables = [t for t in self.screen.query(RecordsTable) if t.records]
        if not tables:
            self.notify("This step has no records to copy.", markup=False)
            return
        tables[0].action_copy_all()

    def action_show_copied(self) -> None:
        from screens.copy import CLIPBOARD_FILE, data_dir
        from screens.widgets.copied_screen import CopiedScreen

        self.push_screen(CopiedScreen(self.last_copied, data_dir(self) / CLIPBOARD_FILE))

    def action_toggle_theme(self) -> None:
        self.theme = other_theme(self.theme)

    # -- exports ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_report(self) -> None:
        from screens.copy import data_dir
        from screens.export import write_report

        paths = write_report(self.wizard, data_dir(self))
        self.notify(
            "Report written to " + " and ".join(str(p) for p in paths),
            title="Exported",
            markup=False,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_records(self) -> None:
        from screens.copy import data_dir
        from screens.export import write_records

        paths = write_records(self.wizard, data_dir(self))
        text = ", ".join(str(p) for p in paths) if paths else "no records yet"
        self.notify(f"Records written: {text}", title="Exported", markup=False)

    @on(Worker.StateChanged)
    def _app_worker_failed(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if event.state is not WorkerState.ERROR or group not in (*APP_GROUPS, "build"):
            return
        from screens.widgets.error_panel import ErrorScreen, describe_error

        if group == "build":
            info = describe_error(event.worker.error or RuntimeError("unknown"), "start")
            self.push_screen(ErrorScreen(info), lambda _: self.exit(return_code=START_FAILED))
            return

        info = describe_error(event.worker.error or RuntimeError("unknown"), APP_GROUPS[group])
        message = f"{info.message} {info.remedy}".strip()
        self.notify(message, title=info.title, severity="error", markup=False, timeout=10)

"""What the step menu's entries do: apply, wait, the board, details, the message check, go to.

Apply confirms first whenever something will be written (the plan with every DNS value kept,
removed and added), runs in a worker that Ctrl-C stops between two actions, shows what was
done, checks the step again, and waits for the live status where the Textual screen polls it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from sesdmarc_tui.flow.model import FlowError, Plan, Progress
from sesdmarc_tui.plain.menu import should_wait
from sesdmarc_tui.plain.mode import FINISHED, LineMode
from sesdmarc_tui.plain.render import confirm_view, error_text, preview_panel, report_view
from sesdmarc_tui.plain.work import Interrupted, run_work
from sesdmarc_tui.report.facts import glyph, safe

if TYPE_CHECKING:
    from sesdmarc_tui.plain.step import StepPage

WAIT_SECONDS = 900.0
MORE = "More to do: review the new plan and apply again."
READING_SAVED = "Reading the saved setup…"
READING_STATUS = "Reading every step's status…"


def _progress(mode: LineMode) -> Progress:
    def progress(text: str, _fraction: float | None = None) -> None:
        mode.console.print(safe(f"  {text}", "dim"))

    return progress


def apply(page: StepPage, plan: Plan) -> str | None:
    mode, wizard, step_id = page.mode, page.wizard, page.step_id
    if plan.writes:
        mode.console.print(confirm_view(plan))
        if not mode.prompter.confirm("Apply these changes?", default=False):
            mode.console.print(Text("Nothing was changed.", style="dim"))
            return None
    try:
        report = run_work(
            mode.console,
            "Applying…",
            lambda: wizard.apply(step_id, plan, _progress(mode)),
            cancel=wizard.cancel,
        )
    except FlowError as exc:
        if exc.kind == "resumable":
            return offer_resume(page, plan, exc)
        page.fail(exc)
        return None
    mode.console.print(report_view(report))
    page.refreshed()
    if page.plan is not None and page.plan.writes:
        mode.console.print(Text(MORE, style="bold"))
    elif should_wait(page.view()):
        wait(page)
    elif any(a.kind == "dns_change" for a in plan.actions):
        board(page)  # where the records just published can be seen already
    if step_id == wizard.steps[-1].id and wizard.state.finished:
        finished(mode)
        return FINISHED
    return None


def wait(page: StepPage) -> None:
    mode, wizard, step_id = page.mode, page.wizard, page.step_id
    mode.console.print(Text("Waiting for the live status (Ctrl-C stops waiting).", style="dim"))
    try:
        status = run_work(
            mode.console,
            "Waiting…",
            lambda: wizard.wait_until_done(step_id, WAIT_SECONDS, _progress(mode)),
            cancel=wizard.cancel,
        )
    except Interrupted:
        mode.console.print(Text("Stopped waiting; nothing was changed.", style="dim"))
        return
    except FlowError as exc:
        page.fail(exc)
        return
    if status.kind in ("done", "attention"):
        page.refreshed()  # the facts change with the status (DKIM SUCCESS)
        if page.inspection is not None and page.inspection.records:
            board(page)
    else:
        page.status = status
        page.show_status()


def board(page: StepPage) -> None:
    from sesdmarc_tui.plain.board import board_view

    zone, found = page.zone(), page.inspection
    if zone is None or found is None or not found.records:
        return
    records = found.records
    try:
        round_ = run_work(
            page.mode.console,
            "Asking every name server and resolver…",
            lambda: page.mode.boards.round(zone, records),
        )
    except Exception as exc:  # discovery or network failures: shown, never fatal
        message = str(getattr(exc, "message", "") or exc)
        page.mode.console.print(error_text(message, title="DNS round failed"))
        return
    page.mode.console.print(board_view(round_))


def details(mode: LineMode, plan: Plan) -> None:
    for preview in plan.previews:
        mode.console.print(preview_panel(preview))


def offer_resume(page: StepPage, plan: Plan, error: FlowError) -> str | None:
    """A saved setup exists for this account, region and domain: resume it or start over."""
    from sesdmarc_tui.flow.engine import Wizard

    mode = page.mode
    domain = getattr(plan.inspection, "domain", None)
    mode.console.print(error_text(error.message, error.remedy, title="Saved setup found"))
    if not isinstance(domain, str):
        return None
    choice = mode.prompter.select(
        "What now?",
        [
            ("resume", "Resume the saved setup", "Continue where it stopped."),
            ("over", "Start over", "The saved setup is kept aside under a new name."),
            ("back", "Go back", "Nothing is changed."),
        ],
        "resume",
    )
    if choice == "resume":
        old = page.wizard

        def load() -> Wizard:
            found = old.offer(domain)
            if found is None:
                return old
            wizard = Wizard.from_saved(old.ctx, found.path)
            wizard.resume()
            return wizard

        mode.wizard = run_work(mode.console, READING_SAVED, load)
        return mode.wizard.current.id
    if choice == "over":
        run_work(mode.console, "", lambda: page.wizard.start_over(domain))
        return apply(page, plan)
    return None


def verify(page: StepPage) -> None:
    from sesdmarc_tui.report.message import render_message_report

    mode, wizard = page.mode, page.wizard
    options = []
    if wizard.ctx.mailbox is not None:
        options.append(("fetch", "Fetch it from the mailbox", ""))
    options += [
        ("file", "Read it from a file (.eml)", ""),
        ("paste", "Paste the headers or the whole message", ""),
        ("back", "Go back", ""),
    ]
    how = mode.prompter.select("Which message?", options, options[0][0])
    raw: bytes | None = None
    if how == "back":
        return
    if how == "file":
        path = Path(mode.prompter.text("File").strip()).expanduser()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            mode.console.print(error_text(f"{path}: {exc.strerror}", title="Cannot read"))
            return
    elif how == "paste":
        text = mode.prompter.multiline("Message").strip()
        raw = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    try:
        report = run_work(
            mode.console, "Checking DKIM, SPF and DMARC…", lambda: wizard.verify_message(raw)
        )
    except FlowError as exc:
        page.fail(exc)
        return
    render_message_report(report, mode.console)
    page.refreshed()


def go_to(mode: LineMode) -> str | None:
    wizard = mode.wizard
    checklist = run_work(mode.console, READING_STATUS, wizard.checklist)
    levels = {"done": "ok", "current": "info", "todo": "info", "attention": "error"}
    options = [
        (step.id, f"{glyph(levels[st.kind]).plain} {step.title}: {st.message}", st.remedy)
        for step, st in checklist
    ]
    return mode.prompter.select("Go to", options, wizard.state.current_step)


def finished(mode: LineMode) -> None:
    wizard = mode.wizard
    mode.console.print()
    mode.console.print(Text.assemble(glyph("ok"), (" Setup finished.", "bold")))
    mode.console.print(safe(f"Session file: {wizard.state_path}", "dim"))
    mode.console.print(safe(f"Audit log: {wizard.audit_path}", "dim"))

"""Headless apply as lines of text: each step, its plan, what was done, its status, the end.

Plain lines (styled only on a terminal, through click) so that a log file or a CI job reads
well; every value that may come from DNS or AWS goes through ``safe_text`` first. Progress is
shown while waiting (DKIM can take long), not for every action, which already has its line.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from sesdmarc_tui.core.dmarc.findings import safe_text
from sesdmarc_tui.flow.model import ActionResult, Plan, StepStatus
from sesdmarc_tui.headless.outcome import ApplyOutcome

Echo = Callable[[str], None]
STATUS_MARK = {"done": "ok", "current": "..", "todo": "--", "attention": "!!"}


def _indent(text: str, prefix: str = "      ") -> list[str]:
    return [prefix + safe_text(line) for line in text.rstrip("\n").splitlines()]


class PrintListener:
    """Prints as the run goes; ``dry_run`` also shows each plan's previews (diffs, policy)."""

    def __init__(self, echo: Echo, *, dry_run: bool = False) -> None:
        self.echo, self.dry_run = echo, dry_run
        self.in_wait = False

    def step(self, step_id: str, title: str) -> None:
        self.in_wait = False
        self.echo(click.style(f"== {safe_text(title)}", bold=True))

    def waiting(self, step_id: str, title: str) -> None:
        self.in_wait = True
        self.echo(click.style(f"== {safe_text(title)}: waiting", bold=True))

    def plan(self, plan: Plan) -> None:
        verb = "would" if self.dry_run else "will"
        for action in plan.actions:
            self.echo(f"  {verb}: {safe_text(action.description)}")
            self.echo(click.style(f"      {safe_text(action.call)}", dim=True))
        for blocker in plan.blockers:
            self.echo(click.style(f"  blocked: {safe_text(blocker.value)}", fg="red"))
            if blocker.remedy:
                self.echo(f"      fix: {safe_text(blocker.remedy)}")
        for note in plan.notes:
            if note.level in ("warn", "error") or self.dry_run:
                self.echo(f"  note: {safe_text(note.label)}: {safe_text(note.value)}")
        if self.dry_run and not plan.empty:
            for preview in plan.previews:
                self.echo(f"  {safe_text(preview.title)}:")
                for line in _indent(preview.text):
                    self.echo(line)

    def progress(self, message: str, fraction: float | None = None) -> None:
        if self.in_wait:
            self.echo(click.style(f"  ... {safe_text(message)}", dim=True))

    def result(self, result: ActionResult) -> None:
        mark = click.style("done", fg="green") if result.ok else click.style("FAILED", fg="red")
        detail = f" ({safe_text(result.message)})" if result.message else ""
        self.echo(f"  {mark}: {safe_text(result.action.description)}{detail}")

    def status(self, step_id: str, status: StepStatus) -> None:
        mark = STATUS_MARK.get(status.kind, status.kind)
        self.echo(f"  [{mark}] {safe_text(status.message)}")
        if status.remedy and status.kind != "done":
            self.echo(f"      {safe_text(status.remedy)}")

    def note(self, text: str) -> None:
        self.echo(f"  {safe_text(text)}")


def summary_lines(outcome: ApplyOutcome) -> list[str]:
    """The closing lines: what changed (or would), what is pending, where the files are."""
    lines = [""]
    if outcome.error is not None:
        error = outcome.error
        where = f" ({error.step})" if error.step else ""
        lines.append(click.style(f"Stopped{where}: {safe_text(error.message)}", fg="red"))
        if error.remedy:
            lines.append(f"  Fix: {safe_text(error.remedy)}")
    elif outcome.dry_run:
        if outcome.nothing_to_do:
            lines.append("Nothing to do: the setup already matches the config.")
        else:
            count = outcome.planned_writes
            lines.append(f"Dry run: {count} change(s) planned now; nothing was changed.")
            later = [s.title for s in outcome.in_state("after_earlier")]
            if later:
                lines.append(f"  Planned after those have run: {', '.join(later)}.")
    elif outcome.nothing_to_do:
        lines.append("Nothing to do: the setup already matches the config.")
    else:
        lines.append(f"Applied: {outcome.writes} change(s) made.")
    for item in outcome.in_state("pending", "not_started"):
        why = item.status.message if item.status is not None else "not started yet"
        lines.append(f"  Pending: {item.title}: {safe_text(why)}")
    for item in outcome.in_state("to_check"):
        for message in item.messages or ["waiting for you"]:
            lines.append(f"  To do: {item.title}: {safe_text(message)}")
    if outcome.in_state("pending", "not_started") and outcome.error is None:
        lines.append("  Run the same command again to continue; nothing done is repeated.")
    if outcome.session:
        lines.append(f"Session: {outcome.session}")
    if outcome.audit and not outcome.dry_run:
        lines.append(f"Audit log: {outcome.audit}")
    return lines

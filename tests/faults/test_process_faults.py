"""Process faults: two wizards on one setup, stale locks, a full disk, links, modes, kills.

Every case is one row of ``CASES`` (id, fault, what the tool does), which the README's
reliability table is made from; each test names the rows it proves. The engine runs on the
in-memory world of the flow tests (``tests/flow/fakes.py``), so the engine's own saves, audit
lines and lock are real while AWS and DNS cost nothing. A second wizard is a real second
process (a short Python child taking the lock), because the lock is the operating system's.
Real SIGINT and SIGKILL against `sesdmarc apply` at every writing step are in
``tests/headless/test_apply_interrupt.py``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import socket
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from sesdmarc_tui.flow import lock
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import FlowError
from sesdmarc_tui.flow.state import StateError
from sesdmarc_tui.plain.run import NOT_KEPT, run_line_mode
from tests.faults.process_support import (
    HOLDER,
    INPUTS,
    STEPS,
    THROUGH_DKIM_CONFIRM,
    Killed,
    apply_once,
    interrupt_at,
    kill_at_first_write,
    lock_path,
    run_through,
    wizard_through_accounts,
)
from tests.flow.fakes import (
    DOMAIN,
    OWNER,
    REGION,
    FakeProvider,
    FakeSes,
    FakeZone,
    World,
    fake_context,
    ready_wizard,
)
from tests.support.piped import answered, flat, recording_console

ROOT = Path(__file__).resolve().parents[2]
# (id, fault, what the tool does): the README's reliability table.
CASES: list[tuple[str, str, str]] = [
    ("second-wizard", "a second wizard (or `apply`) on the same account, region and domain",
     "refused before any write, told the holder's front end, pid, host and start time, and "
     "how to stop it"),
    ("holder-on-other-host", "the lock is held from another host (shared home directory)",
     "refused, naming that host: a process there cannot be checked from here"),
    ("released-exit", "the holder quits normally", "the setup is free at once"),
    ("released-error", "the holder ends on an error", "the setup is free at once"),
    ("released-sigint", "the holder gets Ctrl-C (SIGINT)", "the setup is free at once"),
    ("released-sigkill", "the holder is killed (SIGKILL)",
     "the setup is free at once: the kernel drops an flock with its process"),
    ("stale-orphan", "the holder died but a child it started still has the lock file open",
     "the dead holder is recognised on this host and the lock taken over safely"),
    ("front-end-release", "the line mode or `apply` ends by Ctrl-C, an error or quitting",
     "it gives the lock back before returning"),
    ("disk-full-state", "the disk is full when the session is saved after a change",
     "a readable error naming the file; the previous session file intact; resuming "
     "finishes without repeating the change"),
    ("disk-full-audit", "the disk is full when the audit line is appended",
     "a readable error naming the log; earlier lines intact; resuming finishes without "
     "repeating the change"),
    ("modes", "state dir and sessions dir pre-exist 0755, audit log 0644",
     "directories tightened to 0700 and files to 0600 (it is sesdmarc's own directory: "
     "refusing would stop the operator without protecting more)"),
    ("symlink-state", "the session file is a symbolic link",
     "refused, never followed; the link's target is untouched"),
    ("symlink-audit", "the audit log is a symbolic link",
     "refused before the change is made, never followed; the target is untouched"),
    ("kill-before-write", "the wizard dies just before a step's first write (each step)",
     "resuming makes every change once; a test email whose send was under way is not sent "
     "again without the operator's yes"),
    ("kill-after-write", "the wizard dies after a write, before recording it (each step)",
     "resuming finds the change live and does not repeat it; the test email, which SES "
     "cannot be asked about, is not sent again: the step says it may have gone out and "
     "offers 'Send again?'"),
    ("apply-sigint-each-step", "Ctrl-C (SIGINT) during each writing step of `sesdmarc apply`",
     "the write in flight finishes and is recorded, then exit 130; the same command again "
     "completes with no change made twice, the test email sent once"),
    ("wizard-sigint-each-step", "Ctrl-C during each writing step of the wizard (line mode)",
     "the write in flight finishes and is recorded, the wizard stops; resuming the saved "
     "session completes with no change made twice"),
    ("demo-no-resume", "Ctrl-C in `sesdmarc demo --plain`, whose state goes with the sandbox",
     "says the session is not kept instead of promising a resume"),
]  # fmt: skip
CASE_IDS = {case[0] for case in CASES}


def case(case_id: str) -> str:
    assert case_id in CASE_IDS, case_id
    return case_id


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def world() -> World:
    return World(FakeZone(DOMAIN))


@pytest.fixture
def fake(tmp_path: Path, world: World) -> tuple[FlowContext, FakeProvider]:
    return fake_context(tmp_path, world)


@pytest.fixture
def holder(fake: tuple[FlowContext, FakeProvider]) -> Iterator[Any]:
    """Start a child process holding the setup's lock: ``holder(mode) -> Popen``."""
    started: list[subprocess.Popen[str]] = []

    def start(mode: str = "hold", front_end: str = "the line mode (sesdmarc --plain)") -> Any:
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock_path(fake[0])), front_end, mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        started.append(child)
        assert child.stdout is not None
        child.first_line = child.stdout.readline().strip()  # type: ignore[attr-defined]
        return child

    yield start
    for child in started:
        if child.poll() is None:
            child.kill()
        child.wait(10)


# -- the lock -----------------------------------------------------------------------------------


def test_a_second_wizard_is_refused_and_told_who_holds_the_setup(
    fake: tuple[FlowContext, FakeProvider], world: World, holder: Any
) -> None:
    case("second-wizard")
    ctx, dns = fake
    first = holder()
    wizard = wizard_through_accounts(ctx)
    with pytest.raises(FlowError) as caught:
        wizard.run_step("domain")
    error = caught.value
    assert error.kind == "locked"
    assert f"Another sesdmarc is working on {DOMAIN} in {OWNER}/{REGION}" in error.message
    assert "the line mode (sesdmarc --plain)" in error.message
    assert f"pid {first.pid} on {socket.gethostname()}, since 20" in error.message
    assert f"kill {first.pid}" in error.remedy
    assert not ctx.store.sessions_dir.joinpath(f"{OWNER}-{REGION}-{DOMAIN}.json").exists()
    assert (world.writes, dns.writes) == ([], 0)


def test_a_lock_held_from_another_host_is_not_taken_over(
    fake: tuple[FlowContext, FakeProvider], holder: Any
) -> None:
    case("holder-on-other-host")
    ctx, _dns = fake
    holder("other-host", front_end="sesdmarc apply")
    with pytest.raises(FlowError) as caught:
        wizard_through_accounts(ctx).run_step("domain")
    assert caught.value.kind == "locked"
    assert "sesdmarc apply, pid" in caught.value.message and "on build-7" in caught.value.message


@pytest.mark.parametrize("ending", ["exit", "error", "sigint", "sigkill"])
def test_the_lock_is_free_as_soon_as_its_holder_ends(
    fake: tuple[FlowContext, FakeProvider], holder: Any, ending: str
) -> None:
    case(f"released-{ending}")
    ctx, _dns = fake
    child = holder("error" if ending == "error" else "hold")
    assert child.first_line == "held"
    if ending in ("exit", "error"):
        child.communicate("\n", timeout=10)
    else:
        child.send_signal(signal.SIGINT if ending == "sigint" else signal.SIGKILL)
        child.wait(10)
    assert child.returncode != 0 if ending != "exit" else child.returncode == 0
    wizard = wizard_through_accounts(ctx)
    wizard.run_step("domain")  # takes the lock: no error
    text = lock_path(ctx).read_text()
    assert f'"pid": {os.getpid()}' in text
    wizard.close()
    assert not lock.held_here(lock_path(ctx)) and lock_path(ctx).read_text() == ""


def test_a_lock_kept_by_a_dead_holders_orphan_is_taken_over(
    fake: tuple[FlowContext, FakeProvider], holder: Any
) -> None:
    case("stale-orphan")
    ctx, _dns = fake
    child = holder("orphan")
    assert child.wait(10) == 0  # the holder is gone ...
    orphan = int(child.first_line)
    try:
        os.kill(orphan, 0)  # ... while its child lives on with the lock file open, locked:
        probe = os.open(lock_path(ctx), os.O_RDONLY)
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(probe)
        wizard = wizard_through_accounts(ctx)
        wizard.run_step("domain")
        assert f'"pid": {os.getpid()}' in lock_path(ctx).read_text()
        # The new lock file is truly ours: another taker is refused.
        other = subprocess.run(
            [sys.executable, "-c", HOLDER, str(lock_path(ctx)), "x", "hold"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=20,
        )
        assert other.returncode != 0 and "Another sesdmarc is working on" in other.stderr
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_demo_ctrl_c_does_not_promise_a_resume_and_gives_the_lock_back(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    case("demo-no-resume")
    case("front-end-release")
    ctx, _dns = fake
    ctx.keeps_state = False  # as `sesdmarc demo` builds it: the sandbox's directory goes
    console, out = recording_console()
    assert answered(THROUGH_DKIM_CONFIRM, lambda: run_line_mode(console, ctx)) == 130
    text = flat(out.getvalue())
    assert "Stopped." in text and flat(NOT_KEPT) in text
    assert "run the same command again" not in text and "To continue" not in text
    assert lock_path(ctx).exists() and not lock.held_here(lock_path(ctx))


# -- full disk ----------------------------------------------------------------------------------


def test_disk_full_at_a_state_save_keeps_the_old_session_and_resumes(
    fake: tuple[FlowContext, FakeProvider],
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case("disk-full-state")
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    path = wizard.state_path
    assert path is not None
    before = path.read_bytes()

    real_replace = os.replace

    def full_once_a_change_is_made(*args: Any) -> None:
        if world.writes:  # the disk fills up as SES creates the identity
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(*args)

    monkeypatch.setattr(os, "replace", full_once_a_change_is_made)
    with pytest.raises(FlowError) as caught:
        wizard.run_step("dkim")
    monkeypatch.undo()
    error = caught.value
    assert error.kind == "unwritable" and error.step == "dkim"
    assert f"could not be saved to {path}: No space left on device" in error.message
    assert "last saved session is intact" in error.remedy
    kept = ctx.store.load(path)  # the last good save: loadable, from before the change
    assert kept.session_id == wizard.state.session_id and path.read_bytes() != before
    assert kept.current_step == "dkim" and kept.step("dkim").done == []
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".tmp")] == []
    assert world.writes == ["CreateEmailIdentity"]  # made once, then the save failed

    resumed = Wizard.from_saved(fake_context(tmp_path, world)[0], path)  # the next run
    assert resumed.resume().id == "dkim"
    assert resumed.run_step("dkim").status.done
    assert world.writes.count("CreateEmailIdentity") == 1


def test_disk_full_at_an_audit_append_is_readable_and_resumable(
    fake: tuple[FlowContext, FakeProvider],
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case("disk-full-audit")
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    log = ctx.audit.path
    real_write = os.write

    def full_for_the_log(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}") == str(log):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_for_the_log)
    with pytest.raises(FlowError) as caught:
        wizard.run_step("dkim")
    monkeypatch.undo()
    assert caught.value.kind == "unwritable"
    assert f"audit log {log} could not be written: No space left on device" in str(caught.value)
    assert list(ctx.audit.entries()) == []  # nothing torn

    resumed = Wizard.from_saved(fake_context(tmp_path, world)[0], wizard.state_path)  # type: ignore[arg-type]
    resumed.resume()
    assert resumed.run_step("dkim").status.done
    assert world.writes.count("CreateEmailIdentity") == 1
    assert [e["result"] for e in ctx.audit.entries()] == ["ok"] * 3  # the three CNAMEs


# -- modes and links ----------------------------------------------------------------------------


def test_wide_directories_and_files_are_tightened(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    case("modes")
    ctx, _dns = fake
    ctx.store.sessions_dir.mkdir(parents=True, mode=0o755)
    os.chmod(ctx.state_dir, 0o755)
    os.chmod(ctx.store.sessions_dir, 0o755)
    ctx.audit.path.write_text("")
    os.chmod(ctx.audit.path, 0o644)
    wizard = ready_wizard(ctx)
    wizard.run_step("dkim")

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(ctx.state_dir) == 0o700 and mode(ctx.store.sessions_dir) == 0o700
    assert mode(ctx.audit.path) == 0o600 and mode(wizard.state_path) == 0o600  # type: ignore[arg-type]
    assert mode(lock_path(ctx)) == 0o600


@pytest.mark.parametrize("which", ["state", "audit"])
def test_a_symlinked_state_file_or_audit_log_is_refused(
    fake: tuple[FlowContext, FakeProvider], world: World, tmp_path: Path, which: str
) -> None:
    case(f"symlink-{which}")
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = wizard.state_path if which == "state" else ctx.audit.path
    assert link is not None
    link.unlink(missing_ok=True)  # no change was made yet: no audit line either
    link.symlink_to(target)
    with pytest.raises(FlowError) as caught:
        wizard.run_step("dkim")
    assert caught.value.kind == "symlink" and "refuses to follow it" in caught.value.message
    assert target.read_text() == "keep me\n"
    if which == "audit":
        assert world.writes == []  # refused before the change, not after
        with pytest.raises(StateError):
            list(ctx.audit.entries())


# -- a wizard killed at each writing step (in-process) --------------------------------------------

KILLS = [
    pytest.param(step, when, id=f"{step}-{when}") for step in STEPS for when in ("before", "after")
]


@pytest.mark.parametrize(("step", "when"), KILLS)
def test_a_wizard_killed_at_a_writing_step_resumes_without_repeating(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch, step: str, when: str
) -> None:
    case(f"kill-{when}-write")
    ctx, dns = fake_context(tmp_path, world)
    armed = kill_at_first_write(monkeypatch, when)
    wizard = ready_wizard(ctx)
    run_through(wizard, STEPS[: STEPS.index(step)])
    armed["on"] = True
    with pytest.raises(Killed):
        run_through(wizard, (step,))
    assert not armed["on"]  # the kill came from a write of this step
    path = wizard.state_path
    del wizard

    again_ctx, again_dns = fake_context(tmp_path, world)  # the next run
    resumed = Wizard.from_saved(again_ctx, path)  # type: ignore[arg-type]
    run_through(resumed, STEPS)
    assert all(resumed.status(s).done for s in STEPS[:-1])
    sent = resumed.state.resource("test_email", "message_id")
    if step == "test_email":
        # SES has no idempotency token: the attempt recorded before the call stops a second
        # send (a death in the call looks the same whether SES had the request or not); the
        # step says it cannot know, and offers "Send again?".
        assert sent is None
        status = resumed.status("test_email")
        assert status.kind == "attention" and "Unknown whether" in status.message
        assert any(f.key == "resend" for f in resumed.step("test_email").fields(resumed.state))
    else:
        assert isinstance(sent, str)
    ses = Counter(world.writes)
    assert max(ses.values()) == 1, ses  # no SES change made twice
    records = Counter(c.key for p in [*dns.applies, *again_dns.applies] for c in p.writes)
    assert max(records.values()) == 1, records  # no record set written twice


def test_an_unconfirmed_test_email_is_sent_again_only_on_yes(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case("kill-after-write")
    ctx, _ = fake_context(tmp_path, world)
    armed = kill_at_first_write(monkeypatch, "after")
    wizard = ready_wizard(ctx)
    run_through(wizard, STEPS[:-1])
    armed["on"] = True
    with pytest.raises(Killed):
        run_through(wizard, ("test_email",))
    resumed = Wizard.from_saved(fake_context(tmp_path, world)[0], wizard.state_path)  # type: ignore[arg-type]
    resumed.run_step("test_email")
    assert resumed.status("test_email").kind == "attention"  # not sent on its own
    assert resumed.set_inputs("test_email", {"resend": "yes"}) == {}
    resumed.run_step("test_email")
    assert Counter(world.writes)["SendEmail"] == 2  # the operator asked for the second
    assert isinstance(resumed.state.resource("test_email", "message_id"), str)
    assert resumed.status("test_email").kind == "current"  # sent, waiting to be checked
    assert "resend" not in resumed.state.inputs("test_email")  # a yes is spent once


def test_a_refused_test_email_is_known_not_sent(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case("kill-after-write")
    from sesdmarc_tui.aws.errors import AwsError, ErrorKind

    ctx, _ = fake_context(tmp_path, world)
    wizard = ready_wizard(ctx)
    run_through(wizard, STEPS[:-1])

    def refuse(*_: Any, **__: Any) -> str:
        raise AwsError(ErrorKind.MESSAGE_REJECTED, "Email address is not verified.")

    monkeypatch.setattr(FakeSes, "send_test_email", refuse)
    with pytest.raises(Exception, match="not verified"):
        run_through(wizard, ("test_email",))
    assert wizard.state.resource("test_email", "sending_since") is None
    assert wizard.status("test_email").kind == "todo"  # SES said no: sending again is safe


# -- `sesdmarc apply`: Ctrl-C at each writing step, a second apply (in-process, real SIGINT) ---


@pytest.mark.parametrize("step", STEPS)
def test_apply_ctrl_c_at_a_writing_step_finishes_the_write_then_resumes(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    case("apply-sigint-each-step")
    ctx, _dns = fake_context(tmp_path, world)
    sent = interrupt_at(monkeypatch, world, step)
    with pytest.raises(KeyboardInterrupt):
        apply_once(ctx)
    assert sent["count"] == 1
    log = [e for e in ctx.audit.entries() if e["result"] == "ok"]
    assert log and str(log[-1]["step"]) == step  # the write in flight finished and is recorded
    assert not lock.held_here(lock_path(ctx))
    monkeypatch.undo()

    outcome = apply_once(fake_context(tmp_path, world)[0])  # the same command again
    assert outcome.error is None, outcome.error
    ses = Counter(world.writes)
    assert ses["SendEmail"] == 1 and max(ses.values()) == 1, ses
    done = Counter(
        (e["action"], str(e["parameters"])) for e in ctx.audit.entries() if e["result"] == "ok"
    )
    assert max(done.values()) == 1, done  # no change made twice


def test_a_second_apply_on_the_same_setup_fails_with_the_holder(
    fake: tuple[FlowContext, FakeProvider], world: World, holder: Any
) -> None:
    case("second-wizard")
    from sesdmarc_tui.report.apply import summary_lines

    ctx, _dns = fake
    first = holder(front_end="the full-screen wizard (sesdmarc)")
    outcome = apply_once(ctx)
    assert outcome.exit_code == 1 and outcome.error.kind == "locked"
    text = flat(" ".join(summary_lines(outcome)))
    assert f"Another sesdmarc is working on {DOMAIN} in {OWNER}/{REGION}" in text
    assert f"the full-screen wizard (sesdmarc), pid {first.pid}" in text
    assert world.writes == [] and not lock.held_here(lock_path(ctx))


@pytest.mark.parametrize("step", STEPS)
def test_line_mode_ctrl_c_at_a_writing_step_finishes_the_write_then_resumes(
    tmp_path: Path, world: World, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The wizard's apply as the line mode runs it (``plain.work``, Ctrl-C = cancel)."""
    case("wizard-sigint-each-step")
    from sesdmarc_tui.plain.work import Interrupted, run_work

    ctx, dns = fake_context(tmp_path, world)
    wizard = ready_wizard(ctx)
    run_through(wizard, STEPS[: STEPS.index(step)])
    if step in INPUTS:
        wizard.set_inputs(step, INPUTS[step])
    sent = interrupt_at(monkeypatch, world, step)
    console, _out = recording_console()

    def apply_as_the_line_mode() -> None:
        for _ in range(2):  # DKIM: the identity, then its CNAMEs, as the screens apply them
            plan = wizard.plan(step)
            run_work(console, "", partial(wizard.apply, step, plan), cancel=wizard.cancel)

    with pytest.raises(Interrupted) as caught:
        apply_as_the_line_mode()
    assert caught.value.settled and sent["count"] == 1
    log = [e for e in ctx.audit.entries() if e["result"] == "ok"]
    assert str(log[-1]["step"]) == step  # the write in flight finished and is recorded
    monkeypatch.undo()
    path = wizard.state_path

    again_ctx, again_dns = fake_context(tmp_path, world)
    resumed = Wizard.from_saved(again_ctx, path)  # type: ignore[arg-type]
    run_through(resumed, STEPS)
    assert Counter(world.writes)["SendEmail"] == 1 and max(Counter(world.writes).values()) == 1
    records = Counter(c.key for p in [*dns.applies, *again_dns.applies] for c in p.writes)
    assert max(records.values()) == 1, records

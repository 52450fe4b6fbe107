"""Helpers for ``test_process_faults``: a lock-holding child, kills and Ctrl-C at a write.

``HOLDER`` is a short Python child that takes a setup's lock the way a wizard does (a second
wizard must be a second process: the lock is the operating system's). ``kill_at_first_write``
ends the wizard at a step's first SES or DNS write as SIGKILL would (nothing after that point
runs); ``interrupt_at`` sends this process a real SIGINT from inside that write.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from tests.flow.fakes import DOMAIN, OWNER, REGION, FakeProvider, FakeSes, World
from tests.support.piped import CTRL_C, ENTER

HOLDER = """
import os, socket, subprocess, sys
from pathlib import Path
path, front_end, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
if mode == "other-host":
    socket.gethostname = lambda: "build-7"
from sesdmarc_tui.flow import lock
lock.acquire(path, "example.com", front_end=front_end)
if mode == "orphan":
    child = subprocess.Popen(["sleep", "60"], pass_fds=(lock._registry[path].fd,))
    print(child.pid, flush=True)
    sys.exit(0)
print("held", flush=True)
sys.stdin.readline()
if mode == "error":
    raise RuntimeError("the holder failed")
lock.release(path)
"""


STEPS = ("dkim", "mail_from", "dmarc", "authorization", "test_email")
INPUTS: dict[str, dict[str, object]] = {
    "mail_from": {"subdomain": "mail", "behavior": "USE_DEFAULT_VALUE"},
    "dmarc": {"stage": "1", "rua": f"dmarc@{DOMAIN}"},
    "authorization": {"scope": "organization"},
    "test_email": {"delegate_profile": "delegate", "to": "me@example.org"},
}
SES_WRITES = ("create_or_adopt_identity", "put_mail_from", "put_policy", "send_test_email")


class Killed(BaseException):
    """The process ending at this instant: no ``except Exception`` runs, nothing is saved."""


def kill_at_first_write(monkeypatch: pytest.MonkeyPatch, when: str) -> dict[str, bool]:
    """Arm with ``armed["on"] = True``: the next SES or DNS write raises ``Killed``."""
    armed = {"on": False}

    def wrap(original: Any) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            if not armed["on"]:
                return original(*args, **kwargs)
            armed["on"] = False
            if when == "before":
                raise Killed
            original(*args, **kwargs)
            raise Killed

        return write

    for name in SES_WRITES:
        monkeypatch.setattr(FakeSes, name, wrap(getattr(FakeSes, name)))
    monkeypatch.setattr(FakeProvider, "apply", wrap(FakeProvider.apply))
    return armed


def run_through(wizard: Wizard, steps: tuple[str, ...]) -> None:
    for step in steps:
        if step in INPUTS:
            assert wizard.set_inputs(step, INPUTS[step]) == {}
        wizard.run_step(step)


APPLY_TOML = f"""
[accounts]
profile = "owner"
region = "{REGION}"

[domain]
name = "{DOMAIN}"
dns_provider = "route53"

[mail_from]
subdomain = "mail"

[dmarc]
stage = 1
rua = ["dmarc@{DOMAIN}"]

[authorization]
scope = "organization"

[test_email]
delegate_profile = "delegate"
to = "me@example.org"
"""
FIRST_WRITE = {
    "dkim": "create_or_adopt_identity",
    "mail_from": "put_mail_from",
    "dmarc": "apply",
    "authorization": "put_policy",
    "test_email": "send_test_email",
}


def apply_once(ctx: FlowContext) -> Any:
    from sesdmarc_tui.headless.run import apply_config
    from sesdmarc_tui.setup_config import parse_config
    from sesdmarc_tui.setup_config.validate import validate_config

    config = parse_config(APPLY_TOML)
    return apply_config(ctx, config, validate_config(config))


def interrupt_at(monkeypatch: pytest.MonkeyPatch, world: World, step: str) -> dict[str, int]:
    """SIGINT to this process from inside the step's first write (made in apply's worker)."""
    sent = {"count": 0}
    name = FIRST_WRITE[step]
    owner: Any = FakeProvider if name == "apply" else FakeSes
    original = getattr(owner, name)

    def write(*args: Any, **kwargs: Any) -> Any:
        dmarc_record = name != "apply" or any(
            c.key[0].startswith("_dmarc.") for c in args[1].writes
        )
        if dmarc_record and not sent["count"]:
            sent["count"] = 1
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the write is in flight
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, write)
    return sent


def lock_path(ctx: FlowContext) -> Path:
    ctx.store.sessions_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return ctx.store.lock_path_for(OWNER, REGION, DOMAIN)


def wizard_through_accounts(ctx: FlowContext) -> Wizard:
    wizard = Wizard(ctx)
    wizard.set_inputs("accounts", {"profile": "owner", "region": REGION})
    wizard.run_step("accounts")
    wizard.set_inputs("domain", {"domain": DOMAIN, "provider": "route53"})
    return wizard


THROUGH_DKIM_CONFIRM = [
    ENTER, ENTER, ENTER, ENTER,  # profile, region, Confirm, Next
    f"\x15{DOMAIN}{ENTER}",
    ENTER, ENTER, ENTER,  # provider, Route 53 profile, zone ID
    ENTER, ENTER,  # Confirm (the lock is taken here), Next
    ENTER, CTRL_C,  # DKIM: Apply, then Ctrl-C at its confirmation
]  # fmt: skip

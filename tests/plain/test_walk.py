"""The line mode through a whole setup in the sandbox, typed as an operator types it.

Every answer goes through prompt_toolkit's pipe input into the real questionary prompts; the
engine, adapters and sandbox are real. Enter takes the default each time it is the right
answer, which is also what these tests check: the defaults lead through the setup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sesdmarc_tui.plain.run import run_line_mode
from tests.support.piped import CLEAR, ENTER, answered, recording_console
from tests.support.sandbox_setup import DOMAIN, sandbox_context

RECIPIENT = f"ops@{DOMAIN}"


def accounts_and_domain() -> list[str]:
    return [
        ENTER,  # profile: the context's default (the owner)
        ENTER,  # region: the profile's (eu-west-1)
        ENTER,  # menu: Confirm
        ENTER,  # menu: Next
        f"{CLEAR}{DOMAIN}{ENTER}",  # typed, whether or not it was suggested
        ENTER,  # provider: Route 53
        ENTER,  # Route 53 profile: the owner's
        ENTER,  # hosted zone ID: none
        ENTER,  # Confirm
        ENTER,  # Next
    ]


def dkim_to_authorization() -> list[str]:
    return [
        ENTER, "y",  # create the identity
        ENTER, "y",  # publish the three CNAMEs; then the wait for SUCCESS
        ENTER,  # Next
        ENTER, ENTER,  # MAIL FROM subdomain and behaviour
        ENTER, "y",  # MX, SPF, SES; then the wait
        ENTER,  # Next
        ENTER, ENTER,  # Reports inbox: skip (the default: done, nothing to apply), Next
        *[ENTER] * 6,  # DMARC: stage, rua, ruf, sp, np, alignment
        ENTER, "y",
        ENTER,  # Next
        ENTER, ENTER, ENTER,  # scope, From restriction, policy name
        ENTER, "y",
        ENTER,  # Next
    ]  # fmt: skip


def test_whole_setup_in_line_mode(sandbox: Any, tmp_path: Path) -> None:
    ctx = sandbox_context(sandbox, tmp_path / "data")
    console, out = recording_console()
    delegate = sandbox.profiles.delegate_for("marketing")
    keys = [
        *accounts_and_domain(),
        *dkim_to_authorization(),
        ENTER,  # test email: as a profile
        f"{delegate}{ENTER}",  # typed to filter the list
        ENTER,  # From: the suggested address
        f"{RECIPIENT}{ENTER}",
        ENTER,  # subject
        ENTER, "y",  # Send
        ENTER, ENTER,  # Check the received message: fetch it from the mailbox
        ENTER,  # Next
        ENTER,  # Finish
    ]  # fmt: skip
    code = answered(keys, lambda: run_line_mode(console, ctx))
    text = out.getvalue()
    assert code == 0, text[-3000:]
    assert "Setup finished." in text
    assert "Records to publish" in text and "Propagation" in text
    assert "DKIM verified" in text
    state = ctx.store.load(ctx.store.path_for(sandbox.world.management.id, "eu-west-1", DOMAIN))
    assert state.finished
    entries = list(ctx.audit.entries())
    assert len(entries) == 10 and {e["result"] for e in entries} == {"ok"}

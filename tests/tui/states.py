"""Wizards already advanced to a given step, built through the flow engine (fast, no UI).

Snapshot tests start the app on such a wizard, so each picture shows one step without
walking the screens. Inputs are the ones the operator would type.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sesdmarc_tui.flow.engine import Wizard
from tests.tui.world import DOMAIN, RECIPIENT, REGION, TuiWorld, make_world

INPUTS: dict[str, dict[str, object]] = {
    "accounts": {"profile": "owner", "region": REGION},
    "domain": {"domain": DOMAIN, "provider": "route53"},
    "mail_from": {"subdomain": f"mail.{DOMAIN}", "behavior": "USE_DEFAULT_VALUE"},
    "dmarc": {"stage": "1", "rua": f"dmarc-reports@{DOMAIN}"},
    "authorization": {"scope": "organization"},
    "test_email": {"delegate_profile": "delegate", "to": RECIPIENT},
}
ORDER = (
    "accounts",
    "domain",
    "dkim",
    "mail_from",
    "reports",  # no inputs: skipped
    "dmarc",
    "authorization",
    "test_email",
)
# Snapshots show paths (the Summary's session file and audit log): keep them the same each run.
SNAPSHOT_ROOT = Path("/tmp/sesdmarc-tui-snapshots")


def fixed_world(name: str) -> TuiWorld:
    root = SNAPSHOT_ROOT / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    return make_world(root)


def advance(wizard: Wizard, before: str) -> Wizard:
    """Complete every step before ``before`` (all of them for ``"summary"``) and go there."""
    for step in ORDER:
        if step == before:
            break
        if step in INPUTS:
            assert not wizard.set_inputs(step, INPUTS[step])
        wizard.run_step(step)
        if step == "test_email":
            wizard.verify_message()
    if before in INPUTS:
        assert not wizard.set_inputs(before, INPUTS[before])  # the screen then checks at once
    wizard.go_to(before)
    return wizard


def at_step(name: str, step: str) -> tuple[TuiWorld, Wizard]:
    tui = fixed_world(name)
    return tui, advance(tui.wizard(), step)

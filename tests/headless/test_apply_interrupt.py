"""`sesdmarc apply` as a real process, interrupted at every writing step (SIGINT, SIGKILL).

The sandbox runs in this process; the CLI runs in a child with the sandbox's environment (as
`sesdmarc demo --serve` hands it to a shell), through tests/support/fast_cli.py, which only
turns SES pacing down. A chain of runs: each is stopped as it is about to write in the next
step (DKIM, MAIL FROM, DMARC, Authorization, Test email), so every run also resumes the one
stopped before it; the signals alternate, and the second chain swaps them, so each step gets
both. The run after that must reach the same end state as an uninterrupted one (identity
verified, every record set holding exactly its one value, one policy, one test email) with no
change made twice, which the audit log shows, and a run after that must have nothing to do.
While the first run holds the setup, a second `apply` on it is refused and names the holder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.headless.conftest import DOMAIN, RECIPIENT, setup_toml

FAST_CLI = Path(__file__).resolve().parents[1] / "support" / "fast_cli.py"
RUN_TIMEOUT = 90.0


def child_env(box: Any, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(box.env())
    env.update(
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        PYTHONUNBUFFERED="1",
        SESDMARC_TEST_PACING="0.02",  # slow enough that "mid-way" lasts a moment
    )
    return env


def apply_cmd(config: Path) -> list[str]:
    return [sys.executable, str(FAST_CLI), "apply", "--config", str(config)]


def run_to_end(config: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        apply_cmd(config), env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )


def audit(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "xdg" / "sesdmarc" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def end_state(box: Any) -> dict[str, Any]:
    session = box.session()
    ses = session.client("sesv2")
    identity = ses.get_email_identity(EmailIdentity=DOMAIN)
    route53 = session.client("route53")
    records = route53.list_resource_record_sets(HostedZoneId=box.world.hosted_zone_id)
    ours = {
        (r["Name"].rstrip("."), r["Type"]): sorted(v["Value"] for v in r["ResourceRecords"])
        for r in records["ResourceRecordSets"]
        if r["Type"] in ("CNAME", "MX", "TXT") and r["Name"].rstrip(".") != DOMAIN
    }
    policies = ses.get_email_identity_policies(EmailIdentity=DOMAIN)["Policies"]
    return {
        "dkim": identity["DkimAttributes"]["Status"],
        "mail_from": identity["MailFromAttributes"]["MailFromDomainStatus"],
        "records": ours,
        "policies": sorted(policies),
        "messages": len(box.mailbox.messages(RECIPIENT)),
    }


# Where apply is about to write in each step that writes: its plan's line just before the apply.
CHAIN = (
    ("dkim", "will: Create the SES identity"),
    ("mail_from", "will: Set the MAIL FROM"),
    ("dmarc", "will: Create TXT _dmarc."),
    ("authorization", "will: Create the sending authorization policy"),
    ("test_email", "will: Send a test email"),
)
INT, KILL = signal.SIGINT, signal.SIGKILL
# Two runs of the chain, signals swapped: every writing step gets both SIGINT and SIGKILL.
ORDERS = {"int-first": (INT, KILL, INT, KILL, INT), "kill-first": (KILL, INT, KILL, INT, KILL)}


def second_apply_is_refused(config: Path, env: dict[str, str], first: int) -> None:
    """While the first apply holds the setup, a second one on it fails at once and says who."""
    second = run_to_end(config, env)
    assert second.returncode == 1, second.stdout + second.stderr
    text = " ".join((second.stdout + second.stderr).split())
    assert f"Another sesdmarc is working on {DOMAIN}" in text
    assert f"sesdmarc apply, pid {first}" in text and "kill" in text


def stop_at_step(
    config: Path, env: dict[str, str], marker: str, sig: int, *, also: bool = False
) -> tuple[int, str, str]:
    """Start apply and send ``sig`` once it prints ``marker``; with ``also``, first pause it
    there (SIGSTOP) and check that a second apply on the same setup is refused meanwhile."""
    child = subprocess.Popen(
        apply_cmd(config), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    watchdog = threading.Timer(RUN_TIMEOUT, child.kill)
    watchdog.start()
    seen: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            seen.append(line)
            if marker in line:
                if also:
                    child.send_signal(signal.SIGSTOP)
                    try:
                        second_apply_is_refused(config, env, child.pid)
                    finally:
                        child.send_signal(signal.SIGCONT)
                child.send_signal(sig)
                break
        out, err = child.communicate(timeout=RUN_TIMEOUT)
    finally:
        watchdog.cancel()
    return child.returncode, "".join(seen) + out, err


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_apply_interrupted_at_every_writing_step_resumes_to_the_same_end_state(
    sandbox: Any, tmp_path: Path, order: str
) -> None:
    config = tmp_path / "setup.toml"
    config.write_text(setup_toml(sandbox))
    env = child_env(sandbox, tmp_path)

    for index, ((step, marker), sig) in enumerate(zip(CHAIN, ORDERS[order], strict=True)):
        code, out, err = stop_at_step(config, env, marker, sig, also=index == 0)
        assert marker in out, (step, out, err)  # each run resumed and got this far
        if sig == INT:
            assert code == 130, (step, out, err)
            assert "Interrupted" in err and "run the same command again" in err
        else:
            assert code == -signal.SIGKILL, (step, out, err)

    finished = run_to_end(config, env)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    state = end_state(sandbox)
    assert state["dkim"] == "SUCCESS" and state["mail_from"] == "SUCCESS"
    assert state["policies"] == ["sesdmarc-delegated-sending"]
    assert state["messages"] == 1
    records = state["records"]
    assert sum(1 for name, _ in records if name.endswith(f"._domainkey.{DOMAIN}")) == 3
    assert all(len(values) == 1 for values in records.values()), records  # nothing doubled
    assert records[(f"mail.{DOMAIN}", "TXT")] == ['"v=spf1 include:amazonses.com ~all"']
    assert records[(f"_dmarc.{DOMAIN}", "TXT")] == [
        f'"v=DMARC1; p=none; rua=mailto:dmarc-reports@{DOMAIN}"'
    ]

    entries = audit(tmp_path)
    done = Counter(
        (e["action"], json.dumps(e["parameters"], sort_keys=True))
        for e in entries
        if e["result"] == "ok"
    )
    assert max(done.values()) == 1, done  # no change was made twice
    assert len(done) <= 10

    if order == "int-first":  # once is enough: a run after a complete one writes nothing
        again = run_to_end(config, env)
        assert again.returncode == 0 and "Nothing to do" in again.stdout
        assert len(audit(tmp_path)) == len(entries)
        assert end_state(sandbox) == state

"""Fixtures for headless apply and export: the in-process sandbox and a setup.toml for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DOMAIN = "example.com"
REGION = "eu-west-1"
RECIPIENT = f"ops@{DOMAIN}"  # verified through the domain identity: fine in the SES sandbox


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The wizard's data directory (sessions, audit log) lives in the test's directory.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        for name, value in box.env().items():
            monkeypatch.setenv(name, value)
        yield box


def setup_toml(box: Any, *, provider: str = "route53", test_email: bool = True) -> str:
    """The config a team would write for the sandbox's organization."""
    marketing = box.world.account("marketing")
    text = f"""
[accounts]
profile = "{box.profiles.owner}"
region = "{REGION}"

[domain]
name = "{DOMAIN}"
dns_provider = "{provider}"

[mail_from]
subdomain = "mail"

[dmarc]
stage = 1
rua = ["dmarc-reports@{DOMAIN}"]

[authorization]
scope = "ou_subtree"
targets = ["{marketing.ou_id}"]
"""
    if test_email:
        text += f"""
[test_email]
delegate_profile = "{box.profiles.delegate_for("marketing")}"
to = "{RECIPIENT}"
"""
    return text

"""One sandbox per test module: moto's state is global to the process and a start costs ~0.3 s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sesdmarc_tui.sandbox.world import Sandbox
from tests.sandbox.aws._support import DOMAIN, REGION


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    # speed=1: demo time moves only when a test advances it, give or take real seconds.
    with Sandbox.start(domain=DOMAIN, region=REGION, speed=1.0) as sandbox:
        yield sandbox

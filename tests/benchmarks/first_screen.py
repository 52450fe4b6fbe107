"""Which heavy modules are loaded at the first screen and at the first step (run as a script).

Prints JSON: ``{"screen": [seconds, [modules]], "step": [seconds, [modules]]}``. The app runs
headless as ``run_wizard`` builds it (the context made in a worker, from an empty AWS
configuration) and exits once the Accounts step has rendered.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

HEAVY = ("boto3", "botocore", "moto", "questionary", "dns.resolver", "dns.asyncquery", "dkim")


def snapshot() -> list[Any]:
    return [round(time.perf_counter() - START, 3), [m for m in HEAVY if m in sys.modules]]


def main() -> None:
    from screens.app import SesdmarcApp

    found: dict[str, list[Any]] = {}

    def build() -> Any:
        from sesdmarc_tui.flow.context import FlowContext
        from sesdmarc_tui.flow.engine import Wizard

        return Wizard(FlowContext.from_environment(None, None, state_dir=Path(sys.argv[1])))

    class Timed(SesdmarcApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.set_interval(0.002, self._check)

        def _check(self) -> None:
            from screens.starting import StartingScreen
            from screens.steps.base import StepScreen

            if isinstance(self.screen, StartingScreen) and self.screen.is_mounted:
                found.setdefault("screen", snapshot())
            if isinstance(self.screen, StepScreen) and self.screen.is_mounted:
                found["step"] = snapshot()
                self.exit()

    Timed(build, blink=False).run(headless=True)
    print(json.dumps(found))


if __name__ == "__main__":
    main()

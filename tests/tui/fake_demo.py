"""The wizard in a real terminal over the in-memory world, opened on the DKIM step.

For the tmux smoke test while ``sesdmarc demo`` is not wired yet, and for looking at the UI
by hand: ``python -m tests.tui.fake_demo [DATA_DIR]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from screens.run import run_wizard
from tests.tui.states import advance
from tests.tui.world import make_world


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="sesdmarc-fake-demo-"))
    tui = make_world(root)
    wizard = advance(tui.wizard(), "dkim")
    return run_wizard(tui.ctx, wizard.state, resume=False, rounds=tui.rounds, board_interval=2.0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

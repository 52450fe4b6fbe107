"""``python tests/support/fast_cli.py ARGS...``: the ``sesdmarc`` CLI with SES pacing off.

SES allows one management call a second, and the adapters pace themselves to it: right
against AWS, but it would make every subprocess test against the sandbox take a minute.
``SESDMARC_TEST_PACING`` (seconds, default 0) sets the shared pacer's interval; everything
else is the real entry point, in a real process that a test can interrupt or kill.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sesdmarc_tui.aws.pacing import shared_ses_pacer
from sesdmarc_tui.cli import main

if __name__ == "__main__":
    shared_ses_pacer().interval = float(os.environ.get("SESDMARC_TEST_PACING", "0"))
    main(sys.argv[1:])

"""``setup.toml``: the headless description of a setup, mapped onto the wizard's step inputs.

``schema`` (the keys and the fields they fill), ``load`` (file, TOML, keys, types, secrets),
``validate`` (values through the steps' own validators), ``example`` (the commented reference
that ``init-config`` writes) and ``from_session`` (a config replaying a wizard session).
"""

from __future__ import annotations

from pathlib import Path

from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.setup_config.errors import ConfigError, ConfigProblem
from sesdmarc_tui.setup_config.load import SetupConfig, parse_config, read_config

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "SetupConfig",
    "load_config",
    "parse_config",
    "read_config",
]


def load_config(path: Path) -> tuple[SetupConfig, SessionState]:
    """Read, check and validate ``path``: the config and the inputs as the wizard keeps them.

    Raises only :class:`ConfigError` (every problem found, each with file, key and example).
    """
    from sesdmarc_tui.setup_config.validate import validate_config

    config = read_config(path)
    return config, validate_config(config)

"""Checking a config's values with the wizard's own fields, before anything is touched.

A throw-away :class:`Wizard` (no account, so its session is never saved; no AWS or DNS call)
takes the values step by step through ``Wizard.set_inputs``, exactly as a front end would, and
each refusal becomes a :class:`ConfigProblem` on the TOML key behind the field. Fields a step
needs that the file does not give (a recipient, the OUs for an OU scope) are reported too, so
that ``apply`` never stops half-way for a missing value.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sesdmarc_tui.core.lookup import Answer, AnswerKind
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import InputError
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import ACCOUNTS, DOMAIN
from sesdmarc_tui.setup_config.errors import ConfigError, ConfigProblem
from sesdmarc_tui.setup_config.load import SetupConfig

if TYPE_CHECKING:
    from sesdmarc_tui.flow.steps import Step


def _no_lookup(name: str, rtype: str) -> Answer:
    # Validation must not reach DNS; a field that asks anyway gets "no answer".
    return Answer(name, rtype, AnswerKind.ERROR, error="not looked up during validation")


def scratch_context() -> FlowContext:
    """A context for checking values only: no AWS session is ever built from it."""
    return FlowContext(state_dir=Path(os.devnull), lookup=_no_lookup)


def sentence(error: InputError) -> str:
    text = error.message.rstrip()
    if error.hint:
        text = f"{text.rstrip('.')}. {error.hint.strip()}"
    return text if text.endswith((".", "?", "!")) else text + "."


def _missing(
    cfg: SetupConfig, step: Step, state: SessionState, refused: set[str]
) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    given = state.inputs(step.id)
    for item in step.fields(state):
        if item.kind == "secret" or not item.required or item.default is not None:
            continue
        if item.suggest is not None or given.get(item.key) or item.key in refused:
            continue
        problems.append(
            cfg.problem(step.id, item.key, f"is required with these settings ({item.label}).")
        )
    return problems


def validate_config(cfg: SetupConfig) -> SessionState:
    """The inputs as the wizard keeps them (normalised); ``ConfigError`` naming each key."""
    from sesdmarc_tui.flow.engine import Wizard

    wizard = Wizard(scratch_context())
    state = wizard.state
    problems: list[ConfigProblem] = []
    for step in wizard.steps:
        values = cfg.step_values(step.id)
        if values is None:
            continue
        if step.id not in (ACCOUNTS, DOMAIN) and state.domain is None:
            break  # later fields are checked against the domain: fix it first
        errors = wizard.set_inputs(step.id, values)
        problems += [cfg.problem(step.id, key, sentence(err)) for key, err in errors.items()]
        problems += _missing(cfg, step, state, set(errors))
        # What the Accounts and Domain steps record when applied, so that later fields (the
        # MAIL FROM subdomain, addresses within the domain) are checked against the real domain.
        state.region = state.value(ACCOUNTS, "region") or None
        state.domain = state.value(DOMAIN, "domain") or None
    if problems:
        raise ConfigError(problems)
    return state

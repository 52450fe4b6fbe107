"""A ``setup.toml`` from a session's inputs, so that a wizard run can be replayed headless.

Every key of the schema whose field holds a value in the session is written, section by
section in the schema's order; secrets are never in a session, so their keys are written as
environment-variable names for the operator to provide (or left commented out). The result
loads and validates like any config (a test checks the round trip).
"""

from __future__ import annotations

import json

from sesdmarc_tui.flow.model import split_multi
from sesdmarc_tui.flow.state import SessionState
from sesdmarc_tui.flow.steps.base import DOMAIN
from sesdmarc_tui.setup_config import schema

# Values the wizard records on the session itself rather than as a typed input.
_SESSION_FALLBACK = {("accounts", "region"): "region", ("domain", "domain"): "domain"}


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _value(key: schema.Key, text: str) -> str:
    if key.kind == "int":
        return str(int(text)) if text.strip().isdigit() else toml_string(text)
    if key.kind in ("list", "addresses"):
        items = split_multi(text)
        if key.kind == "addresses":
            items = [i[7:] if i.lower().startswith("mailto:") else i for i in items]
        return "[" + ", ".join(toml_string(i) for i in items) + "]"
    return toml_string(text)


def _raw(state: SessionState, key: schema.Key) -> str:
    value = state.value(key.step, key.field)
    fallback = _SESSION_FALLBACK.get((key.step, key.field))
    if not value and fallback:
        value = str(getattr(state, fallback) or "")
    return value


def _secret_lines(state: SessionState, section: str) -> list[str]:
    if section == "domain.rfc2136" and state.value(DOMAIN, "rfc2136_key_name"):
        return [
            "# The TSIG secret is never saved: give it in this variable (or use secret_file).",
            'secret_env = "SESDMARC_TSIG_SECRET"',
        ]
    if section == "test_email" and state.value("test_email", "delegate_mode") == "role":
        return ['# external_id_env = "SESDMARC_EXTERNAL_ID"  # if the role asks for one']
    return []


def config_from_session(state: SessionState, *, source: str = "") -> str:
    """The TOML text replaying ``state``'s choices."""
    domain = state.domain or state.value(DOMAIN, "domain") or "the domain"
    lines = [
        f"# setup.toml for {domain}, written by `sesdmarc init-config --from-session`"
        + (f" from {source}" if source else "")
        + ".",
        "# Replay it with `sesdmarc apply --config FILE`; `sesdmarc init-config` writes the",
        "# commented reference of every key.",
        "",
        f"version = {schema.SCHEMA_VERSION}",
    ]
    provider = state.value(DOMAIN, "provider") or state.provider or ""
    for section, condition in schema.SECTIONS.items():
        if condition is not None and provider not in condition[1]:
            continue
        step = schema.keys_in(section)[0].step if schema.keys_in(section) else section
        if step in schema.OPTIONAL_STEPS and not state.inputs(step):
            continue
        body: list[str] = []
        for key in schema.keys_in(section):
            if key.secret:
                continue
            if key.when is not None and provider not in key.when[1]:
                continue
            raw = _raw(state, key)
            if raw:
                body.append(f"{key.name} = {_value(key, raw)}")
        body += _secret_lines(state, section)
        if body or section in schema.REQUIRED_SECTIONS or step in schema.OPTIONAL_STEPS:
            lines += ["", f"[{section}]", *body]
    return "\n".join(lines) + "\n"

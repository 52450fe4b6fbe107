"""Reading ``setup.toml``: size-bounded file, TOML syntax, known keys, TOML types, secrets.

Every problem is collected (not just the first) and reported with the file, the dotted key,
what is wrong and an example of a right value. Values themselves are checked afterwards by the
wizard's own field validators (``validate.py``); this module only makes sure each value has
the shape its field expects. Nothing here raises anything but :class:`ConfigError`.
"""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sesdmarc_tui.flow.context import TSIG_SECRET
from sesdmarc_tui.setup_config import schema
from sesdmarc_tui.setup_config.errors import ConfigError, ConfigProblem
from sesdmarc_tui.setup_config.secrets import SecretError, SecretValue, from_env, from_file

MAX_CONFIG_BYTES = 256 * 1024
PROVIDERS = ("route53", "rfc2136", "manual")


@dataclass(frozen=True)
class SetupConfig:
    """A config whose keys and types are right, as step inputs (raw, not yet validated).

    ``inputs`` holds, per step id, field key -> value in schema order; ``secrets`` the values
    read for secret fields (kept apart, and out of ``repr``); ``given`` the TOML keys present,
    to name the key behind a field in error messages; ``skipped`` the optional steps left out.
    """

    file: str
    inputs: dict[str, dict[str, object]]
    given: frozenset[str]
    skipped: tuple[str, ...] = ()
    secrets: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def step_values(self, step_id: str) -> dict[str, object] | None:
        """What to hand ``Wizard.set_inputs`` for a step (secrets included); None if skipped."""
        if step_id in self.skipped:
            return None
        values = dict(self.inputs.get(step_id, {}))
        for (step, key), value in self.secrets.items():
            if step == step_id:
                values[key] = value
        return values

    def key_path(self, step_id: str, field_key: str) -> str:
        key = schema.key_for(step_id, field_key, set(self.given))
        return key.path if key is not None else f"{step_id}.{field_key}"

    def problem(self, step_id: str, field_key: str, message: str) -> ConfigProblem:
        path = self.key_path(step_id, field_key)
        return ConfigProblem(self.file, path, message, schema.example_for(path))


def read_config(path: Path, *, environ: Mapping[str, str] | None = None) -> SetupConfig:
    """Read and check a config file (keys, types, secrets; not yet the values' meaning)."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO by mistake must fail the type check below, not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ConfigError([ConfigProblem(name, "", f"cannot be read: {exc.strerror}.")]) from None
    except ValueError:  # a NUL in the path
        raise ConfigError([ConfigProblem(repr(name), "", "is not a usable file name.")]) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ConfigError([ConfigProblem(name, "", "is not a regular file.")])
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            [ConfigProblem(name, "", f"is larger than {MAX_CONFIG_BYTES // 1024} KiB.")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = ConfigProblem(name, "", f"is not UTF-8 text (byte {exc.start}).")
        raise ConfigError([problem]) from None
    base = Path(path).resolve().parent
    return parse_config(text, name, base_dir=base, environ=environ)


def parse_config(
    text: str,
    file: str = "setup.toml",
    *,
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> SetupConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = ConfigProblem(file, "", f"is not valid TOML: {exc}.", 'key = "value"')
        raise ConfigError([problem]) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table and has no depth limit of
        # its own: a few kilobytes of '[' would otherwise end in a traceback.
        problem = ConfigProblem(
            file, "", "nests arrays or inline tables too deeply to read.", 'key = ["value"]'
        )
        raise ConfigError([problem]) from None
    reader = _Reader(file, base_dir or Path.cwd(), os.environ if environ is None else environ)
    return reader.read(data)


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return type(value).__name__


class _Reader:
    def __init__(self, file: str, base_dir: Path, environ: Mapping[str, str]) -> None:
        self.file, self.base_dir, self.environ = file, base_dir, environ
        self.problems: list[ConfigProblem] = []
        self.values: dict[str, object] = {}  # dotted key -> TOML value (type-checked)
        self.sections: set[str] = set()

    def add(self, key: str, message: str, example: str | None = None) -> None:
        right = schema.example_for(key) if example is None else example
        self.problems.append(ConfigProblem(self.file, key, message, right))

    def read(self, data: dict[str, Any]) -> SetupConfig:
        self._top(data)
        provider = self.values.get("domain.dns_provider")
        self._conditions(provider if provider in PROVIDERS else None)
        self._required()
        self._exclusive()
        secrets = self._secrets() if not self.problems else {}
        if self.problems:
            raise ConfigError(self.problems)
        return self._config(secrets)

    # -- structure ----------------------------------------------------------------------------

    def _top(self, data: dict[str, Any]) -> None:
        for name, value in data.items():
            if name == "version":
                if isinstance(value, bool) or not isinstance(value, int):
                    self.add("version", f"must be a whole number, not {type_name(value)}.")
                elif value != schema.SCHEMA_VERSION:
                    self.add(
                        "version",
                        f"version {value} is not one this sesdmarc reads "
                        f"(it reads {schema.SCHEMA_VERSION}).",
                    )
                continue
            self._entry("", name, value)
        for section in schema.REQUIRED_SECTIONS:
            if section not in self.sections:
                self.add(section, f"the section [{section}] is missing.")

    def _entry(self, section: str, name: str, value: object) -> None:
        path = f"{section}.{name}" if section else name
        if path in schema.SECTIONS:
            if not isinstance(value, dict):
                self.add(path, f"must be a table ([{path}]), not {type_name(value)}.")
                return
            self.sections.add(path)
            for child, item in value.items():
                self._entry(path, str(child), item)
            return
        key = schema.BY_PATH.get(path)
        if key is None:
            self._unknown(section, name, path)
            return
        self._typed(key, value)

    def _unknown(self, section: str, name: str, path: str) -> None:
        known = schema.children(section) + (list(schema.TOP_LEVEL_KEYS) if not section else [])
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        where = f"in [{section}]" if section else "at the top level"
        allowed = ", ".join(known)
        example = schema.example_for(f"{section}.{close[0]}" if section and close else section)
        self.add(path, f"unknown key {where}.{hint} Known here: {allowed}.", example)

    def _typed(self, key: schema.Key, value: object) -> None:
        ok: bool
        if key.kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
            wanted = "a whole number"
        elif key.kind in ("list", "addresses"):
            ok = isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            )
            wanted = "an array of strings"
        else:
            ok = isinstance(value, str)
            wanted = "a string"
        if not ok:
            self.add(key.path, f"must be {wanted}, not {type_name(value)}.")
            return
        self.values[key.path] = value

    # -- relations between keys ---------------------------------------------------------------

    def _holds(self, condition: tuple[str, tuple[str, ...]] | None) -> bool:
        if condition is None:
            return True
        value = self.values.get(condition[0])
        return value in condition[1]

    def _conditions(self, provider: str | None) -> None:
        for section, condition in schema.SECTIONS.items():
            if condition is None or section not in self.sections:
                continue
            if provider is None:
                self._drop(section)
            elif not self._holds(condition):
                self.add(
                    section,
                    f"[{section}] applies only when {condition[0]} = "
                    f"{' or '.join(repr(v) for v in condition[1])} (it is {provider!r}).",
                    f'dns_provider = "{condition[1][0]}"',
                )
        for key in schema.KEYS:
            if key.when is None or key.path not in self.values:
                continue
            if provider is None:
                self.values.pop(key.path)
            elif not self._holds(key.when):
                self.add(
                    key.path,
                    f"applies only when {key.when[0]} = "
                    f"{' or '.join(repr(v) for v in key.when[1])} (it is {provider!r}).",
                )

    def _drop(self, section: str) -> None:
        # With an unusable provider only the provider's own error is worth reading.
        for path in [p for p in self.values if p.startswith(section + ".")]:
            self.values.pop(path)

    def _applies(self, key: schema.Key) -> bool:
        root = key.path.split(".", 1)[0]
        if root not in self.sections:
            return False
        condition = schema.SECTIONS.get(key.section)
        return self._holds(condition) and self._holds(key.when)

    def _required(self) -> None:
        for key in schema.KEYS:
            if not key.required or key.path in self.values:
                continue
            if key.section in schema.SECTIONS and self._applies(key):
                if any(p.key == key.path for p in self.problems):
                    continue  # already reported with its type
                self.add(key.path, "is required here and missing.")

    def _exclusive(self) -> None:
        for first, second in schema.EXCLUSIVE:
            if first in self.values and second in self.values:
                self.add(
                    second,
                    f"give either {schema.BY_PATH[first].name} or {schema.BY_PATH[second].name}, "
                    "not both.",
                    schema.BY_PATH[first].example,
                )

    # -- secrets and the result ---------------------------------------------------------------

    def _secrets(self) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for key in schema.KEYS:
            if not key.secret or key.path not in self.values:
                continue
            name = str(self.values[key.path])
            try:
                secret = (
                    from_env(name, self.environ)
                    if key.kind == "env"
                    else from_file(name, self.base_dir)
                )
            except SecretError as exc:
                self.add(key.path, f"the secret cannot be read: {exc}")
                continue
            found[(key.step, key.field)] = secret.value
            self._from_key_file(key, secret)
        return found

    def _from_key_file(self, key: schema.Key, secret: SecretValue) -> None:
        """A BIND key file names its key and algorithm: use them unless the config does."""
        if key.field != TSIG_SECRET:
            return
        section = key.section
        if secret.key_name and f"{section}.key_name" not in self.values:
            self.values[f"{section}.key_name"] = secret.key_name
        if secret.algorithm and f"{section}.algorithm" not in self.values:
            self.values[f"{section}.algorithm"] = secret.algorithm

    def _config(self, secrets: dict[tuple[str, str], str]) -> SetupConfig:
        inputs: dict[str, dict[str, object]] = {}
        for key in schema.KEYS:
            if key.secret or key.path not in self.values:
                continue
            inputs.setdefault(key.step, {})[key.field] = self.values[key.path]
        if "test_email" in self.sections:
            mode = "role" if "test_email.role_arn" in self.values else "profile"
            # The mode comes first: it decides which delegate field the step offers.
            inputs["test_email"] = {"delegate_mode": mode, **inputs.get("test_email", {})}
        skipped = tuple(s for s in schema.OPTIONAL_STEPS if s not in self.sections)
        return SetupConfig(
            file=self.file,
            inputs=inputs,
            given=frozenset(self.values),
            skipped=skipped,
            secrets=secrets,
        )

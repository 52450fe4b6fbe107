"""setup.toml: every kind of error names the file, the key, the problem and a right example;
the example written by init-config loads and validates; secrets are read, never shown; and no
input, however odd, raises anything but ConfigError."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.setup_config import ConfigError, load_config, parse_config, read_config
from sesdmarc_tui.setup_config.example import EXAMPLE
from sesdmarc_tui.setup_config.schema import KEYS, SECTIONS, keys_in
from sesdmarc_tui.setup_config.validate import validate_config

SECRET = "c2VzZG1hcmMtdGVzdC1zZWNyZXQ="  # base64 of a made-up key
BASE = """
[accounts]
profile = "owner"
region = "eu-west-1"

[domain]
name = "example.com"
dns_provider = "route53"
"""


def problems(text: str, **kwargs: object) -> list[tuple[str, str]]:
    """(key, line) for every problem that parsing then validating ``text`` reports."""
    with pytest.raises(ConfigError) as caught:
        validate_config(parse_config(text, "setup.toml", **kwargs))  # type: ignore[arg-type]
    return [(p.key, str(p)) for p in caught.value.problems]


def test_the_example_loads_and_validates_as_written() -> None:
    config = parse_config(EXAMPLE, "example.toml", environ={})
    state = validate_config(config)
    assert state.value("domain", "domain") == "example.com"
    assert state.value("mail_from", "subdomain") == "mail.example.com"  # normalised
    assert state.value("dmarc", "rua") == "mailto:dmarc-reports@example.com"
    assert state.value("test_email", "delegate_mode") == "profile"
    assert config.skipped == ()
    # Every key of the schema is documented in the example, active or commented out.
    for key in KEYS:
        assert f"{key.name} =" in EXAMPLE, key.path


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (BASE + '[dmarc]\nruaa = ["a@example.com"]\n', "dmarc.ruaa", "Did you mean 'rua'?"),
        (BASE + "[dkim]\nkeys = 1\n", "dkim", "unknown key at the top level"),
        (BASE + '[dmarc]\nstage = "2"\n', "dmarc.stage", "must be a whole number, not a string"),
        (BASE + "[dmarc]\nrua = 3\n", "dmarc.rua", "must be an array of strings"),
        (BASE + "[dmarc]\nrua = [1, 2]\n", "dmarc.rua", "must be an array of strings"),
        ("mail_from = 'mail'\n" + BASE, "mail_from", "must be a table"),
        (BASE + "[dmarc]\nstage = 9\n", "dmarc.stage", "Pick one of: 1, 2, 3, 4, 5."),
        (BASE + '[dmarc]\nrua = ["nobody"]\n', "dmarc.rua", "is not an email address"),
        (BASE + '[dmarc]\nalignment = "strict"\n', "dmarc.alignment", "Strict alignment"),
        (BASE + '[dmarc]\nsp = "maybe"\n', "dmarc.sp", "Pick one of: inherit"),
        (
            BASE + '[mail_from]\nsubdomain = "mail.other.org"\n',
            "mail_from.subdomain",
            "not a subdomain of example.com",
        ),
        (
            BASE + '[mail_from]\nbehavior_on_mx_failure = "bounce"\n',
            "mail_from.behavior_on_mx_failure",
            "REJECT_MESSAGE",
        ),
        (BASE.replace("eu-west-1", "eu-west-9"), "accounts.region", "not one of the choices"),
        (
            BASE.replace('region = "eu-west-1"\n', ""),
            "accounts.region",
            "is required here and missing",
        ),
        (BASE.replace('name = "example.com"', 'name = "exa mple.com"'), "domain.name", "example"),
        (
            BASE.replace("route53", "bind"),
            "domain.dns_provider",
            "Pick one of: manual, rfc2136, route53",
        ),
        (
            BASE + '[domain.rfc2136]\nserver = "192.0.2.1"\n',
            "domain.rfc2136",
            "applies only when domain.dns_provider = 'rfc2136'",
        ),
        (
            BASE.replace(
                'dns_provider = "route53"', 'dns_provider = "route53"\nzone = "example.com"'
            ),
            "domain.zone",
            "applies only when",
        ),
        (
            BASE.replace("route53", "rfc2136"),
            "domain.rfc2136.server",
            "is required here and missing",
        ),
        (
            BASE.replace("route53", "rfc2136") + '[domain.rfc2136]\nserver = "ns1"\n',
            "domain.rfc2136.server",
            "is not an IP address",
        ),
        (
            BASE.replace("route53", "rfc2136")
            + '[domain.rfc2136]\nserver = "192.0.2.1"\nport = 70000\n',
            "domain.rfc2136.port",
            "is not a port number",
        ),
        (
            BASE + '[authorization]\nscope = "ou_direct"\n',
            "authorization.targets",
            "is required with these settings",
        ),
        (
            BASE + '[authorization]\nscope = "accounts"\ntargets = ["12345"]\n',
            "authorization.targets",
            "account ID",
        ),
        (
            BASE + '[test_email]\ndelegate_profile = "d"\n',
            "test_email.to",
            "is required here and missing",
        ),
        (
            BASE + '[test_email]\nto = "ops@example.com"\n',
            "test_email.delegate_profile",
            "is required with these settings",
        ),
        (
            BASE + '[test_email]\nrole_arn = "arn:aws:iam::x"\nto = "ops@example.com"\n',
            "test_email.role_arn",
            "ARN",
        ),
        (
            BASE
            + '[test_email]\ndelegate_profile = "d"\nrole_arn = "arn:aws:iam::222222222222:role/R"\nto = "o@example.com"\n',
            "test_email.role_arn",
            "not both",
        ),
        (
            BASE
            + '[test_email]\ndelegate_profile = "d"\nto = "o@example.com"\nfrom = "x@other.org"\n',
            "test_email.from",
            "not an address of example.com",
        ),
        ("version = 2\n" + BASE, "version", "is not one this sesdmarc reads"),
        ("[accounts]\nregion = 'eu-west-1'\n", "domain", "the section [domain] is missing"),
        (BASE + "[dmarc\n", "", "is not valid TOML"),
    ],
)
def test_each_error_names_file_key_problem_and_example(text: str, key: str, fragment: str) -> None:
    found = problems(text)
    matching = [line for k, line in found if k == key]
    assert matching, found
    line = matching[0]
    assert line.startswith(f"setup.toml: {key}: " if key else "setup.toml: ")
    assert fragment in line, line
    assert "Example: " in line


def test_all_problems_are_reported_at_once() -> None:
    text = BASE + '[dmarc]\nstage = 9\nrua = ["nobody"]\nsp = "maybe"\n'
    assert [k for k, _ in problems(text)] == ["dmarc.stage", "dmarc.rua", "dmarc.sp"]


def rfc2136(extra: str) -> str:
    return BASE.replace("route53", "rfc2136") + '[domain.rfc2136]\nserver = "192.0.2.1"\n' + extra


def test_the_tsig_secret_comes_from_the_environment_and_stays_out_of_repr() -> None:
    config = parse_config(
        rfc2136('key_name = "k."\nsecret_env = "TSIG"\n'), environ={"TSIG": f" {SECRET}\n"}
    )
    assert config.step_values("domain")["tsig_secret"] == SECRET  # type: ignore[index]
    assert SECRET not in repr(config)
    state = validate_config(config)
    assert SECRET not in json.dumps(state.to_json())


def test_a_missing_variable_or_a_bad_secret_is_named_never_shown() -> None:
    [(key, line)] = problems(rfc2136('secret_env = "NOPE"\n'), environ={})
    assert key == "domain.rfc2136.secret_env" and "NOPE is not set" in line
    bad = "not*base64*" + SECRET
    found = problems(rfc2136('key_name = "k."\nsecret_env = "TSIG"\n'), environ={"TSIG": bad})
    assert any("not base64" in line for _, line in found)
    assert all(bad not in line for _, line in found)
    [(key, line)] = problems(
        rfc2136('secret_env = "A"\nsecret_file = "k"\n'), environ={"A": SECRET}
    )
    assert key == "domain.rfc2136.secret_file" and "not both" in line


def test_a_bind_key_file_gives_secret_name_and_algorithm(tmp_path: Path) -> None:
    key_file = tmp_path / "tsig.key"
    key_file.write_text(
        f'key "demo-key." {{\n\talgorithm hmac-sha512;\n\tsecret "{SECRET}";\n}};\n'
    )
    config = parse_config(rfc2136('secret_file = "tsig.key"\n'), base_dir=tmp_path, environ={})
    state = validate_config(config)
    assert state.value("domain", "rfc2136_key_name") == "demo-key"
    assert state.value("domain", "rfc2136_algorithm") == "hmac-sha512"
    assert config.step_values("domain")["tsig_secret"] == SECRET  # type: ignore[index]
    [(key, line)] = problems(rfc2136('secret_file = "missing.key"\n'), base_dir=tmp_path)
    assert key == "domain.rfc2136.secret_file" and "cannot be read" in line


def test_optional_sections_left_out_skip_their_steps() -> None:
    config = parse_config(BASE)
    assert config.skipped == ("authorization", "test_email")
    assert config.step_values("authorization") is None
    assert config.step_values("dmarc") == {}  # run with the step's defaults


def test_file_problems_are_config_errors(tmp_path: Path) -> None:
    for path, fragment in (
        (tmp_path / "absent.toml", "cannot be read"),
        (tmp_path, "is not a regular file"),
    ):
        with pytest.raises(ConfigError, match=fragment):
            read_config(path)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 300_000)
    with pytest.raises(ConfigError, match="larger than"):
        read_config(big)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"name = '\xff'")
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_config(binary)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is not a regular file"):
        read_config(fifo)  # fails at once, never waits for a writer
    good = tmp_path / "setup.toml"
    good.write_text(EXAMPLE)
    config, state = load_config(good)
    assert config.file == str(good) and state.domain == "example.com"


# -- never anything but ConfigError -----------------------------------------------------------

NAMES = sorted({k.name for k in KEYS} | {s.rpartition(".")[2] for s in SECTIONS} | {"version"})
LIKELY = st.sampled_from(
    [
        "eu-west-1",
        "example.com",
        "route53",
        "rfc2136",
        "manual",
        "ou_subtree",
        "organization",
        "accounts",
        "1",
        "mail",
        "ops@example.com",
        "inherit",
        "reject",
        "192.0.2.1",
        "k.",
        "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
        "ou-ab12-11111111",
        "111122223333",
        "arn:aws:iam::222222222222:role/R",
        "REJECT_MESSAGE",
        "relaxed",
        "hmac-sha256",
        "*@x",
    ]
)
scalars = st.one_of(
    st.text(max_size=40),
    LIKELY,
    st.integers(min_value=-5, max_value=70000),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3))
tables = st.dictionaries(
    st.sampled_from(NAMES) | st.text(min_size=1, max_size=8), values, max_size=6
)


def toml_string(text: str) -> str:
    escaped = "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c
        for c in text.replace("\\", "\\\\").replace('"', '\\"')
    )
    return f'"{escaped}"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


def toml_document(sections: dict[str, dict[str, object]]) -> str:
    lines: list[str] = []
    for section, table in sections.items():
        lines.append(f"[{toml_string(section) if '.' not in section else section}]")
        lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def load_only_config_errors(text: str) -> None:
    try:
        validate_config(parse_config(text, "fuzz.toml", environ={}))
    except ConfigError as exc:
        assert exc.problems and all(str(p).startswith("fuzz.toml: ") for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_else(text: str) -> None:
    load_only_config_errors(text)


BASE_TABLES: dict[str, dict[str, object]] = {
    "accounts": {"profile": "owner", "region": "eu-west-1"},
    "domain": {"name": "example.com", "dns_provider": "route53"},
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(SECTIONS)) | st.text(max_size=6), tables, max_size=6))
def test_random_toml_documents_never_raise_anything_else(
    sections: dict[str, dict[str, object]],
) -> None:
    document = {name: dict(table) for name, table in BASE_TABLES.items()}
    for name, table in sections.items():
        document.setdefault(name, {}).update(table)
    load_only_config_errors(toml_document(document))


shaped = st.one_of(
    LIKELY,
    st.text(max_size=30),
    st.lists(LIKELY | st.text(max_size=20), max_size=3),
    st.integers(min_value=0, max_value=70000),
)
# Only the keys each section knows, with values of every type: this reaches the validators.
known_sections = st.fixed_dictionaries(
    {},
    optional={
        section: st.dictionaries(st.sampled_from([k.name for k in keys_in(section)]), shaped)
        for section in SECTIONS
        if keys_in(section)
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known_sections)
def test_known_keys_with_random_values_never_raise_anything_else(
    sections: dict[str, dict[str, object]],
) -> None:
    document = {name: dict(table) for name, table in BASE_TABLES.items()}
    for name, table in sections.items():
        document.setdefault(name, {}).update(table)
    load_only_config_errors(toml_document(document))

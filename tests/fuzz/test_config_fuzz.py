"""Mutated ``setup.toml`` files: a ConfigError naming file and key, bounded work, nothing written.

``tests/headless/test_config.py`` feeds random text and random TOML documents; this starts
from complete, valid configs (the commented example ``init-config`` writes, and one using
every section, RFC 2136 and role mode included) and mutates them, so the edits land in values
the validators then read. Then the limits: a 20 MB file, TOML nested too deep for the parser.
Then the command: ``sesdmarc apply --config`` on mutated files exits 2 with one line per
problem and leaves the data directory empty; a config that survives its mutations is stopped
where the AWS session would be built, so no test can reach AWS.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings

from sesdmarc_tui.cli import cli
from sesdmarc_tui.setup_config import ConfigError, parse_config, read_config
from sesdmarc_tui.setup_config.example import EXAMPLE
from sesdmarc_tui.setup_config.load import MAX_CONFIG_BYTES
from sesdmarc_tui.setup_config.validate import validate_config
from tests.fuzz.mutate import mutated_text

FULL = """\
version = 1
[accounts]
profile = "owner"
region = "eu-west-1"
[domain]
name = "bücher.example"
dns_provider = "rfc2136"
zone = "xn--bcher-kva.example"
[domain.rfc2136]
server = "192.0.2.53"
port = 53
key_name = "sesdmarc."
algorithm = "hmac-sha256"
secret_env = "FUZZ_TSIG"
[mail_from]
subdomain = "bounce"
behavior_on_mx_failure = "REJECT_MESSAGE"
[dmarc]
stage = 2
rua = ["dmarc@xn--bcher-kva.example", "mailto:agg@example.net"]
ruf = ["forensic@xn--bcher-kva.example"]
sp = "quarantine"
np = "reject"
[authorization]
scope = "accounts"
targets = ["111122223333", "444455556666"]
from_addresses = ["app@xn--bcher-kva.example", "*@*.xn--bcher-kva.example"]
policy_name = "team-a_sending"
[test_email]
role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
external_id_env = "FUZZ_EXTERNAL_ID"
from = "test@xn--bcher-kva.example"
to = "ops@example.org"
subject = "fuzz"
"""
ENVIRON = {"FUZZ_TSIG": "c2VzZG1hcmMtZnV6ei1zZWNyZXQ=", "FUZZ_EXTERNAL_ID": "ext-1"}
SEEDS = [EXAMPLE, FULL]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def load(text: str) -> None:
    """Read and validate; only ConfigError may come out, every problem naming the file."""
    try:
        validate_config(parse_config(text, "fuzz.toml", environ=ENVIRON))
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            line = str(problem)
            assert line.startswith("fuzz.toml: ") and problem.message.strip(), line[:300]
            assert "\n" not in line and "Traceback" not in line, line[:300]


@pytest.mark.parametrize("text", SEEDS, ids=["example", "full"])
def test_the_seeds_are_valid(text: str) -> None:
    validate_config(parse_config(text, "fuzz.toml", environ=ENVIRON))


@FUZZ
@given(mutated_text(SEEDS))
@example(FULL.replace('"111122223333"', "[" * 3000 + "]" * 3000))
@example(FULL.replace("stage = 2", "stage = " + "{a=" * 3000 + "1" + "}" * 3000))
@example(FULL.replace("bücher", "xn--zz"))
@example(FULL.replace('"fuzz"', '"' + "x" * 100_000 + '"'))
def test_mutated_configs_give_config_errors_only(text: str) -> None:
    load(text)


def test_twenty_megabytes_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("w") as handle:
        handle.write(FULL)
        handle.write(("# " + "x" * 1022 + "\n") * (20 * 1024))
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        read_config(path)
    assert time.perf_counter() - started < 1.0
    assert f"larger than {MAX_CONFIG_BYTES // 1024} KiB" in str(info.value)


@pytest.mark.parametrize(
    "value",
    ["[" * 50_000, "[" * 10_000 + "]" * 10_000, "{a=" * 10_000 + "1" + "}" * 10_000],
    ids=["unclosed", "arrays", "tables"],
)
def test_nesting_just_under_the_size_limit_is_refused_in_bounded_time(value: str) -> None:
    # tomllib recurses per level with no limit of its own: this was a RecursionError.
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        parse_config(f"x = {value}\n", "deep.toml")
    assert time.perf_counter() - started < 2.0
    assert str(info.value).startswith("deep.toml: ")


def test_a_nul_in_a_file_name_is_a_config_error(tmp_path: Path) -> None:
    # argv cannot carry a NUL, but a TOML string can ("\u0000"): both were ValueErrors.
    with pytest.raises(ConfigError, match="file name"):
        read_config(Path("setup\x00.toml"))
    text = FULL.replace('secret_env = "FUZZ_TSIG"', 'secret_file = "tsig\\u0000.key"')
    with pytest.raises(ConfigError) as info:
        parse_config(text, "fuzz.toml", base_dir=tmp_path)
    assert "domain.rfc2136.secret_file" in str(info.value) and "NUL" in str(info.value)


# -- the command -------------------------------------------------------------------------------


class _Reached(Exception):
    """Validation passed and apply went on to build the AWS context: stopped here."""


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "xdg"
    data.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_STATE_HOME", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data))
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)

    def reached(*_args: object, **_kwargs: object) -> None:
        raise _Reached

    monkeypatch.setattr("sesdmarc_tui.commands.apply.build_context", reached)
    return data


def run_apply(config: Path, *extra: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(cli, ["apply", "--config", str(config), *extra])
    return result.exit_code, result.stderr, result.exception


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated_text(SEEDS, max_edits=3))
def test_apply_on_mutated_configs_exits_2_and_writes_nothing(
    text: str, isolated: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("cfg")
    config = folder / "setup.toml"
    config.write_text(text, encoding="utf-8", errors="surrogateescape")
    code, stderr, exception = run_apply(config, "--json")
    if isinstance(exception, _Reached):
        return  # still a valid config: apply would have gone on to AWS
    assert isinstance(exception, SystemExit), repr(exception)
    assert code == 2, (code, stderr[-500:])
    lines = stderr.strip().splitlines()
    assert lines and all(line.startswith(f"Error: {config}") for line in lines), stderr[-500:]
    assert "Traceback" not in stderr
    assert list(isolated.rglob("*")) == []
    assert sorted(p.name for p in folder.iterdir()) == ["setup.toml"]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00bad", b"x = " + b"[" * 100_000, b"a" * (MAX_CONFIG_BYTES + 10)],
    ids=["not-utf8", "deep", "over-limit"],
)
def test_apply_refuses_hostile_files_in_one_line(
    content: bytes, isolated: Path, tmp_path: Path
) -> None:
    config = tmp_path / "setup.toml"
    config.write_bytes(content)
    code, stderr, exception = run_apply(config)
    assert isinstance(exception, SystemExit) and code == 2, (exception, stderr)
    assert stderr.count("\n") == 1 and stderr.startswith(f"Error: {config}: ")
    assert list(isolated.rglob("*")) == []


@pytest.mark.parametrize("name", ["/dev/zero", "/dev/null", "no-such-dir/setup.toml", "."])
def test_apply_refuses_odd_paths_in_one_line(name: str, isolated: Path) -> None:
    code, stderr, exception = run_apply(Path(name))
    assert isinstance(exception, SystemExit) and code == 2, (exception, stderr)
    # Ours ("Error: FILE: ...") or click's usage error: either way one "Error:" line.
    assert "Traceback" not in stderr, stderr
    assert [line for line in stderr.splitlines() if line.startswith("Error: ")], stderr
    assert list(isolated.rglob("*")) == []


def test_values_checked_only_at_their_step_are_refused_when_the_file_is_read() -> None:
    # A From pattern outside the domain and an external ID AWS refuses used to pass the config
    # check and stop `apply` at the Authorization or Test email step, after the DNS work.
    text = FULL.replace('"app@xn--bcher-kva.example"', '"*@other.org"')
    environ = {**ENVIRON, "FUZZ_EXTERNAL_ID": "not valid\tat all"}
    with pytest.raises(ConfigError) as info:
        validate_config(parse_config(text, "fuzz.toml", environ=environ))
    keys = {p.key for p in info.value.problems}
    assert keys == {"authorization.from_addresses", "test_email.external_id_env"}, keys
    assert "not valid" not in str(info.value)  # the secret is never repeated

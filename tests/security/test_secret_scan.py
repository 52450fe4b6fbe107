"""No secret reaches a file or an output: a full sandbox run with canary credentials, scanned.

The owner's AWS profile holds a canary access key ID, secret key and session token; the RFC
2136 TSIG secret and the delegate role's external ID are canaries too (the sandbox's DNS server
is started with the canary TSIG key, so the updates really are signed with it). Then, as an
operator would: ``sesdmarc apply --config`` (JSON, then plain: nothing to do), every
``sesdmarc export`` format from the session and from the config, ``init-config
--from-session``, the Summary report Markdown the TUI's palette writes, and two deliberately
failed runs (DNS updates signed with a wrong canary TSIG secret; AWS unreachable with another
canary key). Everything written under the data directory and every output is scanned for every
canary: as is, base64 at any alignment (standard and URL-safe), hex, and for the TSIG secret
its decoded key bytes. The committed SVG snapshots are scanned for anything shaped like an AWS
key or a secret. ``test_the_scanner_finds_planted_canaries`` shows the scan can fail.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sesdmarc_tui.aws.pacing import shared_ses_pacer
from sesdmarc_tui.cli import cli

DOMAIN = "example.com"
REGION = "eu-west-1"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "tui" / "__snapshots__"
_ALNUM = string.ascii_letters + string.digits


def _random(alphabet: str, size: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(size))


class Canaries:
    """Distinctive values, new for every run, shaped like the real thing."""

    def __init__(self) -> None:
        upper = string.ascii_uppercase + string.digits
        self.access_key_id = "AKIACANARY" + _random(upper, 10)
        self.secret_access_key = "CanarySecretKey" + _random(_ALNUM, 25)
        self.session_token = "CanarySessionToken" + _random(_ALNUM, 100)
        # Base64 text (44 characters, like a 32-byte key) that is also recognisable as text.
        self.tsig_secret = "CanaryTsig" + _random(_ALNUM, 34)
        self.wrong_tsig_secret = "CanaryBadTsig" + _random(_ALNUM, 31)
        self.external_id = "canary-external-id-" + _random(_ALNUM, 16)
        self.failing_key_id = "AKIACANARYFAIL" + _random(upper, 6)
        self.failing_secret = "CanaryFailingSecret" + _random(_ALNUM, 21)

    def values(self) -> dict[str, str]:
        return dict(vars(self))


def needles(name: str, secret: str) -> dict[str, bytes]:
    """Byte strings whose presence means ``secret`` leaked, in any of the usual encodings."""
    raw = secret.encode()
    found = {name: raw, f"{name} (hex)": raw.hex().encode()}
    for shift in range(3):
        # Inside a longer base64 text the secret starts at any of three byte alignments:
        # encode from each, and keep only the characters that do not depend on its neighbours.
        encoded = base64.b64encode(raw[shift:])[:-4]
        found[f"{name} (base64+{shift})"] = encoded
        found[f"{name} (base64url+{shift})"] = encoded.replace(b"+", b"-").replace(b"/", b"_")
    if name.endswith("tsig_secret"):
        key = base64.b64decode(secret)
        found[f"{name} (key bytes)"] = key
        found[f"{name} (key hex)"] = key.hex().encode()
    return found


def scan(blobs: Iterable[tuple[str, bytes]], secret_values: dict[str, str]) -> list[str]:
    """``where: which secret (form)`` for every leak found."""
    patterns = {
        label: needle
        for name, value in secret_values.items()
        for label, needle in needles(name, value).items()
    }
    leaks = []
    for where, data in blobs:
        for label, needle in patterns.items():
            if needle in data:
                leaks.append(f"{where}: {label}")
    return leaks


def files_under(*roots: Path) -> Iterator[tuple[str, bytes]]:
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield str(path), path.read_bytes()


# -- the run -------------------------------------------------------------------------------------


@pytest.fixture
def canaries() -> Canaries:
    return Canaries()


@pytest.fixture
def box(canaries: Canaries, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    world = pytest.importorskip("sesdmarc_tui.sandbox.world")
    from sesdmarc_tui.sandbox.dns import runner

    def canary_tsig(cls: type[Any], name: str = runner.DEFAULT_TSIG_KEY_NAME) -> Any:
        return cls(name, runner.TSIG_ALGORITHM, canaries.tsig_secret)

    monkeypatch.setattr(runner.SandboxTsig, "generate", classmethod(canary_tsig))
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as sandbox:
        assert sandbox.dns.tsig.secret == canaries.tsig_secret
        write_credentials(sandbox, canaries.access_key_id, canaries.secret_access_key, canaries)
        for name, value in sandbox.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        monkeypatch.setenv("CANARY_TSIG", canaries.tsig_secret)
        monkeypatch.setenv("CANARY_EXTERNAL_ID", canaries.external_id)
        monkeypatch.setattr(shared_ses_pacer(), "interval", 0.0)
        yield sandbox


def write_credentials(box: Any, key_id: str, secret: str, canaries: Canaries) -> None:
    profile = box.profiles.owner
    box.profiles.credentials_file.write_text(
        f"[{profile}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
        f"aws_session_token = {canaries.session_token}\n"
    )


def setup_toml(box: Any, *, subdomain: str = "mail", tsig_env: str = "CANARY_TSIG") -> str:
    host, port = box.dns.auth_address
    marketing = box.world.account("marketing")
    return f"""
[accounts]
profile = "{box.profiles.owner}"
region = "{REGION}"

[domain]
name = "{DOMAIN}"
dns_provider = "rfc2136"

[domain.rfc2136]
server = "{host}"
port = {port}
key_name = "{box.dns.tsig.name.rstrip(".")}"
algorithm = "{box.dns.tsig.algorithm.rstrip(".")}"
secret_env = "{tsig_env}"

[mail_from]
subdomain = "{subdomain}"

[dmarc]
stage = 1
rua = ["dmarc-reports@{DOMAIN}"]

[authorization]
scope = "ou_subtree"
targets = ["{marketing.ou_id}"]

[test_email]
role_arn = "arn:aws:iam::{marketing.id}:role/OrganizationAccountAccessRole"
external_id_env = "CANARY_EXTERNAL_ID"
to = "ops@{DOMAIN}"
"""


def invoke(args: list[str], outputs: list[tuple[str, bytes]]) -> Any:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    where = "sesdmarc " + " ".join(args[:3])
    outputs.append((f"{where} (stdout)", result.stdout.encode()))
    outputs.append((f"{where} (stderr)", result.stderr.encode()))
    return result


def summary_report(box: Any, session: Path, directory: Path) -> list[Path]:
    """What the TUI's palette writes for "Export summary" (Markdown, HTML), rendered headless."""
    export = pytest.importorskip("screens.export")
    from sesdmarc_tui.flow.engine import Wizard
    from tests.support.sandbox_flow import Writes, sandbox_context

    ctx = sandbox_context(box, session.parent.parent, Writes())
    wizard = Wizard.from_saved(ctx, session)
    try:
        written = export.write_report(wizard, directory)
        export.write_records(wizard, directory)
    finally:
        wizard.close()
    return list(written) if isinstance(written, list | tuple) else [written]


def test_a_full_run_leaves_no_secret_anywhere(
    box: Any, canaries: Canaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs: list[tuple[str, bytes]] = []
    config = tmp_path / "setup.toml"
    config.write_text(setup_toml(box))

    first = invoke(["apply", "--config", str(config), "--json"], outputs)
    assert first.exit_code == 0, first.output[-3000:]
    payload = json.loads(first.stdout)
    assert payload["error"] is None and payload["writes"] >= 9, payload
    rfc2136_writes = [a for s in payload["steps"] for p in s.get("plans", []) for a in p["actions"]]
    assert any("rfc2136" in json.dumps(a) for a in rfc2136_writes)  # signed with the canary
    session = Path(payload["session"])
    again = invoke(["apply", "--config", str(config)], outputs)
    assert again.exit_code == 0 and "Nothing to do" in again.stdout, again.output[-2000:]

    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("zone", "csv", "terraform", "cloudformation"):
        out = exports / f"session.{fmt}"
        done = invoke(["export", "--format", fmt, "--domain", DOMAIN, "-o", str(out)], outputs)
        assert done.exit_code == 0 and out.stat().st_size, done.output
        if fmt in ("zone", "csv"):  # the whole-setup formats need org paths in a config
            done = invoke(["export", "--format", fmt, "--config", str(config)], outputs)
            assert done.exit_code == 0 and done.stdout, done.output
    replay = exports / "replay.toml"
    done = invoke(["init-config", "--from-session", "--domain", DOMAIN, "-o", str(replay)], outputs)
    assert done.exit_code == 0 and replay.read_text().strip(), done.output
    reports = summary_report(box, session, exports)
    assert any(p.suffix == ".md" and DOMAIN in p.read_text() for p in reports), reports

    # Failures: a new MAIL FROM to publish, with updates signed by a key the server refuses...
    config.write_text(setup_toml(box, subdomain="bounce", tsig_env="CANARY_BAD_TSIG"))
    monkeypatch.setenv("CANARY_BAD_TSIG", canaries.wrong_tsig_secret)
    failed = invoke(["apply", "--config", str(config), "--json"], outputs)
    assert failed.exit_code == 1, failed.output[-2000:]
    error = json.loads(failed.stdout)["error"]
    assert error and "mail_from" in json.dumps(error), error
    # ...and AWS unreachable, with yet another key.
    write_credentials(box, canaries.failing_key_id, canaries.failing_secret, canaries)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    box.profiles.config_file.write_text(
        box.profiles.config_file.read_text().replace(box.endpoint_url, "http://127.0.0.1:9")
    )
    failed = invoke(["apply", "--config", str(config)], outputs)
    assert failed.exit_code == 1 and "Could not reach" in failed.output, failed.output[-2000:]

    written = list(files_under(tmp_path / "xdg", exports))
    kinds = {Path(where).suffix for where, _ in written}
    assert {".json", ".jsonl", ".md", ".zone", ".csv", ".terraform", ".toml"} <= kinds, kinds
    leaks = scan([*written, *outputs], canaries.values())
    assert leaks == [], leaks


# -- the scanner and the snapshots ---------------------------------------------------------------


def test_the_scanner_finds_planted_canaries(tmp_path: Path, canaries: Canaries) -> None:
    values = canaries.values()
    assert scan(files_under(tmp_path), values) == []
    planted = {
        "plain.json": json.dumps({"secret": canaries.secret_access_key}).encode(),
        "b64.txt": base64.b64encode(b"Authorization: x" + canaries.session_token.encode()),
        "b64url.txt": base64.urlsafe_b64encode(b"ab" + canaries.access_key_id.encode() + b"z"),
        "hex.log": ("token=" + canaries.external_id.encode().hex()).encode(),
        "key.bin": b"\x00" + base64.b64decode(canaries.tsig_secret) + b"\x00",
    }
    for name, data in planted.items():
        (tmp_path / name).write_bytes(data)
    leaks = scan(files_under(tmp_path), values)
    found = {leak.split(": ", 1)[0].rsplit("/", 1)[-1] for leak in leaks}
    assert found == set(planted), leaks
    assert any("session_token (base64" in leak for leak in leaks)
    assert any("tsig_secret (key bytes)" in leak for leak in leaks)


SECRET_SHAPES = {
    "AWS access key ID": re.compile(rb"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    "AWS secret key line": re.compile(rb"aws_secret_access_key|aws_session_token", re.I),
    "TSIG or key-file secret": re.compile(rb"secret\W{1,20}[A-Za-z0-9+/]{20,}={0,2}", re.I),
    "private key": re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
}


def test_the_snapshots_hold_nothing_shaped_like_a_secret() -> None:
    svgs = sorted(SNAPSHOTS.rglob("*.svg"))
    assert svgs, f"no snapshots under {SNAPSHOTS}"
    found = [
        f"{svg.name}: {label}"
        for svg in svgs
        for label, shape in SECRET_SHAPES.items()
        if shape.search(svg.read_bytes())
    ]
    assert found == [], found


def test_the_shapes_match_what_they_look_for() -> None:
    sample = Canaries()
    assert SECRET_SHAPES["AWS access key ID"].search(sample.access_key_id.encode())
    assert SECRET_SHAPES["TSIG or key-file secret"].search(
        f'secret "{sample.tsig_secret}";'.encode()
    )
    assert not SECRET_SHAPES["AWS access key ID"].search(b"AKIA" + b"X" * 20)

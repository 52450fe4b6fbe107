"""``Sandbox``: what it hands the product, what it seeds, and that stopping leaves nothing."""

from __future__ import annotations

import configparser
import socket
import threading

import pytest

from sesdmarc_tui.aws.organizations import OrgTree
from sesdmarc_tui.sandbox.world import Sandbox, SandboxBusyError


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def test_a_sandbox_from_start_to_stop() -> None:
    box = Sandbox.start(domain="demo.example.net", region="us-east-1", speed=1.0)
    try:
        env = box.env()
        assert env["AWS_ENDPOINT_URL"] == box.endpoint_url.rstrip("/")
        assert env["AWS_PROFILE"] == "sesdmarc-demo-owner" and env["AWS_REGION"] == "us-east-1"
        assert env["SESDMARC_NAMESERVER"] == "{}:{}".format(*box.nameserver)
        assert box.nameserver == box.resolvers[0] and len(box.resolvers) == 4

        config = configparser.RawConfigParser()
        config.read(env["AWS_CONFIG_FILE"])
        campaigns = box.world.account("campaigns")
        section = config["profile sesdmarc-demo-campaigns"]
        assert section["role_arn"] == campaigns.role_arn
        assert section["source_profile"] == "sesdmarc-demo-owner"
        assert section["endpoint_url"] == box.endpoint_url
        credentials = configparser.RawConfigParser()
        credentials.read(env["AWS_SHARED_CREDENTIALS_FILE"])
        assert credentials["sesdmarc-demo-owner"]["aws_access_key_id"].startswith("AKIA")
        for path in (box.profiles.config_file, box.profiles.credentials_file, box.tsig_key_file):
            assert path.stat().st_mode & 0o777 == 0o600
        assert box.dns.tsig.secret in box.tsig_key_file.read_text()

        # The organization: two OUs at the root, one nested, a member account in each.
        tree = OrgTree(box.session())
        (root,) = tree.roots()
        top = {n.name: n for n in tree.children(root.id) if not n.is_account}
        assert set(top) == {"Marketing", "Engineering"}
        nested = [n.name for n in tree.children(top["Marketing"].id) if not n.is_account]
        assert nested == ["Campaigns"]
        assert campaigns.ou == "Marketing/Campaigns"
        assert box.session("sesdmarc-demo-campaigns").caller_identity().account == campaigns.id

        with pytest.raises(SandboxBusyError):
            Sandbox.start()
        ports = [box.server.address, box.dns.auth_address, box.nameserver]
    finally:
        box.stop()
    assert not any(_listening(*address) for address in ports)
    assert not box.directory.exists()
    running = {t.name for t in threading.enumerate()}
    assert not running & {"sandbox-moto", "sandbox-dns"}
    box.stop()  # twice is harmless


def test_a_failed_start_cleans_up_and_frees_the_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("seed failed")

    monkeypatch.setattr("sesdmarc_tui.sandbox.world.seed_world", broken)
    with pytest.raises(RuntimeError, match="seed failed"):
        Sandbox.start()
    monkeypatch.undo()
    with Sandbox.start(speed=1.0) as box:  # the slot was released
        assert box.world.members

"""The moto internals the shim relies on, checked against the installed moto.

If one of these fails after a moto upgrade, ``sesdmarc_tui/sandbox/aws/moto_bridge.py`` is the
one module to adapt; the version check tells which moto range the shim was written for.
"""

from __future__ import annotations

import pytest

from sesdmarc_tui.sandbox.aws import moto_bridge
from sesdmarc_tui.sandbox.world import Sandbox


def test_installed_moto_is_in_the_supported_range() -> None:
    low, high = moto_bridge.SUPPORTED_MOTO
    found = moto_bridge.moto_version()
    assert low <= found[:2] < high, (
        f"moto {'.'.join(map(str, found))} is outside the range the sandbox's SES shim supports "
        f"(>={low[0]}.{low[1]},<{high[0]}.{high[1]}): check moto_bridge against it, then widen "
        "SUPPORTED_MOTO and the moto bound in pyproject.toml together."
    )
    assert moto_bridge.check_moto_version() == found


def test_an_unsupported_moto_is_refused_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moto_bridge, "moto_version", lambda: (6, 0, 1))
    with pytest.raises(moto_bridge.UnsupportedMotoError, match=r"moto\[server\]>=5.1,<6"):
        moto_bridge.check_moto_version()


def test_account_of_follows_motos_priorities(box: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    assert moto_bridge.account_of("AKIAUNKNOWNUNKNOWN00") == moto_bridge.DEFAULT_ACCOUNT_ID
    assert moto_bridge.account_of(None, "222222222222") == "222222222222"
    campaigns = box.world.account("campaigns")
    credentials = box.session(box.profiles.delegate_for("campaigns"))._boto.get_credentials()
    assert moto_bridge.account_of(credentials.access_key) == campaigns.id
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    assert moto_bridge.account_of(credentials.access_key, "222222222222") == "333333333333"


def test_membership_gives_the_real_org_paths(box: Sandbox) -> None:
    world = box.world
    base = f"{world.org_id}/{world.root_id}/"
    campaigns = moto_bridge.membership_of(world.account("campaigns").id)
    assert campaigns is not None and campaigns.org_id == world.org_id
    assert campaigns.paths == (f"{base}{world.ous['Marketing']}/{world.ous['Campaigns']}/",)
    assert campaigns.management_account == world.management.id
    management = moto_bridge.membership_of(world.management.id)
    assert management is not None and management.paths == (base,)
    assert moto_bridge.membership_of("999999999999") is None


def test_moto_is_imported_by_the_bridge_only() -> None:
    import ast
    from pathlib import Path

    import sesdmarc_tui.sandbox as sandbox

    root = Path(sandbox.__file__).parent
    importers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "moto" or n.startswith("moto.") for n in names):
                importers.add(path.relative_to(root).as_posix())
    assert importers == {"aws/moto_bridge.py"}

"""The real environment's context and the DNS provider wiring (no network is used)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.dns.providers.errors import DnsProviderError, ProviderErrorKind
from sesdmarc_tui.dns.query import ServerKind
from sesdmarc_tui.flow.context import TSIG_SECRET, FlowContext, ProviderConfig
from sesdmarc_tui.flow.providers import build_provider, find_zone_apex

ZONE_DATA = {("example.com", "SOA"): ["ns1.example.com. admin.example.com. 1 2 3 4 5"]}


def test_from_environment_uses_only_the_given_servers(tmp_path: Path) -> None:
    ctx = FlowContext.from_environment(
        "owner",
        "eu-west-1",
        nameservers=[("127.0.0.1", 5300)],
        authoritative=[("127.0.0.2", 5301)],
        state_dir=tmp_path,
    )
    assert [(s.address, s.port, s.kind) for s in ctx.resolvers] == [
        ("127.0.0.1", 5300, ServerKind.RECURSIVE)
    ]
    assert ctx.authoritative is not None and ctx.authoritative[0].authoritative
    assert (ctx.default_profile, ctx.default_region) == ("owner", "eu-west-1")
    assert ctx.store.sessions_dir == tmp_path / "sessions"
    assert ctx.audit.path == tmp_path / "audit.jsonl"


def test_the_zone_apex_is_found_by_soa_up_to_the_registered_domain() -> None:
    lookup = StaticLookup(ZONE_DATA)
    assert find_zone_apex(lookup, "mail.example.com") == "example.com"
    assert find_zone_apex(lookup, "other.org") is None
    assert ("com.", "SOA") not in lookup.queries  # never above the registered domain


def test_rfc2136_needs_its_secret_and_manual_finds_its_zone(tmp_path: Path) -> None:
    ctx = FlowContext(state_dir=tmp_path, lookup=StaticLookup(ZONE_DATA))
    config = ProviderConfig("rfc2136", server="192.0.2.53", key_name="update-key")
    with pytest.raises(DnsProviderError) as caught:
        build_provider(ctx, config, "example.com")
    assert caught.value.kind is ProviderErrorKind.TSIG
    ctx.secrets[TSIG_SECRET] = "c2VjcmV0LXNlY3JldA=="
    provider = build_provider(ctx, config, "mail.example.com")
    assert (provider.name, provider.zone) == ("rfc2136", "example.com")
    manual = build_provider(ctx, ProviderConfig("manual"), "mail.example.com")
    assert (manual.name, manual.zone) == ("manual", "example.com")
    with pytest.raises(DnsProviderError):
        build_provider(ctx, ProviderConfig("manual"), "other.org")


def test_factories_are_cached_per_key(tmp_path: Path) -> None:
    made: list[str] = []

    def provider(ctx: FlowContext, config: ProviderConfig, domain: str) -> object:
        made.append(domain)
        return object()

    ctx = FlowContext(state_dir=tmp_path, lookup=StaticLookup(), dns_provider=provider)  # type: ignore[arg-type]
    config = ProviderConfig("manual")
    assert ctx.provider(config, "a.example") is ctx.provider(config, "a.example")
    ctx.provider(config, "b.example")
    ctx.forget_clients()
    ctx.provider(config, "a.example")
    assert made == ["a.example", "b.example", "a.example"]

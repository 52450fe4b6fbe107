"""Every field the wizard shows, fed mutated valid values: a value or one clear InputError.

The fields are collected from the steps themselves (each choice that brings in other fields is
tried: the DNS provider's, the scope's targets, the delegate mode's), so a field added later is
fuzzed without touching this file. Validation must write nothing: the wizard has no account
yet, and the state directory stays empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesdmarc_tui.core.lookup import StaticLookup
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import MAX_FIELD_CHARS, Field, InputError
from tests.fuzz.mutate import mutated_text

DOMAIN = "example.com"
# Valid values per field key: the seeds mutations start from.
SEEDS: dict[str, list[str]] = {
    "profile": ["default", "owner-admin"],
    "region": ["eu-west-1", "us-east-1"],
    "domain": [DOMAIN, "bücher.example", "mail.example.co.uk", "xn--bcher-kva.example"],
    "zone": [DOMAIN, "example.co.uk"],
    "rfc2136_server": ["192.0.2.53", "2001:db8::53"],
    "rfc2136_port": ["53", "5353"],
    "rfc2136_key_name": ["sesdmarc.", "update-key.example.com"],
    "rfc2136_algorithm": ["hmac-sha256", "hmac-sha512"],
    "tsig_secret": ["c2VzZG1hcmMtdGVzdC1zZWNyZXQtMzItYnl0ZXMhIQ==", "YWJjZA=="],
    "route53_zone_id": ["Z0123456789ABCDEFGHIJ"],
    "subdomain": ["mail", f"bounce.{DOMAIN}"],
    "address": [f"dmarc@reports.{DOMAIN}"],
    "bucket": ["sesdmarc-reports-111122223333-eu-west-1-example-com"],
    "prefix": [f"dmarc/{DOMAIN}/"],
    "rua": [f"dmarc@{DOMAIN}", f"mailto:a@{DOMAIN}, b@example.org"],
    "ruf": [f"forensic@{DOMAIN}"],
    "targets:account_ids": ["111122223333, 444455556666", "111122223333"],
    "targets:org_targets": ["ou-ab12-11111111", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"],
    "from_addresses": [f"*@{DOMAIN}", f"app@{DOMAIN} *@*.{DOMAIN}", f"news-?@{DOMAIN}"],
    "policy_name": ["sesdmarc-delegated-sending", "team_a-policy2"],
    "role_arn": ["arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"],
    "external_id": ["a1b2c3-external"],
    "delegate_profile": ["marketing"],
    "from_address": [f"test@{DOMAIN}", f"App@Mail.{DOMAIN}"],
    "to": ["ops@example.org"],
    "subject": ["sesdmarc test"],
}


def _wizard(state_dir: Path) -> Wizard:
    # No account or profile is ever set, so no AWS session is built; DNS answers from a table.
    wizard = Wizard(FlowContext(state_dir=state_dir, lookup=StaticLookup({})))
    wizard.state.domain = DOMAIN
    wizard.state.region = "eu-west-1"
    return wizard


def all_fields() -> list[tuple[str, Field]]:
    """(step id, field) for every field any choice of any step brings in."""
    wizard = _wizard(Path("/nonexistent-never-written"))
    found: dict[tuple[str, str, str], tuple[str, Field]] = {}
    for step in wizard.steps:
        inputs = wizard.state.inputs(step.id)
        variants: list[dict[str, str]] = [{}]
        for spec in step.fields(wizard.state):
            variants += [{spec.key: c.value} for c in spec.static_choices]
        for variant in variants:
            inputs.clear()
            inputs.update(variant)
            for spec in step.fields(wizard.state):
                name = getattr(spec.validator, "__qualname__", "")
                found.setdefault((step.id, spec.key, name), (step.id, spec))
        inputs.clear()
    return list(found.values())


FIELDS = all_fields()


def valid_seeds(spec: Field) -> list[str]:
    name = getattr(spec.validator, "__name__", "")
    return list(SEEDS.get(f"{spec.key}:{name}", SEEDS.get(spec.key, [])))


def seeds_for(spec: Field) -> list[str]:
    seeds = valid_seeds(spec)
    seeds += [c.value for c in spec.static_choices]
    if spec.default:
        seeds.append(spec.default)
    return seeds or ["x"]


def test_every_field_has_seeds() -> None:
    # A new free-text field gets its valid seeds here, or the fuzzer only mutates "x".
    free_text = [s for _, s in FIELDS if not s.static_choices and s.choices is None]
    assert all(valid_seeds(s) for s in free_text), [s.key for s in free_text if not valid_seeds(s)]
    assert len(FIELDS) >= 30


@pytest.mark.parametrize(("step_id", "spec"), FIELDS, ids=lambda v: getattr(v, "key", v))
def test_seeds_are_accepted(step_id: str, spec: Field) -> None:
    # Static choices are not all valid: the DMARC step lists "strict" alignment to refuse it.
    for seed in [*valid_seeds(spec), *([spec.default] if spec.default else [])]:
        spec.validate(seed)


def _check_refusal(exc: InputError, raw: str) -> None:
    assert exc.message.strip(), raw
    text = str(exc)
    # One line, control characters escaped: it is shown beside the field and in apply's output.
    assert not any(ord(c) < 0x20 for c in text), text[:300]
    # Bounded: at most the (bounded) value quoted twice and a sentence or two around it.
    assert len(text) < 2 * 4 * MAX_FIELD_CHARS + 1_500, text[:300]


@st.composite
def field_and_value(draw: st.DrawFn) -> tuple[str, Field, str]:
    step_id, spec = draw(st.sampled_from(FIELDS))
    return step_id, spec, draw(mutated_text(seeds_for(spec)))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=field_and_value())
def test_mutated_values_give_a_value_or_one_clear_error(case: tuple[str, Field, str]) -> None:
    _step_id, spec, raw = case
    try:
        value = spec.validate(raw)
    except InputError as exc:
        _check_refusal(exc, raw)
        assert exc.field == spec.key
        if spec.kind == "secret" and len(raw.strip()) >= 6:
            assert raw.strip() not in str(exc), "a refused secret is repeated in the message"
        return
    if spec.kind in ("secret", "bool") or spec.validator.__qualname__.endswith("_identity"):
        return
    # What a validator returns is the normal form: validating it again changes nothing.
    assert spec.validate(value) == value, (raw, value)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=st.lists(field_and_value(), min_size=1, max_size=6))
def test_set_inputs_with_hostile_values_writes_nothing(
    values: list[tuple[str, Field, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    state_dir = tmp_path_factory.mktemp("state")
    wizard = _wizard(state_dir)
    for step_id, spec, raw in values:
        errors = wizard.set_inputs(step_id, {spec.key: raw})
        for error in errors.values():
            _check_refusal(error, raw)
    assert list(state_dir.rglob("*")) == []

"""Fields: validation to normalised values, suggestions, secrets kept out of the state."""

from __future__ import annotations

import pytest

from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import Choice, Field, InputError, split_multi
from sesdmarc_tui.flow.steps import default_steps
from sesdmarc_tui.flow.validators import report_uris, subdomain_of
from tests.flow.fakes import DOMAIN, REGION, FakeProvider, ready_wizard


def test_field_kinds_normalise_what_front_ends_hand_over() -> None:
    flag = Field("f", "Flag", "bool")
    assert flag.validate(True) == "true" and flag.validate("No") == "false"
    with pytest.raises(InputError):
        flag.validate("maybe")
    many = Field("m", "Many", "multi")
    assert many.validate(["a", " b ", ""]) == "a,b"
    assert split_multi("a, b  c") == ["a", "b", "c"]
    pick = Field("p", "Pick", "choice", static_choices=(Choice("x", "X"),))
    with pytest.raises(InputError) as caught:
        pick.validate("y")
    assert caught.value.field == "p" and "x" in caught.value.hint
    with pytest.raises(InputError):
        Field("r", "Required").validate("  ")
    assert Field("o", "Optional", required=False).validate("") == ""


def test_core_value_errors_become_input_errors() -> None:
    def core_like(_text: str) -> str:
        error = ValueError("bad")
        error.hint = "fix it"  # type: ignore[attr-defined]
        raise error

    with pytest.raises(InputError) as caught:
        Field("k", "K", validator=core_like).validate("x")
    assert (caught.value.message, caught.value.hint, caught.value.field) == ("bad", "fix it", "k")


def test_domain_and_subdomain_validation() -> None:
    check = subdomain_of(DOMAIN)
    assert check("mail") == f"mail.{DOMAIN}"
    assert check("Bounce.Example.com.") == f"bounce.{DOMAIN}"
    with pytest.raises(InputError):
        check(DOMAIN)
    with pytest.raises(InputError):
        check("mail.other.org")
    assert report_uris("a@example.com, mailto:b@example.org") == (
        "mailto:a@example.com,mailto:b@example.org"
    )
    with pytest.raises(InputError):
        report_uris("a@example.com!10m")


def test_set_inputs_reports_bad_values_and_keeps_good_ones(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = Wizard(ctx)
    errors = wizard.set_inputs(
        "domain", {"domain": "bücher.example", "provider": "carrier-pigeon", "nope": 1}
    )
    assert set(errors) == {"provider", "nope"}
    assert wizard.state.inputs("domain") == {"domain": "xn--bcher-kva.example"}
    errors = wizard.set_inputs("domain", {"domain": "https://example.com"})
    assert "not a bare domain name" in errors["domain"].message
    assert wizard.state.inputs("domain")["domain"] == "xn--bcher-kva.example"


def test_fields_fill_suggestions_and_previous_answers(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = Wizard(ctx)
    defaults = {f.key: f.default for f in wizard.fields("accounts")}
    assert defaults == {"profile": "owner", "region": None}
    wizard.set_inputs("accounts", {"profile": "owner"})
    assert {f.key: f.default for f in wizard.fields("accounts")}["region"] == REGION
    profiles = wizard.fields("accounts")[0].options(ctx, wizard.state)
    assert [c.value for c in profiles] == ["owner", "delegate"]


def test_provider_fields_follow_the_provider_choice(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx)
    wizard.set_inputs("domain", {"provider": "rfc2136"})
    keys = [f.key for f in wizard.fields("domain")]
    assert "rfc2136_server" in keys and "tsig_secret" in keys
    secret = next(f for f in wizard.fields("domain") if f.key == "tsig_secret")
    assert secret.kind == "secret"


def test_every_step_has_help() -> None:
    from assets import asset

    for step in default_steps():
        text = asset("help", f"{step.help_id}.md").read_text(encoding="utf-8")
        assert text.startswith("# "), step.id

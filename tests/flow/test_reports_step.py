"""The optional Reports inbox step in the flow: where it sits, skipping it, and the rua.

Skipping runs in the in-memory world, whose AWS session has no S3 or SES-receiving client at
all: a skip that read or wrote anything there would fail. Setting collection up for real is
``tests/sandbox/test_reports_e2e.py``; here the session holds what that step leaves behind.
"""

from __future__ import annotations

from types import SimpleNamespace

from sesdmarc_tui.core.reports import collection as spec
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.reports.actions import remember
from sesdmarc_tui.flow.reports.setup import SKIPPED
from sesdmarc_tui.flow.steps import default_steps
from sesdmarc_tui.flow.steps.summary import cleanup_plan
from tests.flow.fakes import DOMAIN, FakeProvider, World, ready_wizard

COLLECTION = f"dmarc@reports.{DOMAIN}"


def test_the_step_sits_between_mail_from_and_dmarc() -> None:
    ids = [s.id for s in default_steps()]
    assert ids == [
        "accounts",
        "domain",
        "dkim",
        "mail_from",
        "reports",
        "dmarc",
        "authorization",
        "test_email",
        "summary",
    ]


def test_skipping_writes_nothing_and_counts_as_done(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    assert wizard.next_after("mail_from").id == "reports"
    before = (list(world.writes), dns.writes, len(list(ctx.audit.entries())))
    status = wizard.status("reports")
    assert status.kind == "todo" and "Not decided" in status.message
    assert wizard.resume().id == "reports"  # an undecided optional step is still offered

    [choice] = wizard.fields("reports")
    assert (choice.key, choice.default) == ("collect", "skip")
    run = wizard.run_step("reports")  # what Check then Confirm does with the default

    assert [p.empty for p in run.plans] == [True] and run.status.done
    assert run.status.message == SKIPPED
    assert (list(world.writes), dns.writes, len(list(ctx.audit.entries()))) == before
    assert wizard.state.inputs("reports") == {"collect": "skip"}
    assert wizard.next_after("reports").id == "dmarc"
    assert wizard.resume().id == "dmarc"
    # A skip leaves the DMARC step its own default address.
    rua = next(f for f in wizard.fields("dmarc") if f.key == "rua")
    assert rua.default == f"dmarc-reports@{DOMAIN}"


def test_choosing_collection_brings_its_fields(fake: tuple[FlowContext, FakeProvider]) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    assert not wizard.set_inputs("reports", {"collect": "ses"})
    keys = [f.key for f in wizard.fields("reports")]
    assert keys == ["collect", "address", "region", "bucket", "prefix"]
    assert wizard.status("reports").kind == "todo"
    refused = wizard.set_inputs("reports", {"region": "eu-south-1"})
    assert "eu-south-1" in refused["region"].message and "eu-west-1" in refused["region"].hint


def collected(wizard: Wizard, address: str) -> None:
    """What the collection step leaves in the session once it is set up (``remember``)."""
    assert not wizard.set_inputs("reports", {"collect": "ses"})
    found = SimpleNamespace(
        policy_domain=DOMAIN,
        address=spec.reports_address(address),
        region="eu-west-1",
        bucket="sesdmarc-reports-test",
        prefix="dmarc/",
        rule_set=spec.RULE_SET,
        rule={"Name": "sesdmarc-dmarc"},
        source="s3://sesdmarc-reports-test/dmarc/",
    )
    remember(wizard.state, found)  # type: ignore[arg-type]


def test_dmarc_proposes_the_collection_address(
    fake: tuple[FlowContext, FakeProvider], world: World
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    collected(wizard, COLLECTION)
    rua = next(f for f in wizard.fields("dmarc") if f.key == "rua")
    assert rua.default == f"mailto:{COLLECTION}"
    assert "Reports inbox" in rua.help
    assert wizard.run_step("dmarc").status.done  # no rua typed: the proposal is used
    record = world.zone.sets[(f"_dmarc.{DOMAIN}", "TXT")]
    assert record == (f"v=DMARC1; p=none; rua=mailto:{COLLECTION}",)


def test_an_address_in_another_domain_comes_with_its_record(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    collected(wizard, "dmarc@reports.example.net")
    assert wizard.state.resource("reports", "external_record") == [
        f"{DOMAIN}._report._dmarc.reports.example.net",
        "v=DMARC1;",
    ]
    plan = wizard.plan("dmarc")
    zone_lines = "\n".join(p.text for p in plan.previews if p.kind == "zone")
    assert f'{DOMAIN}._report._dmarc.reports.example.net. TXT "v=DMARC1;"' in zone_lines


def test_a_later_skip_stops_proposing_the_old_address(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    collected(wizard, COLLECTION)
    assert not wizard.set_inputs("reports", {"collect": "skip"})
    rua = next(f for f in wizard.fields("dmarc") if f.key == "rua")
    assert rua.default == f"dmarc-reports@{DOMAIN}"
    assert wizard.status("reports").done


def test_cleanup_names_the_collection_it_leaves_in_place(
    fake: tuple[FlowContext, FakeProvider],
) -> None:
    ctx, _dns = fake
    wizard = ready_wizard(ctx, through="mail_from")
    assert not [n for n in cleanup_plan(ctx, wizard.state).notes if "Reports" in n.label]
    collected(wizard, COLLECTION)
    [note] = [n for n in cleanup_plan(ctx, wizard.state).notes if "Reports" in n.label]
    assert "sesdmarc-reports-test" in note.value and COLLECTION in note.value

"""Step 5, DMARC: a staged policy at the organizational domain, shown as a diff first.

The record always goes to ``_dmarc.<organizational domain>`` (a subdomain-only record would make
the subdomain its own organizational domain under RFC 9989 and break SES alignment). Stages
come from ``core.dmarc.LADDER``, which behaves the same at RFC 7489 and RFC 9989 receivers.
Alignment stays relaxed: SES's MAIL FROM is always a subdomain, so ``aspf=s`` can never pass,
and strict is refused with that reason. Report addresses in another organization need a
record in that zone, which is shown (the wizard cannot publish it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sesdmarc_tui.core.dmarc import LADDER, detect_stage, get_stage, lint_dmarc, parse_dmarc
from sesdmarc_tui.core.dmarc import stage_record as build_stage_record
from sesdmarc_tui.core.dmarc.external import ExternalDestination
from sesdmarc_tui.core.names import org_domain_psl
from sesdmarc_tui.core.records import dmarc_record
from sesdmarc_tui.dns.providers.errors import DnsProviderError
from sesdmarc_tui.flow import validators
from sesdmarc_tui.flow.context import FlowContext
from sesdmarc_tui.flow.model import (
    ApplyReport,
    Choice,
    Fact,
    Field,
    InputError,
    Inspection,
    Level,
    Plan,
    Preview,
    Progress,
    StepStatus,
)
from sesdmarc_tui.flow.runner import apply_plan, save
from sesdmarc_tui.flow.state import SessionState, iso_time, parse_time
from sesdmarc_tui.flow.steps.base import DMARC, complete, dns_provider, domain_of, expect, planned
from sesdmarc_tui.flow.steps.publish import dns_part

POLICIES = (
    Choice("inherit", "Same as p"),
    Choice("none", "none"),
    Choice("quarantine", "quarantine"),
    Choice("reject", "reject"),
)
STRICT_REASON = (
    "Strict alignment cannot pass with SES: the custom MAIL FROM is always a subdomain (so "
    "aspf=s never aligns), and SES signs mail From subdomains with the parent domain (so "
    "adkim=s fails for them)."
)
# Days at a stage before the reports can support the next one (LADDER's advance_when).
REVIEW_DAYS = {1: 14, 2: 14, 3: 28, 4: 14}


def _relaxed_only(text: str) -> str:
    if text.strip().lower() != "relaxed":
        raise InputError("Strict alignment is refused.", STRICT_REASON)
    return "relaxed"


@dataclass(frozen=True, kw_only=True)
class DmarcInspection(Inspection):
    domain: str
    organizational_domain: str
    existing: tuple[str, ...]  # every DMARC record now at _dmarc.<org>
    existing_stage: int | None
    wanted: str | None  # the record to publish, or None when the inputs do not build one
    problem: str | None = None


def organizational_domain(state: SessionState) -> str:
    return org_domain_psl(domain_of(state))


def _policy(value: str) -> str | None:
    return None if value in ("", "inherit") else value


def collection(state: SessionState) -> tuple[str | None, tuple[str, str] | None]:
    """The ``rua`` of the reports address the Reports inbox step set up, and the
    external-destination record (name, value) its zone needs when it is in another domain."""
    # Imported here: flow.reports imports flow.steps.base (see ``default_steps``).
    from sesdmarc_tui.flow.reports.inspect import REPORTS
    from sesdmarc_tui.flow.reports.setup import SKIP, collection_rua, mode_of

    if mode_of(state) == SKIP:
        return None, None
    external = state.resource(REPORTS, "external_record")
    pair = (
        (str(external[0]), str(external[1]))
        if isinstance(external, list) and len(external) == 2
        else None
    )
    return collection_rua(state), pair


def default_rua(state: SessionState) -> str:
    """The collection's address when the wizard set one up, else dmarc-reports@<org>."""
    rua, _external = collection(state)
    org = organizational_domain(state) if state.domain else "example.com"
    return rua or f"dmarc-reports@{org}"


def wanted_record(state: SessionState) -> str:
    """The record the inputs ask for; ``ValueError`` when they cannot make one."""
    inputs = state.inputs(DMARC)
    rua = validators.report_uris(inputs.get("rua") or default_rua(state))
    ruf = validators.report_uris(inputs.get("ruf", "")) if inputs.get("ruf") else ""
    return build_stage_record(
        int(inputs.get("stage") or "1"),
        validators.uri_list(rua),
        ruf=validators.uri_list(ruf),
        sp=_policy(inputs.get("sp", "")),
        np=_policy(inputs.get("np", "")),
    )


def tag_diff(old: str | None, new: str) -> str:
    """Tag-by-tag changes from ``old`` to ``new``, one line each."""
    before = dict(parse_dmarc(old).tags or {}) if old else {}
    after = dict(parse_dmarc(new).tags or {})
    lines = [f"- {old}" if old else "- (no record)", f"+ {new}", ""]
    for name in dict.fromkeys([*before, *after]):
        if name == "v":
            continue
        a, b = before.get(name), after.get(name)
        a_text = ",".join(a) if isinstance(a, tuple) else a
        b_text = ",".join(b) if isinstance(b, tuple) else b
        if a_text == b_text:
            lines.append(f"  {name}={b_text}")
        elif a_text is None:
            lines.append(f"+ {name}={b_text}")
        elif b_text is None:
            lines.append(f"- {name}={a_text}")
        else:
            lines.append(f"~ {name}: {a_text} -> {b_text}")
    return "\n".join(lines)


def next_review(state: SessionState) -> tuple[int, str] | None:
    """(stage reached, ISO date from which the reports may support the next stage)."""
    stage = state.resource(DMARC, "stage")
    published = state.resource(DMARC, "published_at")
    if not isinstance(stage, int) or not isinstance(published, str) or stage not in REVIEW_DAYS:
        return None
    when = parse_time(published) + timedelta(days=REVIEW_DAYS[stage]).total_seconds()
    return stage, iso_time(when)[:10]


def _collection_previews(
    state: SessionState, wanted: str, outside: list[ExternalDestination]
) -> list[Preview]:
    """The external-destination record of the collection address, when the record sends the
    reports there and the address is in another domain (already shown when not yet visible)."""
    rua, external = collection(state)
    sent_to = (parse_dmarc(wanted).tags or {}).get("rua", ())
    if rua is None or external is None or rua not in sent_to:
        return []
    if any(d.required_record and d.required_record[0] == external[0] for d in outside):
        return []
    return [
        Preview(
            "The reports address's zone publishes (found in DNS)",
            f'{external[0]}. TXT "{external[1]}"\n',
            "zone",
        )
    ]


class DmarcStep:
    id = DMARC
    title = "DMARC"
    help_id = "dmarc"

    def fields(self, state: SessionState) -> list[Field]:
        collected, _external = collection(state)
        return [
            Field(
                "stage",
                "Stage",
                "choice",
                default="1",
                help="Start at 1 and move up as the aggregate reports show every sender passing.",
                static_choices=tuple(
                    Choice(
                        str(s.number), f"{s.number} {s.title}", f"{s.explanation} {s.consequence}"
                    )
                    for s in LADDER
                ),
            ),
            Field(
                "rua",
                "Aggregate reports to",
                default=default_rua(state),
                help="Addresses for the daily aggregate reports (comma-separated)."
                + (
                    " The default is the address the Reports inbox step set up."
                    if collected
                    else ""
                ),
                validator=validators.report_uris,
            ),
            Field(
                "ruf",
                "Failure reports to",
                required=False,
                help="Optional; few receivers send them, and they may contain message content.",
                validator=validators.report_uris,
            ),
            Field(
                "sp",
                "Policy for existing subdomains",
                "choice",
                default="inherit",
                static_choices=POLICIES,
            ),
            Field(
                "np",
                "Policy for non-existent subdomains",
                "choice",
                default="inherit",
                static_choices=POLICIES,
            ),
            Field(
                "alignment",
                "Alignment",
                "choice",
                default="relaxed",
                help=STRICT_REASON,
                validator=_relaxed_only,
                static_choices=(Choice("relaxed", "relaxed"), Choice("strict", "strict")),
            ),
        ]

    def inspect(self, ctx: FlowContext, state: SessionState) -> Inspection:
        domain, org = domain_of(state), organizational_domain(state)
        name = f"_dmarc.{org}"
        facts: list[Fact] = []
        try:
            current = dns_provider(ctx, state, org).read([(name, "TXT")]).get((name, "TXT"))
            values = current.values if current is not None else ()
        except DnsProviderError as exc:
            values = tuple(ctx.lookup(name, "TXT").values)
            facts.append(Fact("DNS provider", exc.message, "warn", exc.remedy))
        existing = tuple(v for v in values if parse_dmarc(v).is_dmarc)
        stage = None
        if not existing:
            facts.append(Fact("Current record", f"No DMARC record at {name}."))
        elif len(existing) > 1:
            facts.append(
                Fact(
                    "Current record",
                    f"{len(existing)} DMARC records at {name}: receivers ignore them all.",
                    "error",
                    "Publishing this step replaces them with one.",
                )
            )
        else:
            lint = lint_dmarc(existing[0], domain=org, lookup=ctx.lookup)
            found = detect_stage(existing[0])
            stage = found.number if found else None
            verdict: Level = (
                "ok" if lint.verdict == "ok" else ("warn" if lint.verdict == "warn" else "error")
            )
            facts.append(Fact("Current record", existing[0], verdict))
            facts.extend(Fact(f.kind, f.message, "error") for f in lint.errors)
            facts.extend(Fact(f.kind, f.message, "warn") for f in lint.warnings)
        wanted: str | None = None
        problem: str | None = None
        try:
            wanted = wanted_record(state)
        except ValueError as exc:
            problem = str(getattr(exc, "message", "") or exc)
        return DmarcInspection(
            step_id=self.id,
            facts=tuple(facts),
            records=(dmarc_record(org, wanted),) if wanted else (),
            domain=domain,
            organizational_domain=org,
            existing=existing,
            existing_stage=stage,
            wanted=wanted,
            problem=problem,
        )

    def plan(self, ctx: FlowContext, state: SessionState, inspection: Inspection) -> Plan:
        found = expect(inspection, DmarcInspection)
        if found.wanted is None:
            blocker = Fact(
                "Record",
                found.problem or "The inputs make no record.",
                "error",
                "Fix the stage or the report addresses.",
            )
            return Plan(step_id=self.id, blockers=(blocker,), inspection=found)
        org = found.organizational_domain
        lint = lint_dmarc(found.wanted, domain=org, lookup=ctx.lookup)
        blockers = [Fact(f.kind, f.message, "error") for f in lint.errors]
        notes = [Fact(f.kind, f.message, "warn") for f in lint.warnings]
        previews = [
            Preview(
                f"_dmarc.{org}",
                tag_diff(found.existing[0] if found.existing else None, found.wanted),
                "diff",
            )
        ]
        outside = [d for d in lint.external or () if d.required_record and not d.authorized]
        if outside:
            previews.append(
                Preview(
                    "Records the report destinations must publish",
                    "\n".join(
                        f'{d.required_record[0]}. TXT "{d.required_record[1]}"'
                        for d in outside
                        if d.required_record
                    )
                    + "\n",
                    "zone",
                )
            )
        previews.extend(_collection_previews(state, found.wanted, outside))
        stage = get_stage(int(state.value(DMARC, "stage") or "1"))
        notes.append(Fact("Next stage", stage.advance_when))
        part = dns_part(self.id, dns_provider(ctx, state, org), found.records)
        return Plan(
            step_id=self.id,
            actions=part.actions,
            blockers=(*blockers, *part.blockers),
            notes=(*notes, *part.notes),
            previews=(*previews, *part.previews),
            dns=part.plan,
            inspection=found,
        )

    def apply(
        self, ctx: FlowContext, state: SessionState, plan: Plan, progress: Progress
    ) -> ApplyReport:
        found = planned(plan, DmarcInspection)
        provider = dns_provider(ctx, state, found.organizational_domain)
        report = apply_plan(ctx, state, plan, progress, execute=lambda _a: "", provider=provider)
        resources = state.step(self.id).resources
        if report.changed or resources.get("record") != found.wanted:
            resources.update(
                {
                    "record": found.wanted,
                    "stage": int(state.value(DMARC, "stage") or "1"),
                    "organizational_domain": found.organizational_domain,
                    "published_at": iso_time(ctx.now()),
                }
            )
            complete(ctx, state, self.id)
            save(ctx, state)
        return report

    def status(self, ctx: FlowContext, state: SessionState) -> StepStatus:
        wanted = state.resource(DMARC, "record")
        if not isinstance(wanted, str):
            return StepStatus("todo", "No DMARC record published by this wizard yet.")
        org = organizational_domain(state)
        name = f"_dmarc.{org}"
        current = dns_provider(ctx, state, org).read([(name, "TXT")]).get((name, "TXT"))
        values = [v for v in (current.values if current else ()) if parse_dmarc(v).is_dmarc]
        if values == [wanted]:
            review = next_review(state)
            when = f"; consider the next stage from {review[1]}" if review else ""
            return StepStatus("done", f"DMARC stage {state.resource(DMARC, 'stage')}{when}.")
        if not values:
            return StepStatus("current", f"Waiting for {name} to be published.")
        return StepStatus(
            "attention",
            f"{name} holds {values[0]!r}, not the record this wizard published.",
            "Run the DMARC step again to review the difference.",
        )

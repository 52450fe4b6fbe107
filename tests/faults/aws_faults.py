"""AWS faults injected at the wire with botocore event hooks, and writes counted by outcome.

A :class:`FaultPlan` hooks ``before-send`` on an ``AwsSession``'s boto3 session, like
``Writes.hook`` does: a matching request gets an HTTP error reply (an ``AWSResponse`` in the
service's own wire format, so botocore parses, classifies and retries it as it would AWS's) or
raises the botocore exception a broken network raises. Nothing in the product is mocked: the
adapters, the error translation, botocore's retry handler and the step engine all run.

:class:`Outcomes` records which AWS writes *succeeded* (``after-call`` with a 2xx status), which
``Writes`` cannot tell: it records a write when its parameters are built, before it may fail.

:class:`Run` is one wizard on the sandbox (``sandbox_context`` plus these hooks, SES back-off
with a millisecond base, retry notices recorded) driven through every step; ``reset`` puts the
sandbox back as seeded between cases, and ``readable``/``consistent`` are the checks a stopped
run must pass.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import (
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from sesdmarc_tui.aws.pacing import Pacer, RetryPolicy
from sesdmarc_tui.aws.ses import SesAdapter
from sesdmarc_tui.aws.session import AwsSession
from sesdmarc_tui.flow.context import DelegateChoice, FlowContext
from sesdmarc_tui.flow.engine import Wizard
from sesdmarc_tui.flow.model import FlowError
from tests.support.sandbox_flow import Writes, is_write, sandbox_context

# Wire protocol per botocore service id (hyphenized, as in event names).
XML_SERVICES = frozenset({"route-53", "sts"})
# boto3 service id -> IAM prefix, to build the "not authorized" text AWS sends.
IAM = {
    "sesv2": "ses",
    "route-53": "route53",
    "sts": "sts",
    "organizations": "organizations",
    "accessanalyzer": "access-analyzer",
}
PRINCIPAL = "arn:aws:sts::111122223333:assumed-role/Operator/alice"


class _Raw:
    """The slice of a urllib3 response that ``AWSResponse.content`` reads."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, *_: Any, **__: Any) -> list[bytes]:
        return [self.body]


def error_reply(service_id: str, url: str, status: int, code: str, message: str) -> AWSResponse:
    """An AWS error reply as ``service_id`` sends it (JSON body, or the XML ErrorResponse)."""
    if service_id in XML_SERVICES:
        body = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>fault-injected</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml", "x-amzn-RequestId": "fault-injected"}
    else:
        body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-ErrorType": code,
            "x-amzn-RequestId": "fault-injected",
        }
    return AWSResponse(url, status, headers, _Raw(body))


def not_authorized(service_id: str, operation: str, resource: str | None) -> str:
    on = f" on resource: {resource}" if resource else ""
    prefix = IAM.get(service_id, service_id)
    return f"User: {PRINCIPAL} is not authorized to perform: {prefix}:{operation}{on}"


Effect = Callable[[str, str, Any], "AWSResponse | None"]
"""(service id, operation, request) -> a reply, or raise; ``None`` lets the request through."""


def reply(status: int, code: str, message: str = "") -> Effect:
    def effect(service_id: str, operation: str, request: Any) -> AWSResponse:
        return error_reply(service_id, request.url, status, code, message or code)

    return effect


def access_denied(resource: str | None = None) -> Effect:
    def effect(service_id: str, operation: str, request: Any) -> AWSResponse:
        json_code = "AccessDenied" if service_id in XML_SERVICES else "AccessDeniedException"
        text = not_authorized(service_id, operation, resource)
        return error_reply(service_id, request.url, 403, json_code, text)

    return effect


def raise_(kind: str) -> Effect:
    """A network failure: ``connect`` (never connected), ``reset``, ``timeout`` (both sent)."""

    def effect(service_id: str, operation: str, request: Any) -> None:
        if kind == "connect":
            raise EndpointConnectionError(endpoint_url=request.url)
        if kind == "reset":
            raise ConnectionClosedError(endpoint_url=request.url)
        raise ReadTimeoutError(endpoint_url=request.url)

    return effect


@dataclass
class Fault:
    """``effect`` on requests for ``operation`` (``"*"``: any), from the ``after``-th matching
    attempt on, ``times`` times (``None``: for ever)."""

    operation: str
    effect: Effect
    times: int | None = None
    after: int = 0
    seen: int = 0
    fired: int = 0

    def wants(self, operation: str) -> bool:
        if self.operation not in ("*", operation):
            return False
        self.seen += 1
        if self.seen <= self.after:
            return False
        return self.times is None or self.fired < self.times


@dataclass
class FaultPlan:
    """Faults to inject on every session hooked; ``active`` off lets everything through."""

    faults: list[Fault] = field(default_factory=list)
    active: bool = True
    injected: list[str] = field(default_factory=list)  # operations that got a fault
    attempts: list[str] = field(default_factory=list)  # every HTTP attempt, retries included

    def hook(self, session: AwsSession) -> AwsSession:
        def before_send(request: Any, event_name: str, **_: Any) -> AWSResponse | None:
            service_id, operation = event_name.split(".", 2)[1:]
            self.attempts.append(operation)
            if not self.active:
                return None
            for fault in self.faults:
                if fault.wants(operation):
                    fault.fired += 1
                    self.injected.append(operation)
                    return fault.effect(service_id, operation, request)
            return None

        session._boto.events.register("before-send.*.*", before_send)
        return session


@dataclass
class Outcomes:
    """AWS writes that AWS accepted, as (operation, parameters JSON), in order."""

    ok: list[tuple[str, str]] = field(default_factory=list)

    def hook(self, session: AwsSession) -> AwsSession:
        def params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["faults.params"] = json.dumps(params, sort_keys=True, default=str)

        def after(http_response: Any, model: Any, context: dict[str, Any], **_: Any) -> None:
            if is_write(model.name) and http_response.status_code < 300:
                self.ok.append((model.name, context.get("faults.params", "")))

        session._boto.events.register("before-parameter-build.*.*", params)
        session._boto.events.register("after-call.*.*", after)
        return session

    def ops(self) -> list[str]:
        return [op for op, _ in self.ok]


# -- the wizard on the sandbox, and what a case checks -----------------------------------


RecordSets = dict[tuple[str, str], dict[str, Any]]


def record_sets(box: Any) -> RecordSets:
    pages = box.session().client("route53").get_paginator("list_resource_record_sets")
    found: RecordSets = {}
    for page in pages.paginate(HostedZoneId=box.world.hosted_zone_id):
        for rrset in page["ResourceRecordSets"]:
            found[(rrset["Name"], rrset["Type"])] = rrset
    return found


def reset(box: Any, baseline: RecordSets) -> None:
    """Back to the world as seeded: no identity (its policies and MAIL FROM go with it), the
    hosted zone's record sets as they were, and every resolver's cache empty."""
    ses = box.session(region=box.region).client("sesv2")
    with contextlib.suppress(ses.exceptions.NotFoundException):
        ses.delete_email_identity(EmailIdentity=box.domain)
    now = record_sets(box)
    changes = [
        {"Action": "DELETE", "ResourceRecordSet": r} for k, r in now.items() if baseline.get(k) != r
    ]
    changes += [
        {"Action": "CREATE", "ResourceRecordSet": r} for k, r in baseline.items() if now.get(k) != r
    ]
    if changes:
        box.session().client("route53").change_resource_record_sets(
            HostedZoneId=box.world.hosted_zone_id, ChangeBatch={"Changes": changes}
        )
    for label, *_ in box.dns.resolver_addresses:
        box.dns.resolver(label).flush()
    assert record_sets(box) == baseline


@dataclass
class Run:
    """One wizard on the sandbox, with faults (or none), outcomes and notices recorded."""

    box: Any
    state_dir: Path
    faults: FaultPlan | None = None
    writes: Writes = field(default_factory=Writes)
    outcomes: Outcomes = field(default_factory=Outcomes)
    notices: list[str] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    ses_sleeps: list[float] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # every fact and note the steps showed
    made: list[Wizard] = field(default_factory=list)  # closed by the test (their locks)
    ses_attempts: int = 4  # small, so that "gives up" is reached quickly

    def context(self) -> FlowContext:
        ctx = sandbox_context(self.box, self.state_dir, self.writes)
        owner, delegate = ctx.owner_session, ctx.delegate_session

        def hooked(session: AwsSession) -> AwsSession:
            if self.faults is not None:
                self.faults.hook(session)
            return self.outcomes.hook(session)

        def hooked_delegate(o: AwsSession, choice: DelegateChoice) -> AwsSession:
            return hooked(delegate(o, choice))

        ctx.owner_session = lambda profile, region: hooked(owner(profile, region))
        ctx.delegate_session = hooked_delegate
        ctx.ses_adapter = lambda s: SesAdapter(
            s,
            pacer=Pacer(0.0),
            retry=RetryPolicy(max_attempts=self.ses_attempts, base_delay=0.001, max_delay=0.004),
            sleep=self.ses_sleeps.append,
        )
        ctx.on_notice = self.notices.append
        return ctx

    def wizard(self, saved: Path | None = None) -> Wizard:
        ctx = self.context()
        made = Wizard.from_saved(ctx, saved) if saved is not None else Wizard(ctx)
        self.made.append(made)
        return made

    def drive(self, wizard: Wizard, start: str = "accounts") -> None:
        """Every step from ``start`` on, with the inputs an operator gives, as far as it goes."""
        box = self.box
        domain, region = box.domain, box.region
        marketing = box.world.account("marketing")
        delegate = box.profiles.delegate_for("marketing")
        inputs: dict[str, dict[str, object]] = {
            "accounts": {"profile": box.profiles.owner, "region": region},
            "domain": {"domain": domain, "provider": "route53"},
            "dkim": {},
            "mail_from": {"subdomain": f"mail.{domain}"},
            "reports": {"collect": "skip"},  # optional; collecting reports is not under test
            "dmarc": {"stage": "1", "rua": f"dmarc-reports@{domain}"},
            "authorization": {"scope": "ou_subtree", "targets": marketing.ou_id},
            "test_email": {"delegate_profile": delegate, "to": f"ops@{domain}"},
            "summary": {},
        }
        ids = [s.id for s in wizard.steps]
        assert set(ids) <= set(inputs), f"a step this harness does not know: {ids}"

        def progress(line: str, _fraction: float | None) -> None:
            self.progress.append(line)

        for step_id in ids[ids.index(start) :]:
            given = dict(inputs[step_id])
            keys = {f.key for f in wizard.step(step_id).fields(wizard.state)}
            if "resend" in keys:  # a send that may have gone out: the operator saw none arrive
                given["resend"] = "yes"
            if given:
                assert wizard.set_inputs(step_id, given) == {}
            run = wizard.run_step(step_id, progress)
            for plan in run.plans:
                facts = (*run.inspection.facts, *plan.notes, *plan.blockers)
                self.shown += [f"{f.label}: {f.value} {f.remedy}" for f in facts]
            if step_id in ("dkim", "mail_from"):
                assert wizard.wait_until_done(step_id, timeout=20).done
            if step_id == "test_email":
                assert wizard.verify_message().dmarc.ours == "pass"
        assert wizard.state.finished


def readable(error: FlowError) -> str:
    text = f"{error.message} {error.remedy}"
    assert error.kind != "unexpected", text
    assert error.remedy, text
    assert "\n" not in text and "Traceback" not in text and "botocore" not in text, text
    assert len(error.message) <= 400, text
    return text


def _diff(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out += _diff(a.get(key), b.get(key), f"{where}/{key}")
        return out
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def consistent(run: Run, wizard: Wizard) -> Path | None:
    """The saved state is the wizard's own, and the audit log has one ``ok`` per write made."""
    path = wizard.state_path
    if path is not None and path.exists():
        saved = wizard.ctx.store.load(path).to_json()
        live = wizard.state.to_json()
        assert saved == live, _diff(saved, live)
    else:
        assert run.outcomes.ok == []  # nothing written before the setup could be saved
        path = None
    ok = [e for e in wizard.ctx.audit.entries() if e["result"] == "ok"]
    assert len(ok) == len(run.outcomes.ok)
    return path

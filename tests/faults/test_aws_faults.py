"""AWS misbehaving under the step engine, in the sandbox: one row of ``CASES`` per fault.

Each case runs the whole wizard (Accounts to a verified test email) against the sandbox with
faults injected at the wire (``aws_faults``: botocore ``before-send`` hooks, nothing mocked).
A fault that retries can clear must leave a finished setup with every write made exactly once
and the retries told to the operator. A fault that stops the wizard must give a one-line
message with its remedy (no traceback), leave the saved state equal to the wizard's own, and
then a new wizard started from that state, with the fault gone, must finish without repeating
one write that had already succeeded: the writes of both runs together are exactly the writes
of a clean run. Writes are counted when AWS accepted them (``aws_faults.Outcomes``).

Retries cost no time: SES back-off gets a millisecond base through ``RetryPolicy``, and the
sleep botocore's own retries take (Route 53, STS, Organizations) is recorded, not slept.
``CASES`` (id, fault, where, expected) is the reliability table of the README.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sesdmarc_tui.flow.model import FlowError
from tests.faults.aws_faults import (
    Effect,
    Fault,
    FaultPlan,
    RecordSets,
    Run,
    access_denied,
    consistent,
    raise_,
    readable,
    record_sets,
    reply,
    reset,
)

world = pytest.importorskip("sesdmarc_tui.sandbox.world")

DOMAIN = "example.com"
REGION = "eu-west-1"
SES_ATTEMPTS = 4  # small, so that "gives up" is reached quickly

# The AWS writes of a clean run, in order (tests/flow/test_acceptance.py proves the order).
CLEAN_WRITES = [
    "CreateEmailIdentity",
    *["ChangeResourceRecordSets"] * 5,  # three DKIM CNAMEs, the MAIL FROM MX and SPF TXT
    "PutEmailIdentityMailFromAttributes",
    "ChangeResourceRecordSets",  # DMARC
    "CreateEmailIdentityPolicy",
    "SendEmail",
]
# Every distinct AWS operation a clean run makes, reads and writes: each gets an AccessDenied
# case. Every run that finishes despite its fault checks its ``Writes.calls`` against this.
CLEAN_CALLS = (
    "GetCallerIdentity",
    "DescribeOrganization",
    "ListRoots",
    "ListParents",
    "GetAccount",
    "ListHostedZonesByName",
    "GetHostedZone",
    "ListResourceRecordSets",
    "ChangeResourceRecordSets",
    "GetEmailIdentity",
    "CreateEmailIdentity",
    "PutEmailIdentityMailFromAttributes",
    "GetEmailIdentityPolicies",
    "ValidatePolicy",
    "CreateEmailIdentityPolicy",
    "AssumeRole",
    "SendEmail",
)
IAM_ACTION = {
    "GetCallerIdentity": "sts:GetCallerIdentity",
    "AssumeRole": "sts:AssumeRole",
    "DescribeOrganization": "organizations:DescribeOrganization",
    "ListRoots": "organizations:ListRoots",
    "ListParents": "organizations:ListParents",
    "ListHostedZonesByName": "route53:ListHostedZonesByName",
    "GetHostedZone": "route53:GetHostedZone",
    "ListResourceRecordSets": "route53:ListResourceRecordSets",
    "ChangeResourceRecordSets": "route53:ChangeResourceRecordSets",
    "ValidatePolicy": "access-analyzer:ValidatePolicy",
}
IDENTITY_ARN = f"arn:aws:ses:{REGION}:111122223333:identity/{DOMAIN}"
ZONE_ARN = "arn:aws:route53:::hostedzone/Z0FAULTS"


@dataclass(frozen=True)
class Case:
    """One row of the reliability table, and how to check it."""

    id: str
    fault: str
    where: str
    expected: str
    inject: Callable[[], list[Fault]] = field(repr=False, compare=False)
    stops: str | None = None  # FlowError kind of the first run; None: it finishes
    says: tuple[str, ...] = ()  # in the stop's message or remedy, else in the facts shown
    retried: str | None = None  # in a retry notice the operator sees


def burst(operation: str, effect: Effect, times: int) -> Callable[[], list[Fault]]:
    return lambda: [Fault(operation, effect, times=times)]


def always(operation: str, effect: Effect, after: int = 0) -> Callable[[], list[Fault]]:
    return lambda: [Fault(operation, effect, after=after)]


def expired(code_json: str, code_xml: str, after: int) -> Callable[[], list[Fault]]:
    """Every call fails with the expired-token reply once ``after`` calls went through."""

    def effect(service_id: str, operation: str, request: Any) -> Any:
        xml = service_id in ("route-53", "sts")
        code = code_xml if xml else code_json
        return reply(
            400 if xml else 403, code, "The security token included in the request is expired"
        )(service_id, operation, request)

    return lambda: [Fault("*", effect, after=after)]


THROTTLING = [
    Case(
        "throttle-ses-write",
        "3 x TooManyRequestsException (429)",
        "SES CreateEmailIdentity",
        "waits with back-off, says so, then creates the identity once",
        burst("CreateEmailIdentity", reply(429, "TooManyRequestsException"), 3),
        retried="SES throttled CreateEmailIdentity (TooManyRequestsException); retrying",
    ),
    Case(
        "throttle-route53-write",
        "2 x Throttling (400)",
        "Route 53 ChangeResourceRecordSets",
        "botocore retries with back-off, the retry is shown, each record written once",
        burst("ChangeResourceRecordSets", reply(400, "Throttling", "Rate exceeded"), 2),
        retried="Route 53 throttled ChangeResourceRecordSets (Throttling); retrying",
    ),
    Case(
        "throttle-ses-send",
        "2 x TooManyRequestsException (429)",
        "SES SendEmail (delegate)",
        "retried (a throttled send was not sent), one message delivered",
        burst("SendEmail", reply(429, "TooManyRequestsException"), 2),
        retried="SES throttled SendEmail",
    ),
    Case(
        "limit-exceeded-ses",
        "LimitExceededException (400)",
        "SES CreateEmailIdentityPolicy",
        "not retried (a quota does not clear by waiting): stops naming the quota; resume finishes",
        burst("CreateEmailIdentityPolicy", reply(400, "LimitExceededException"), 1),
        stops="limit_exceeded",
        says=("20 policies",),
    ),
]

SERVER_ERRORS = [
    Case(
        "5xx-ses-write",
        "InternalFailure (500)",
        "SES PutEmailIdentityMailFromAttributes",
        "retried (the call is idempotent), written once",
        burst("PutEmailIdentityMailFromAttributes", reply(500, "InternalFailure"), 1),
        retried="SES failed PutEmailIdentityMailFromAttributes (InternalFailure)",
    ),
    Case(
        "5xx-ses-persistent",
        "ServiceUnavailable (503) on every attempt",
        "SES CreateEmailIdentity",
        "gives up after a few attempts: readable error with remedy; resume finishes",
        always("CreateEmailIdentity", reply(503, "ServiceUnavailable")),
        stops="service_error",
        says=("internal error", f"gave up after {SES_ATTEMPTS} attempts", "Retry in a moment"),
        retried="SES failed CreateEmailIdentity",
    ),
    Case(
        "5xx-route53-persistent",
        "InternalFailure (500) on every attempt",
        "Route 53 ChangeResourceRecordSets",
        "gives up after botocore's attempts: readable error with remedy; resume finishes",
        always("ChangeResourceRecordSets", reply(500, "InternalFailure")),
        stops="service_error",
        says=("internal error", "ChangeResourceRecordSets", "AWS Health Dashboard"),
        retried="Route 53 failed ChangeResourceRecordSets",
    ),
]

NETWORK = [
    Case(
        "connect-refused-ses-write",
        "EndpointConnectionError once",
        "SES CreateEmailIdentity",
        "retried (nothing was sent), identity created once",
        burst("CreateEmailIdentity", raise_("connect"), 1),
        retried="SES failed CreateEmailIdentity (EndpointConnectionError)",
    ),
    Case(
        "reset-ses-write",
        "ConnectionClosedError once",
        "SES CreateEmailIdentityPolicy",
        "retried (create falls back to update), policy written once",
        burst("CreateEmailIdentityPolicy", raise_("reset"), 1),
        retried="SES failed CreateEmailIdentityPolicy (ConnectionClosedError)",
    ),
    Case(
        "timeout-route53-write",
        "ReadTimeoutError once",
        "Route 53 ChangeResourceRecordSets",
        "botocore retries the UPSERT (idempotent), the retry is shown",
        burst("ChangeResourceRecordSets", raise_("timeout"), 1),
        retried="Route 53 failed ChangeResourceRecordSets (ReadTimeoutError)",
    ),
    Case(
        "timeout-ses-send",
        "ReadTimeoutError once",
        "SES SendEmail (delegate)",
        "not retried (it may have gone out): readable error; the resumed wizard asks before "
        "sending again",
        burst("SendEmail", raise_("timeout"), 1),
        stops="endpoint_unreachable",
        says=("did not answer in time", "Check the network"),
    ),
    Case(
        "connect-refused-persistent",
        "EndpointConnectionError on every attempt",
        "STS GetCallerIdentity (first call)",
        "readable error naming the network, nothing written; a new run finishes",
        always("GetCallerIdentity", raise_("connect")),
        stops="endpoint_unreachable",
        says=("Could not reach the AWS endpoint", "Check the network"),
        retried="STS failed GetCallerIdentity (EndpointConnectionError); retrying",
    ),
]

CREDENTIALS = [
    Case(
        "expired-token-early",
        "ExpiredToken / ExpiredTokenException on every call after 6",
        "from the 7th call on: Domain step (GetHostedZone)",
        "stops naming `aws sso login --profile P`; state consistent; resume finishes",
        expired("ExpiredTokenException", "ExpiredToken", after=6),
        stops="expired_credentials",
        says=("expired", "aws sso login --profile"),
    ),
    Case(
        "expired-token-late",
        "ExpiredTokenException on every call after 60",
        "from the 61st call on: Authorization, just after the policy write",
        "stops naming `aws sso login --profile P`; the policy write is kept in the state; "
        "resume finishes",
        expired("ExpiredTokenException", "ExpiredToken", after=60),
        stops="expired_credentials",
        says=("expired", "aws sso login --profile"),
    ),
    Case(
        "unrecognized-client",
        "UnrecognizedClientException on every call after 30",
        "from the 31st call on: MAIL FROM step, after DKIM's 4 writes",
        "stops naming `aws sso login --profile P`; resume finishes",
        lambda: [
            Fault(
                "*",
                reply(
                    400,
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                ),
                after=30,
            )
        ],
        stops="invalid_credentials",
        says=("did not accept the credentials", "aws sso login --profile"),
    ),
]


# Calls whose refusal the wizard works around, saying so where the step shows its facts.
DEGRADES = {
    "GetAccount": "SES account: Not readable: Access denied",
    "ValidatePolicy": "IAM Access Analyzer checks were skipped",
}


def _denied(operation: str) -> Case:
    ses = operation not in IAM_ACTION
    action = f"ses:{operation}" if ses else IAM_ACTION[operation]
    resource = IDENTITY_ARN if ses and operation != "GetAccount" else None
    resource = ZONE_ARN if action.startswith("route53:") and "Zone" not in operation else resource
    if operation in DEGRADES:
        return Case(
            f"access-denied-{operation}",
            "AccessDenied(Exception) (403)",
            action,
            "carries on without it and shows the check was skipped, naming the action",
            always(operation, access_denied(resource)),
            says=(DEGRADES[operation], action),
        )
    return Case(
        f"access-denied-{operation}",
        "AccessDenied(Exception) (403)",
        action,
        "stops naming the action (and resource); not retried; state kept; resume finishes",
        always(operation, access_denied(resource)),
        stops="access_denied",
        says=(action,) + ((resource,) if resource else ()),
    )


ACCESS_DENIED = [_denied(op) for op in CLEAN_CALLS]
CASES: list[Case] = [*THROTTLING, *SERVER_ERRORS, *NETWORK, *CREDENTIALS, *ACCESS_DENIED]


# -- harness --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Any, RecordSets]]:
    """One sandbox for the module (starting one per case would cost more than the cases)."""
    with world.Sandbox.start(domain=DOMAIN, region=REGION) as box:
        yield box, record_sets(box)


@pytest.fixture
def sandbox(seeded: tuple[Any, RecordSets], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    box, baseline = seeded
    for name, value in box.env().items():  # after the autouse fixture that clears AWS_*
        monkeypatch.setenv(name, value)
    yield box
    reset(box, baseline)


@pytest.fixture
def state_dir(tmp_path: Path) -> Iterator[Path]:
    """The session directory, on tmpfs where there is one: every save is fsynced, and on a
    busy disk those fsyncs cost more than the AWS calls of a case."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path / "data"
        return
    root = Path(tempfile.mkdtemp(prefix="sesdmarc-faults-", dir=shm))
    try:
        yield root / "data"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def runs(state_dir: Path) -> Iterator[list[Run]]:
    """Every ``Run`` of a test; their wizards give their setup locks back before the state
    directory goes."""
    made: list[Run] = []
    yield made
    for run in made:
        for wizard in run.made:
            wizard.close()


@pytest.fixture
def botocore_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's retry back-off, recorded instead of slept (its jitter is up to 1 s, 2 s)."""
    import time

    import botocore.endpoint

    slept: list[float] = []
    fake = SimpleNamespace(**{n: getattr(time, n) for n in dir(time) if not n.startswith("_")})
    fake.sleep = slept.append
    monkeypatch.setattr(botocore.endpoint, "time", fake)
    return slept


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_aws_fault(
    case: Case, sandbox: Any, state_dir: Path, runs: list[Run], botocore_sleeps: list[float]
) -> None:
    faults = FaultPlan(case.inject())
    first = Run(sandbox, state_dir, faults, ses_attempts=SES_ATTEMPTS)
    runs.append(first)
    wizard = first.wizard()
    stop: FlowError | None = None
    try:
        first.drive(wizard)
    except FlowError as exc:
        stop = exc
    assert faults.injected, f"the fault never fired: the case tests nothing ({stop!r})"

    if case.retried is not None:
        assert any(case.retried in n for n in first.notices), first.notices
        assert first.ses_sleeps or botocore_sleeps  # back-off, not a hot loop
    else:
        assert not any("retrying" in n for n in first.notices), first.notices

    if case.stops is None:
        assert stop is None, f"{stop} ({stop and stop.kind})"
        assert first.outcomes.ops() == CLEAN_WRITES  # each write exactly once
        assert set(first.writes.calls) == set(CLEAN_CALLS)  # the AccessDenied rows: every call
        for part in case.says:  # a check that could not run is shown, not hidden
            assert any(part in line for line in first.shown), first.shown
        return

    assert stop is not None, "the fault did not stop the wizard"
    text = readable(stop)
    # A step may turn the AWS error into a blocker, and the DNS provider wraps it as "aws":
    # both keep its message and remedy, which ``says`` checks.
    assert stop.kind in (case.stops, "blocked", "aws"), (stop.kind, text)
    for part in case.says:
        assert part in text, text
    path = consistent(first, wizard)
    wizard.close()  # the operator quits: its lock goes, the state file and the world remain

    second = Run(sandbox, state_dir)
    runs.append(second)
    resumed = second.wizard(path)
    # As a front end resumes: at the first step whose live status is not done.
    second.drive(resumed, start=resumed.resume().id if path else "accounts")
    assert set(first.outcomes.ok).isdisjoint(second.outcomes.ok)  # nothing done twice
    assert sorted(first.outcomes.ops() + second.outcomes.ops()) == sorted(CLEAN_WRITES)

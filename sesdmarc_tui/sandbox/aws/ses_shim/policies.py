"""Identity policies with the checks moto skips (ses-api.md s12), kept in the shim's store.

moto stores any text under any name and never enforces it. The shim keeps the policies on its
own ``Identity`` instead, because the sending check reads them in-process, and answers as SES
does: invalid JSON is ``BadRequestException``, a 21st policy ``LimitExceededException``, a
second Create of one name ``AlreadyExistsException``; a missing identity is ``NotFoundException``.
Update of a name that does not exist stores it, which SES documents as succeeding; Delete of a
missing name succeeds, as SES v1 documents.
"""

from __future__ import annotations

import json
import re

from sesdmarc_tui.core.policy.limits import MAX_POLICIES_PER_IDENTITY, MAX_POLICY_BYTES
from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, ShimError, json_response
from sesdmarc_tui.sandbox.aws.ses_shim.identities import Identity
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _target(call: Call, name: str, policy_name: str) -> Identity:
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    if not _NAME.match(policy_name):
        raise ShimError(
            400,
            "BadRequestException",
            f"Invalid policy name {policy_name!r}: use 1 to 64 letters, digits, '-' or '_'.",
        )
    return identity


def _policy_text(call: Call) -> str:
    policy = call.request.json().get("Policy")
    if not isinstance(policy, str) or not policy.strip():
        raise ShimError(400, "BadRequestException", "The policy is empty.")
    if len(policy.encode("utf-8")) > MAX_POLICY_BYTES:
        raise ShimError(400, "BadRequestException", "The policy exceeds the 4 KB size limit.")
    try:
        document = json.loads(policy)
    except ValueError as exc:
        raise ShimError(400, "BadRequestException", f"Policy is not valid JSON: {exc}.") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise ShimError(400, "BadRequestException", "Policy has no Statement element.")
    return policy


def _store(call: Call, identity: Identity, policy_name: str, policy: str) -> None:
    if policy_name not in identity.policies and len(identity.policies) >= MAX_POLICIES_PER_IDENTITY:
        raise ShimError(
            400,
            "LimitExceededException",
            f"Identity {identity.name} already has {MAX_POLICIES_PER_IDENTITY} policies, "
            "the maximum.",
        )
    identity.policies[policy_name] = policy


def create(call: Call, name: str, policy: str) -> Response:
    identity = _target(call, name, policy)
    text = _policy_text(call)
    with call.state.identities.lock:
        if policy in identity.policies:
            raise ShimError(
                400, "AlreadyExistsException", f"Policy {policy} already exists for {name}."
            )
        _store(call, identity, policy, text)
    return json_response({})


def update(call: Call, name: str, policy: str) -> Response:
    identity = _target(call, name, policy)
    text = _policy_text(call)
    with call.state.identities.lock:
        _store(call, identity, policy, text)
    return json_response({})


def delete(call: Call, name: str, policy: str) -> Response:
    identity = _target(call, name, policy)
    with call.state.identities.lock:
        identity.policies.pop(policy, None)
    return json_response({})


def get_all(call: Call, name: str) -> Response:
    identity = call.state.identities.require(call.caller.account, call.caller.region, name)
    with call.state.identities.lock:
        return json_response({"Policies": dict(identity.policies)})

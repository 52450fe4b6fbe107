"""GetAccount, which moto 5.2.5 does not implement: sandbox or production, quota, sending.

Each account starts in the SES sandbox in every region (200 messages a day, 1 per second), as
a new AWS account does (ses-api.md s8); ``AccountSettings.set_production`` moves an account
or one region of it out. ``SentLast24Hours`` counts, from ``state.SendLog``, the recipients of the
account's sends over the last 24 demo hours; mailbox-simulator recipients do not count.
"""

from __future__ import annotations

from typing import Any

from sesdmarc_tui.sandbox.aws.ses_shim.http import Response, json_response
from sesdmarc_tui.sandbox.aws.ses_shim.state import Call


def account_document(call: Call) -> dict[str, Any]:
    state, caller = call.state, call.caller
    production = state.accounts.in_production(caller.account, caller.region)
    max_24, rate = state.accounts.quota(caller.account, caller.region)
    sent = state.send_log.last_24_hours(caller.account, caller.region, state.now())
    document: dict[str, Any] = {
        "DedicatedIpAutoWarmupEnabled": False,
        "EnforcementStatus": "HEALTHY",
        "ProductionAccessEnabled": production,
        "SendQuota": {"Max24HourSend": max_24, "MaxSendRate": rate, "SentLast24Hours": float(sent)},
        "SendingEnabled": True,
        "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
    }
    if production:
        document["Details"] = {
            "MailType": "TRANSACTIONAL",
            "WebsiteURL": "https://sandbox.sesdmarc.test",
            "ContactLanguage": "EN",
            "ReviewDetails": {"Status": "GRANTED", "CaseId": f"sandbox-{caller.account}"},
        }
    return document


def get_account(call: Call) -> Response:
    return json_response(account_document(call))

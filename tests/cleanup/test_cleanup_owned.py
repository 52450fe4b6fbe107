"""What the cleanup claims as the wizard's, read from session states of every shape."""

from __future__ import annotations

from pathlib import Path

from sesdmarc_tui.aws.ses_models import IdentityStatus, MailFromAttributes
from sesdmarc_tui.flow.cleanup.model import CleanupPlan, CleanupRequest, Session
from sesdmarc_tui.flow.cleanup.owned import from_state, matched
from sesdmarc_tui.flow.cleanup.plan import _identity
from sesdmarc_tui.flow.state import SessionState

DOMAIN, REGION = "example.com", "eu-west-1"
TOKENS = ("a" * 32, "b" * 32, "c" * 32)
DMARC = "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"


def state() -> SessionState:
    found = SessionState.new(1_800_000_000.0)
    found.account, found.region, found.domain, found.provider = "1" * 12, REGION, DOMAIN, "route53"
    return found


def identity(mail_from: str | None = None) -> IdentityStatus:
    return IdentityStatus(
        DOMAIN, REGION, dkim_tokens=TOKENS, mail_from=MailFromAttributes(mail_from)
    )


def plan() -> CleanupPlan:
    return CleanupPlan(DOMAIN, REGION, "1" * 12, "state", Session("1" * 12, Path("x"), state()))


def test_an_interrupted_session_still_names_what_was_published() -> None:
    st = state()
    st.step("dkim").resources.update({"selectors": list(TOKENS), "identity_outcome": "created"})
    # MAIL FROM records published, SES not told yet; DMARC published, value not recorded yet.
    st.step("mail_from").resources["published"] = {
        "MX mail.example.com": {},
        "TXT mail.example.com": {},
    }
    st.step("dmarc").resources["published"] = {
        f"TXT _dmarc.{DOMAIN}": {"values": [DMARC, "some-verification=1"]}
    }
    owned = from_state(st, None, REGION)
    kinds = sorted((r.rtype, r.name) for r in owned.records)
    assert kinds == sorted(
        [("CNAME", f"{t}._domainkey.{DOMAIN}") for t in TOKENS]
        + [("MX", f"mail.{DOMAIN}"), ("TXT", f"mail.{DOMAIN}"), ("TXT", f"_dmarc.{DOMAIN}")]
    )
    dmarc = next(r for r in owned.records if r.name.startswith("_dmarc."))
    assert dmarc.values == (DMARC,)  # the other TXT value at the name is not the wizard's
    assert owned.identity_created is True and owned.policies == {}


def test_without_a_session_dmarc_is_never_claimed() -> None:
    owned = matched(identity(f"bounce.{DOMAIN}"), DOMAIN, REGION)
    assert {r.name for r in owned.records} >= {f"bounce.{DOMAIN}"}
    assert not any(r.name.startswith("_dmarc.") for r in owned.records)
    assert owned.identity_created is None and list(owned.policies) == ["sesdmarc-delegated-sending"]


def test_an_adopted_identity_is_never_deleted() -> None:
    st = state()
    st.step("domain").resources["identity_existed"] = True
    owned = from_state(st, identity(), REGION)
    request = CleanupRequest(DOMAIN, REGION, delete_identity=True)
    found, kept, _notes = _identity(request, owned, identity(), plan())
    assert found == [] and kept[0].label == "SES identity"

    unknown = matched(identity(), DOMAIN, REGION)
    found, kept, notes = _identity(request, unknown, identity(), plan())
    assert [a.id for a in found] == ["cleanup.delete_identity"] and kept == []
    assert "No session says who created it" in notes[0].value

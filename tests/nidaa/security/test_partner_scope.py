"""Finding 1: a partner agency's scope follows the ticket's current routing.

While a ticket is forwarded to the agency its users read it and act on it; once
it is answered from there they may still read it, no more; once it is routed
elsewhere (reopened, dispatched to a section) it is out of their reach — pages and
API answer 404 and nothing they send is stored.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpdesk.models import TicketEvent
from helpdesk.services.tickets import (
    ticket_dispatch,
    ticket_forward_to_partner,
    ticket_note_add,
    ticket_transition,
)
from tests.support.factories import Org, actor, client_for, make_ticket, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(org: Org) -> dict[str, Any]:
    people = staff(org)
    tier2 = actor(people["dispatcher"])
    leak = make_ticket(org, category=org.water, description="Leak in the main road")
    ticket_forward_to_partner(ticket=leak, actor=tier2, partner=org.haya)
    org.haya.api_enabled = True
    org.haya.save()
    return {"people": people, "tier2": tier2, "leak": leak, "org": org}


def _reroute_to_a_section(routed: dict[str, Any]) -> None:
    """The agency is not competent after all: closed there, reopened, sent to road upkeep."""
    leak, tier2 = routed["leak"], routed["tier2"]
    ticket_transition(ticket=leak, action="close", actor=tier2)
    ticket_transition(ticket=leak, action="reopen", actor=tier2, note="Not Haya's pipe")
    ticket_dispatch(ticket=leak, actor=tier2, section=routed["org"].potholes)
    section = actor(routed["people"]["section_a"])
    ticket_note_add(ticket=leak, actor=section, note="Contractor's mobile 9999 1111")


def test_finding_01_partner_loses_access_after_reroute(routed: dict[str, Any]) -> None:
    haya = client_for(routed["people"]["partner_haya"])
    leak = routed["leak"]
    assert haya.get(f"/tickets/{leak.pk}/").status_code == 200
    _reroute_to_a_section(routed)
    page = haya.get(f"/tickets/{leak.pk}/")
    assert page.status_code == 404
    assert "9999 1111" not in page.content.decode()
    assert leak.reference not in haya.get("/partner/").content.decode()
    assert leak.reference not in haya.get("/tickets/").content.decode()


def test_finding_01_partner_api_loses_access_after_reroute(routed: dict[str, Any]) -> None:
    from helpdesk.services.api_tokens import partner_token_issue

    _token, raw = partner_token_issue(user=routed["people"]["partner_haya"])
    leak = routed["leak"]
    _reroute_to_a_section(routed)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from django.test import Client

    api = Client()
    assert api.get(f"/api/v1/tickets/{leak.pk}/", **bearer).status_code == 404
    assert leak.reference not in api.get("/api/v1/tickets/", **bearer).content.decode()


def test_finding_01_partner_cannot_post_a_public_note_after_reroute(
    routed: dict[str, Any],
) -> None:
    haya = client_for(routed["people"]["partner_haya"])
    leak = routed["leak"]
    _reroute_to_a_section(routed)
    before = TicketEvent.objects.filter(ticket=leak).count()
    response = haya.post(
        f"/tickets/{leak.pk}/notes/", {"note": "We fixed it", "public": "on"}, follow=False
    )
    assert response.status_code in (403, 404)
    api = haya.post(
        f"/api/v1/tickets/{leak.pk}/notes/",
        json.dumps({"note": "We fixed it", "public": True}),
        content_type="application/json",
    )
    assert api.status_code in (403, 404)
    assert TicketEvent.objects.filter(ticket=leak).count() == before


def test_finding_01_partner_reads_but_no_longer_writes_once_it_answered(
    routed: dict[str, Any],
) -> None:
    haya_user = routed["people"]["partner_haya"]
    haya = client_for(haya_user)
    leak = routed["leak"]
    ticket_transition(
        ticket=leak, action="partner_resolve", actor=actor(haya_user), note="Pipe replaced"
    )
    assert haya.get(f"/tickets/{leak.pk}/").status_code == 200
    before = TicketEvent.objects.filter(ticket=leak).count()
    haya.post(f"/tickets/{leak.pk}/notes/", {"note": "one more thing", "public": "on"})
    assert TicketEvent.objects.filter(ticket=leak).count() == before


def test_finding_01_partner_keeps_full_access_while_forwarded(routed: dict[str, Any]) -> None:
    haya = client_for(routed["people"]["partner_haya"])
    leak = routed["leak"]
    assert leak.reference in haya.get("/partner/").content.decode()
    haya.post(f"/tickets/{leak.pk}/notes/", {"note": "Crew on the way"})
    assert TicketEvent.objects.filter(ticket=leak, note="Crew on the way").exists()

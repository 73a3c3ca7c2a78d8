"""Need to know, as a matrix: each role × each part of a ticket, on the page and in the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from helpdesk.media import image_store
from helpdesk.models import Role
from helpdesk.roles import Actor
from helpdesk.services.tickets import ticket_forward_to_partner, ticket_note_add
from tests.helpdesk.privacy.helpers import (
    CHAT_TEXT,
    DESCRIPTION,
    INTERNAL_NOTE,
    NAME,
    PHONE,
    SYSTEM_EVENT_TEXT,
    make_citizen,
    png_bytes,
)
from tests.support.factories import Org, make_staff

INTERNAL_TICKET_NOTE = "dispatcher internal remark 4471"
PUBLIC_NOTE = "public reply for the citizen 5582"
FORWARD_NOTE = "please send a crew 6693"
AGENT_REPLY = "we are on it"
SMS_TEXT = "your report"
EVERYONE = {"agent", "dispatcher", "supervisor", "administrator", "section_staff", "partner"}
STAFF = EVERYONE - {"partner"}

# What each part looks like on the page, and which roles must see it.
PAGE_MATRIX: dict[str, tuple[str, set[str]]] = {
    "description": (DESCRIPTION, EVERYONE),
    "location": ("23.588", EVERYONE),
    "ticket photo": ("photo.png", EVERYONE),
    "public note": (PUBLIC_NOTE, EVERYONE),
    "note the ticket was forwarded with": (FORWARD_NOTE, EVERYONE),
    "citizen's name": (NAME, STAFF),
    "citizen's number": (PHONE, STAFF),
    "internal ticket note": (INTERNAL_TICKET_NOTE, STAFF),
    "SMS log": (SMS_TEXT, STAFF),
    "citizen's chat message": (CHAT_TEXT, STAFF),
    "agent's chat reply": (AGENT_REPLY, STAFF),
    "chat's internal note": (INTERNAL_NOTE, STAFF - {"section_staff"}),
    "chat's system events": (SYSTEM_EVENT_TEXT, STAFF - {"section_staff"}),
}
API_MATRIX: dict[str, tuple[str, set[str]]] = {
    "description": (DESCRIPTION, EVERYONE),
    "public note": (PUBLIC_NOTE, EVERYONE),
    "note the ticket was forwarded with": (FORWARD_NOTE, EVERYONE),
    "citizen's number": (PHONE, STAFF),
    "internal ticket note": (INTERNAL_TICKET_NOTE, STAFF),
}


@pytest.fixture
def forwarded(org: Org) -> Any:
    citizen = make_citizen(org)
    ticket = citizen.ticket
    dispatcher = Actor(user=make_staff("dispatcher"), role="dispatcher")
    image_store(png_bytes(), filename="photo.png", purpose="evidence", ticket=ticket)
    ticket_note_add(ticket=ticket, actor=dispatcher, note=INTERNAL_TICKET_NOTE)
    ticket_note_add(ticket=ticket, actor=dispatcher, note=PUBLIC_NOTE, public=True)
    ticket_forward_to_partner(ticket=ticket, actor=dispatcher, partner=org.haya, note=FORWARD_NOTE)
    return ticket


def _user(role: str, org: Org) -> Any:
    if role == Role.PARTNER:
        return make_staff(role, partner=org.haya)
    if role == Role.SECTION_STAFF:
        return make_staff(role, sections=[org.potholes])
    return make_staff(role)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.django_db
def test_the_ticket_page_shows_each_role_what_it_needs(org: Org, forwarded: Any, role: str) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(_user(role, org))
    response = client.get(f"/tickets/{forwarded.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for part, (marker, roles) in PAGE_MATRIX.items():
        assert (marker in page) == (role in roles), f"{role} × {part}"


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.django_db
def test_the_api_shows_each_role_what_it_needs(org: Org, forwarded: Any, role: str) -> None:
    client = Client()
    client.force_login(_user(role, org))
    detail = client.get(f"/api/v1/tickets/{forwarded.pk}/")
    listing = client.get("/api/v1/tickets/")
    notes = client.get(f"/api/v1/tickets/{forwarded.pk}/notes/")
    assert detail.status_code == listing.status_code == notes.status_code == 200
    body = json.dumps([detail.json(), listing.json(), notes.json()], ensure_ascii=False)
    for part, (marker, roles) in API_MATRIX.items():
        assert (marker in body) == (role in roles), f"{role} × {part}"
    if role == Role.PARTNER:
        assert detail.json()["contact"] is None


@pytest.mark.parametrize("role", ["partner", "dispatcher"])
@pytest.mark.django_db
def test_only_those_who_see_the_citizen_find_tickets_by_their_number(
    org: Org, forwarded: Any, role: str
) -> None:
    client = Client()
    client.force_login(_user(role, org))
    found = client.get("/api/v1/tickets/", {"phone": PHONE[-8:]}).json()["count"]
    assert found == (0 if role == Role.PARTNER else 1)


def test_every_role_is_named_and_an_unknown_role_sees_the_least() -> None:
    from helpdesk.privacy.visibility import (
        _FIELDS_FOR_ROLE,
        PARTNER_FIELDS,
        TOURISM_OFFICIAL_FIELDS,
        ticket_fields_for,
    )

    assert set(_FIELDS_FOR_ROLE) == set(Role.values)
    assert ticket_fields_for("someone_new") == PARTNER_FIELDS
    official = ticket_fields_for(Role.TOURISM_OFFICIAL)
    assert official == TOURISM_OFFICIAL_FIELDS
    assert not official.contact and not official.internal_events and not official.notifications

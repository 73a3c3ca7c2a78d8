"""The staff list/search, the timeline, and the REST API's answers to bad input."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from helpdesk.models import Ticket, TicketEvent, TicketStatus
from helpdesk.services.tickets import ticket_dispatch, ticket_forward_to_partner
from tests.support.factories import Org, actor, client_for, make_contact, make_ticket, staff

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


@pytest.fixture
def people(org: Org) -> dict:
    return staff(org)


def _refs(response: object) -> list[str]:
    return [t["reference"] for t in response.json()["results"]]  # type: ignore[attr-defined]


def test_it_filters_the_list_by_each_criterion(org: Org, people: dict) -> None:
    tier2 = actor(people["dispatcher"])
    road = make_ticket(org)
    fax = make_ticket(
        org, category=org.garbage, channel="fax", contact=make_contact(phone="+96899887766")
    )
    leak = make_ticket(org, category=org.water)
    ticket_forward_to_partner(ticket=leak, actor=tier2, partner=org.haya)
    Ticket.objects.filter(pk=road.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    api = client_for(people["dispatcher"])
    cases = {
        "status=forwarded_external": [leak],
        "category=garbage": [fax],
        "directorate=roads": [road],
        "section=collection": [leak, fax],
        "partner=haya": [leak],
        "channel=fax": [fax],
        f"reference={fax.reference.lower()}": [fax],
        "phone=99887766": [fax],
        f"date_from={(timezone.localdate() - datetime.timedelta(days=2)).isoformat()}": [leak, fax],
        f"date_to={(timezone.localdate() - datetime.timedelta(days=5)).isoformat()}": [road],
    }
    for query, expected in cases.items():
        got = _refs(api.get(f"/api/v1/tickets/?{query}"))
        assert sorted(got) == sorted(t.reference for t in expected), query
        page = api.get(f"/tickets/?{query}").content.decode()
        for ticket in (road, fax, leak):
            assert (ticket.reference in page) == (ticket in expected), (query, ticket)


def test_it_sorts_and_paginates(org: Org, people: dict) -> None:
    tickets = [make_ticket(org) for _ in range(5)]
    api = client_for(people["dispatcher"])
    first = api.get("/api/v1/tickets/?sort=reference&page_size=2").json()
    assert (first["count"], first["pages"]) == (5, 3)
    assert _refs_of(first) == [t.reference for t in tickets[:2]]
    last = api.get("/api/v1/tickets/?sort=reference&page_size=2&page=3").json()
    assert _refs_of(last) == [tickets[4].reference]
    page = api.get("/tickets/?sort=reference&page=2").content.decode()
    assert 'rel="next"' not in page


def _refs_of(payload: dict) -> list[str]:
    return [t["reference"] for t in payload["results"]]


def test_it_answers_an_invalid_transition_with_409_and_changes_nothing(
    org: Org, people: dict
) -> None:
    ticket = make_ticket(org)
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = client_for(people["dispatcher"]).post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        json.dumps({"action": "close"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert "cannot be sent" in response.json()["error"]["message"]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REGISTERED
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_it_answers_a_wrong_role_on_a_page_with_a_message_and_no_change(
    org: Org, people: dict
) -> None:
    ticket = make_ticket(org)
    agent = client_for(people["agent"])
    response = agent.post(f"/tickets/{ticket.pk}/act/", {"action": "close"}, follow=True)
    assert "cannot be sent" in response.content.decode() or "may not" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REGISTERED


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"action": 5}', "invalid_input"),
        ('{"action": "forward_external", "partner": "nobody"}', "unknown_partner"),
        ('{"action": "dispatch", "section": "nowhere"}', "unknown_section"),
        ('{"action": "fly"}', "transition_not_allowed"),
    ],
)
def test_it_explains_bad_api_input(org: Org, people: dict, body: str, code: str) -> None:
    ticket = make_ticket(org)
    response = client_for(people["dispatcher"]).post(
        f"/api/v1/tickets/{ticket.pk}/transitions/", body, content_type="application/json"
    )
    assert response.status_code in (400, 409)
    assert response.json()["error"]["code"] == code
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REGISTERED


def test_it_adds_and_lists_notes_through_the_api(org: Org, people: dict) -> None:
    ticket = make_ticket(org)
    ticket_dispatch(ticket=ticket, actor=actor(people["dispatcher"]))
    section = client_for(people["section_a"])
    added = section.post(
        f"/api/v1/tickets/{ticket.pk}/notes/",
        json.dumps({"note": "Crew on the way", "public": True}),
        content_type="application/json",
    )
    assert added.status_code == 201
    empty = section.post(
        f"/api/v1/tickets/{ticket.pk}/notes/",
        json.dumps({"note": " "}),
        content_type="application/json",
    )
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "empty"
    notes = section.get(f"/api/v1/tickets/{ticket.pk}/notes/").json()["results"]
    assert [(n["note"], n["public"]) for n in notes] == [("Crew on the way", True)]


def test_it_refuses_a_resolution_with_a_bad_photo_and_keeps_the_ticket(
    org: Org, people: dict
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = make_ticket(org)
    ticket_dispatch(ticket=ticket, actor=actor(people["dispatcher"]))
    section = client_for(people["section_a"])
    section.post(f"/tickets/{ticket.pk}/act/", {"action": "start"})
    response = section.post(
        f"/tickets/{ticket.pk}/resolve/",
        {"public_reply": "Done", "after": [SimpleUploadedFile("a.png", b"nope", "image/png")]},
        follow=True,
    )
    assert "not an image we accept" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert not ticket.events.filter(to_status="resolved").exists()


def test_it_shows_the_whole_timeline_on_the_ticket_page(org: Org, people: dict) -> None:
    from helpdesk.inbound import InboundMessage, SenderIdentity
    from helpdesk.services.conversations import conversation_receive
    from helpdesk.services.tickets import ticket_note_add

    received = conversation_receive(
        InboundMessage(
            channel="webchat",
            external_id="t-1",
            sender=SenderIdentity(external_id="v"),
            text="Lamp post is dark",
        )
    )
    ticket = make_ticket(org, conversation=received.conversation)
    ticket_note_add(ticket=ticket, actor=actor(people["dispatcher"]), note="Checked the map")
    page = client_for(people["dispatcher"]).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Lamp post is dark" in page  # the conversation's message
    assert "Checked the map" in page  # an internal note
    assert "tl-event" in page and "tl-message" in page


def test_the_api_detail_lists_the_actions_the_caller_may_take(org: Org, people: dict) -> None:
    ticket = make_ticket(org)
    detail = client_for(people["dispatcher"]).get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert set(detail["actions"]) == {"dispatch", "forward_external"}
    assert detail["section"] == "road-maintenance" and detail["directorate"] == "roads"

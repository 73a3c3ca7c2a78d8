"""The Muscat flow through the pages and the API, each step by the role that owns it."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.models import (
    Attachment,
    Conversation,
    Notification,
    Role,
    Ticket,
    TicketEventKind,
    TicketStatus,
)
from helpdesk.services.conversations import conversation_receive
from tests.support.factories import Org, client_for, make_ticket, readable, staff, verify_phone
from tests.support.images import png_bytes

pytestmark = pytest.mark.django_db


def _transitions(ticket: Ticket) -> list[tuple[str, str, str]]:
    return list(
        ticket.events.filter(kind=TicketEventKind.TRANSITION)
        .order_by("created_at", "pk")
        .values_list("from_status", "to_status", "actor_role")
    )


def test_it_walks_a_chat_through_the_whole_muscat_flow(org: Org) -> None:
    people = staff(org)
    verify_phone("+96891234567")  # the number the agent types below is the citizen's
    received = conversation_receive(
        InboundMessage(
            channel="webchat",
            external_id="w-1",
            sender=SenderIdentity(external_id="visitor-1", display_name="Said"),
            text="There is a deep pothole near the Al Khuwair exit",
        )
    )
    conversation = Conversation.objects.get(pk=received.conversation.pk)
    conversation.assignee = people["agent"]
    conversation.save()

    # Tier 1: the agent turns the conversation into a ticket and registers it.
    agent = client_for(people["agent"])
    page = agent.get(f"/tickets/new/?conversation={conversation.public_id}")
    assert page.status_code == 200
    response = agent.post(
        f"/tickets/new/?conversation={conversation.public_id}",
        {
            "channel": "webchat",
            "caller_name": "Said",
            "caller_phone": "9123 4567",
            "preferred_channel": "sms",
            "language": "ar",
            "category": org.pothole.pk,
            "subject": "Pothole",
            "description": "A deep pothole near the Al Khuwair exit.",
        },
    )
    ticket = Ticket.objects.get(conversation=conversation)
    assert response.status_code == 302
    assert ticket.status == TicketStatus.REGISTERED
    assert ticket.channel == "webchat"
    assert ticket.section == org.potholes  # suggested by the category

    # Tier 2: the dispatcher forwards it to the suggested section.
    dispatcher = client_for(people["dispatcher"])
    assert ticket.reference in dispatcher.get("/dispatch/").content.decode()
    dispatcher.post(f"/tickets/{ticket.pk}/forward/", {"section": "", "note": ""})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED

    # Tier 3: the section takes it in hand and resolves it with photos (through the API too).
    section = client_for(people["section_a"])
    assert ticket.reference in section.get("/section/").content.decode()
    api = section.post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        json.dumps({"action": "start"}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "in_progress"
    section.post(
        f"/tickets/{ticket.pk}/resolve/",
        {
            "public_reply": "The pothole was filled today.",
            "internal_note": "Crew 4, 2 tonnes of asphalt.",
            "before": [SimpleUploadedFile("before.png", png_bytes(), "image/png")],
            "after": [SimpleUploadedFile("after.png", png_bytes(color="gray"), "image/png")],
        },
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    purposes = sorted(Attachment.objects.filter(ticket=ticket).values_list("purpose", flat=True))
    assert purposes == ["after", "before"]
    assert ticket.events.filter(kind=TicketEventKind.NOTE, note__startswith="Crew 4").exists()

    # Tier 2: the call-back to the citizen, then the ticket is closed.
    assert ticket.reference in dispatcher.get("/dispatch/").content.decode()
    dispatcher.post(
        f"/tickets/{ticket.pk}/callback/",
        {"outcome": "reached", "note": "Citizen thanked us.", "close": "1"},
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert _transitions(ticket) == [
        ("", "new", "agent"),
        ("new", "registered", "agent"),
        ("registered", "dispatched", "dispatcher"),
        ("dispatched", "in_progress", "section_staff"),
        ("in_progress", "resolved", "section_staff"),
        ("resolved", "citizen_notified", "dispatcher"),
        ("citizen_notified", "closed", "dispatcher"),
    ]
    callback = ticket.events.get(to_status="citizen_notified")
    assert callback.note == "Citizen thanked us."

    # The citizen was told at each step, by SMS (the preferred channel), in Arabic, and
    # in the chat the ticket came from (where the citizen finds it on coming back).
    steps = ("ticket_registered", "forwarded_to_section", "resolved", "closed")
    for channel, recipient in (
        ("sms", "+96891234567"),
        ("conversation", f"webchat:{ticket.conversation.public_id}"),  # type: ignore[union-attr]
    ):
        sent = list(
            Notification.objects.filter(ticket=ticket, contact=ticket.contact, channel=channel)
            .order_by("created_at", "pk")
            .values_list("template_key", "recipient", "language")
        )
        assert sent == [(key, recipient, "ar") for key in steps]
    assert all(
        ticket.reference in readable(body)
        for body in Notification.objects.filter(ticket=ticket).values_list("body", flat=True)
    )
    # … and staff see those messages in the ticket's timeline.
    timeline = dispatcher.get(f"/tickets/{ticket.pk}/").content.decode()
    assert timeline.count('class="tl-notification') == 8


def test_it_forwards_a_ticket_to_a_partner_who_answers_through_the_api(org: Org) -> None:
    from helpdesk.services.api_tokens import partner_token_issue

    people = staff(org)
    org.haya.api_enabled = True
    org.haya.save()
    ticket = make_ticket(org, category=org.water, description="Water leak in Ruwi")
    dispatcher = client_for(people["dispatcher"])
    dispatcher.post(f"/tickets/{ticket.pk}/forward/", {"partner": "haya", "note": "Leak"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.partner) == (TicketStatus.FORWARDED_EXTERNAL, org.haya)

    partner_page = client_for(people["partner_haya"]).get("/partner/")
    assert ticket.reference in partner_page.content.decode()
    _token, raw = partner_token_issue(user=people["partner_haya"])
    from django.test import Client

    answer = Client().post(
        f"/api/v1/tickets/{ticket.pk}/transitions/",
        json.dumps({"action": "partner_resolve", "note": "Valve replaced."}),
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert answer.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    dispatcher.post(
        f"/tickets/{ticket.pk}/callback/", {"outcome": "reached", "note": "Told.", "close": "1"}
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert [row[1:] for row in _transitions(ticket)][2:] == [
        ("forwarded_external", "dispatcher"),
        ("resolved", "partner"),
        ("citizen_notified", "dispatcher"),
        ("closed", "dispatcher"),
    ]


def test_it_lets_the_section_return_a_wrongly_routed_ticket_with_a_reason(org: Org) -> None:
    people = staff(org)
    ticket = make_ticket(org)
    client_for(people["dispatcher"]).post(f"/tickets/{ticket.pk}/forward/", {})
    section = client_for(people["section_a"])
    section.post(f"/tickets/{ticket.pk}/act/", {"action": "return", "note": "Not a road."})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RETURNED
    assert ticket.events.get(to_status="returned").note == "Not a road."
    assert ticket.reference in client_for(people["dispatcher"]).get("/dispatch/").content.decode()


def test_it_keeps_a_resolved_ticket_waiting_when_the_citizen_does_not_answer(org: Org) -> None:
    people = staff(org)
    ticket = make_ticket(org)
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.RESOLVED)
    client_for(people["dispatcher"]).post(
        f"/tickets/{ticket.pk}/callback/", {"outcome": "no_answer", "note": "No answer at 10:00"}
    )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.events.filter(kind=TicketEventKind.CALLBACK).count() == 1


def test_it_logs_a_fax_with_the_caller_data_and_an_overridden_section(org: Org) -> None:
    people = staff(org)
    response = client_for(people["agent"]).post(
        "/tickets/new/",
        {
            "channel": "fax",
            "caller_name": "Aisha",
            "caller_phone": "+968 9876 5432",
            "caller_fax": "+968 2456 7890",
            "preferred_channel": "fax",
            "language": "en",
            "category": org.pothole.pk,
            "section": org.lighting.pk,
            "priority": "high",
            "description": "The road and the lamp post are both damaged.",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.section, ticket.priority) == ("fax", org.lighting, "high")
    assert ticket.contact.fax == "+96824567890"
    assert ticket.contact.preferred_channel == "fax"
    assert ticket.status == TicketStatus.REGISTERED


def test_it_records_a_reclassification_by_the_dispatcher(org: Org) -> None:
    people = staff(org)
    ticket = make_ticket(org)
    client_for(people["dispatcher"]).post(
        f"/tickets/{ticket.pk}/classify/", {"category": "garbage", "note": "Rubbish, not road"}
    )
    ticket.refresh_from_db()
    assert (ticket.category, ticket.section) == (org.garbage, org.collection)
    event = ticket.events.get(kind=TicketEventKind.CLASSIFICATION)
    assert event.data["before"] == {"category": "pothole", "section": "road-maintenance"}
    assert event.actor_role == Role.DISPATCHER

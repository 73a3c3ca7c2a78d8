"""One citizen with something of everything: a chat, a photo, a ticket, an SMS, a social id."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from helpdesk.media import image_store
from helpdesk.models import (
    Attachment,
    Contact,
    ContactIdentity,
    Conversation,
    Message,
    Notification,
    Ticket,
)
from helpdesk.roles import Actor
from helpdesk.services.conversations import message_append
from tests.support.factories import Org, make_staff, make_ticket
from tests.support.images import png_bytes

NAME = "Zuhair Albalushi"
PHONE = "+96891112233"
EMAIL = "zuhair.privacy@example.org"
CHAT_TEXT = "the manhole cover at xylophone lane is gone"
DESCRIPTION = "Open manhole beside the xylophone lane bakery"
ADDRESS = "Behind the Qurum bakery"
X_ID = "x-99887766"
X_HANDLE = "zuhair_on_x"
INTERNAL_NOTE = "Agent note: caller sounded worried"
SYSTEM_EVENT_TEXT = "queue event marker QEV"


@dataclass
class Citizen:
    contact: Contact
    conversation: Conversation
    ticket: Ticket
    photo: Attachment


def make_citizen(org: Org) -> Citizen:
    contact = Contact.objects.create(name=NAME, phone=PHONE, email=EMAIL)
    ContactIdentity.objects.create(
        contact=contact, channel="x", external_id=X_ID, handle=X_HANDLE, display_name=NAME
    )
    agent = make_staff("agent")
    conversation = Conversation.objects.create(
        contact=contact,
        channel="webchat",
        state="closed",
        assignee=agent,
        queued_at=timezone.now(),
        assigned_at=timezone.now(),
        closed_at=timezone.now(),
        rating=4,
        rating_comment=f"Thanks, {NAME}",
        subject=CHAT_TEXT,
    )
    said = message_append(
        conversation_id=conversation.pk,
        sender_kind="citizen",
        channel="webchat",
        text=CHAT_TEXT,
        external_id="webchat:client-1",
        latitude=Decimal("23.588"),
        longitude=Decimal("58.383"),
    )
    message_append(
        conversation_id=conversation.pk,
        sender_kind="agent",
        channel="webchat",
        text=f"Thank you {NAME}, we are on it",
        user=agent,
    )
    message_append(
        conversation_id=conversation.pk,
        sender_kind="agent",
        channel="webchat",
        text=INTERNAL_NOTE,
        user=agent,
        is_internal=True,
    )
    message_append(
        conversation_id=conversation.pk,
        sender_kind="system",
        channel="webchat",
        text=SYSTEM_EVENT_TEXT,
        event="assigned",
        # Staff read a system event in words, from its code and data (helpdesk/labels.py).
        data={"agent_name": SYSTEM_EVENT_TEXT},
    )
    photo = image_store(
        png_bytes((8, 8), (200, 30, 30)), filename="manhole.png", purpose="evidence", message=said
    )
    ticket = make_ticket(
        org,
        by=Actor(user=agent, role="agent"),
        contact=contact,
        channel="webchat",
        conversation=conversation,
        description=DESCRIPTION,
        subject=DESCRIPTION,
        address=ADDRESS,
        latitude=Decimal("23.588"),
        longitude=Decimal("58.383"),
    )
    Notification.objects.get_or_create(
        idempotency_key=f"test:{ticket.pk}:sms:{PHONE}",
        defaults={
            "ticket": ticket,
            "contact": contact,
            "template_key": "ticket_registered",
            "channel": "sms",
            "recipient": PHONE,
            "language": "ar",
            "body": f"Dear {NAME}, your report {ticket.reference} was registered",
        },
    )
    assert Message.objects.filter(conversation=conversation).count() >= 3
    return Citizen(contact=contact, conversation=conversation, ticket=ticket, photo=photo)

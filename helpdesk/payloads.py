"""The JSON shapes of domain objects as clients see them (WebSocket and REST)."""

from __future__ import annotations

from typing import Any

from helpdesk.attachments import attachment_url
from helpdesk.models import Attachment, Conversation, Message, Ticket
from helpdesk.privacy.visibility import EVERYTHING, TicketFields


def attachment_payload(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.public_id),
        "url": attachment_url(attachment) if attachment.file else attachment.external_url,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "width": attachment.width,
        "height": attachment.height,
        "name": attachment.original_name,
    }


STAFF_ONLY_KEYS = ("internal", "id", "sender_user_id")


def message_payload(
    message: Message, *, for_staff: bool = False, attachments: list[Attachment] | None = None
) -> dict[str, Any]:
    """``attachments``: the message's attachments when known (a new message): no query."""
    if attachments is None:
        attachments = list(message.attachments.all())
    payload: dict[str, Any] = {
        "seq": message.seq,
        "sender": message.sender_kind,
        "text": message.text,
        "event": message.event,
        "created_at": message.created_at.isoformat(),
        "attachments": [attachment_payload(a) for a in attachments],
        "location": (
            {"lat": float(message.latitude), "lng": float(message.longitude)}
            if message.latitude is not None and message.longitude is not None
            else None
        ),
    }
    if message.event:
        payload["data"] = message.data
    elif message.data.get("quick_replies"):
        payload["quick_replies"] = message.data["quick_replies"]
    if message.external_id and message.sender_kind == "citizen":
        payload["client_id"] = message.external_id.rsplit(":", 1)[-1]
    if message.sender_user is not None and message.sender_kind == "agent":
        profile = getattr(message.sender_user, "profile", None)
        payload["agent_name"] = profile.public_name if profile else ""
    if for_staff:
        payload["internal"] = message.is_internal
        payload["id"] = message.pk
        payload["sender_user_id"] = message.sender_user_id
    return payload


def citizen_view(staff_payload: dict[str, Any]) -> dict[str, Any]:
    """A staff message payload as the citizen sees it (what ``for_staff`` adds, removed)."""
    return {key: value for key, value in staff_payload.items() if key not in STAFF_ONLY_KEYS}


def conversation_payload(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": str(conversation.public_id),
        "channel": conversation.channel,
        "state": conversation.state,
        "language": conversation.language,
        "priority": conversation.priority,
        "subject": conversation.subject,
        "contact": {
            "id": conversation.contact_id,
            "name": conversation.contact.name,
        },
        "assignee_id": conversation.assignee_id,
        "created_at": conversation.created_at.isoformat(),
        "queued_at": conversation.queued_at.isoformat() if conversation.queued_at else None,
        "last_seq": conversation.last_seq,
    }


def ticket_public_payload(ticket: Ticket) -> dict[str, Any]:
    """What anyone holding the reference and the phone digits may see: no personal data."""
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "category": ticket.category.name,
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "timeline": [
            {
                "at": event.created_at.isoformat(),
                "status": event.to_status,
                "note": event.note,
            }
            for event in ticket.events.all()
            if event.is_public
        ],
    }


def ticket_staff_payload(ticket: Ticket, fields: TicketFields = EVERYTHING) -> dict[str, Any]:
    """A ticket as staff and the partner it was forwarded to see it (REST API).

    ``contact`` is ``null`` for a reader who need not know who the citizen is.
    """
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "channel": ticket.channel,
        "priority": ticket.priority,
        "category": ticket.category.code,
        "directorate": ticket.section.directorate.code,
        "section": ticket.section.code,
        "partner": ticket.partner.code if ticket.partner else None,
        "subject": ticket.subject,
        "description": ticket.description,
        "address": ticket.address,
        "location": (
            {"lat": float(ticket.latitude), "lng": float(ticket.longitude)}
            if ticket.latitude is not None and ticket.longitude is not None
            else None
        ),
        "contact": (
            {"name": ticket.contact.name, "phone": ticket.contact.phone} if fields.contact else None
        ),
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "resolution_due": ticket.resolution_due.isoformat() if ticket.resolution_due else None,
        "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
    }

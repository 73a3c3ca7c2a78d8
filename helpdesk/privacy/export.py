"""Access on request: everything held about one citizen, as JSON and a readable page.

The archive holds ``data.json`` (machine-readable), ``index.html`` (the same,
readable, in Arabic then English) and ``attachments/`` (the files themselves).
Internal staff notes and system events are not part of it: the citizen gets
what they wrote and were sent, their tickets and those tickets' public history.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from helpdesk.models import (
    AccessObject,
    AccessVia,
    Attachment,
    Contact,
    Conversation,
    Message,
    Notification,
    Ticket,
)
from helpdesk.privacy.access import access_log_flush, access_record
from helpdesk.privacy.visibility import CITIZEN_VISIBLE_SENDERS
from helpdesk.roles import Actor


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _location(row: Ticket | Message) -> dict[str, float] | None:
    if row.latitude is None or row.longitude is None:
        return None
    return {"lat": float(row.latitude), "lng": float(row.longitude)}


def _attachment(attachment: Attachment) -> dict[str, Any]:
    name = get_valid_filename(attachment.original_name or attachment.file.name.rsplit("/", 1)[-1])
    return {
        "id": str(attachment.public_id),
        "file": f"attachments/{attachment.public_id}-{name}" if attachment.file else None,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "purpose": attachment.purpose,
        "created_at": _iso(attachment.created_at),
    }


def contact_data(contact: Contact) -> dict[str, Any]:
    """What is held about ``contact``, as plain JSON-ready data."""
    conversations = Conversation.objects.filter(contact=contact).order_by("created_at")
    tickets = (
        Ticket.objects.filter(contact=contact)
        .select_related("category", "section", "partner")
        .prefetch_related("events")
        .order_by("created_at")
    )
    attachments = Attachment.objects.filter(ticket__contact=contact) | Attachment.objects.filter(
        conversation__contact=contact
    )
    attachments |= Attachment.objects.filter(
        message__conversation__contact=contact, message__is_internal=False
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "contact": {
            "id": contact.pk,
            "name": contact.name,
            "phone": contact.phone,
            "email": contact.email,
            "fax": contact.fax,
            "language": contact.language,
            "preferred_channel": contact.preferred_channel,
            "created_at": _iso(contact.created_at),
        },
        "identities": [
            {"channel": i.channel, "id": i.external_id, "handle": i.handle, "name": i.display_name}
            for i in contact.identities.all()
        ],
        "conversations": [
            {
                "id": str(c.public_id),
                "channel": c.channel,
                "channel_label": str(c.get_channel_display()),
                "created_at": _iso(c.created_at),
                "closed_at": _iso(c.closed_at),
                "rating": c.rating,
                "rating_comment": c.rating_comment,
                "messages": [
                    {
                        "seq": m.seq,
                        "sender": m.sender_kind,
                        "text": m.text,
                        "location": _location(m),
                        "at": _iso(m.created_at),
                    }
                    for m in c.messages.filter(
                        is_internal=False, sender_kind__in=CITIZEN_VISIBLE_SENDERS
                    ).order_by("seq")
                ],
            }
            for c in conversations
        ],
        "tickets": [
            {
                "reference": t.reference,
                "status": t.status,
                "status_label": str(t.get_status_display()),
                "category": t.category.name,
                "channel": t.channel,
                "subject": t.subject,
                "description": t.description,
                "address": t.address,
                "location": _location(t),
                "created_at": _iso(t.created_at),
                "closed_at": _iso(t.closed_at),
                "timeline": [
                    {"at": _iso(e.created_at), "status": e.to_status, "note": e.note}
                    for e in t.events.all()
                    if e.is_public
                ],
            }
            for t in tickets
        ],
        "notifications": [
            {
                "channel": n.channel,
                "recipient": n.recipient,
                "subject": n.subject,
                "text": n.body,
                "status": n.status,
                "at": _iso(n.sent_at or n.created_at),
            }
            for n in Notification.objects.filter(contact=contact).order_by("created_at")
        ],
        "attachments": [_attachment(a) for a in attachments.distinct().order_by("created_at")],
    }


def contact_export(
    *,
    contact: Contact,
    actor: Actor,
    via: AccessVia,
    purpose: str,
    operator: str = "",
    address: str | None = None,
) -> bytes:
    """The archive (zip) of ``contact``'s data; the export is written to the access log."""
    data = contact_data(contact)
    page = render_to_string("privacy/export.html", {"data": data, "languages": ("ar", "en")})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("index.html", page)
        by_id = {
            str(a.public_id): a
            for a in Attachment.objects.filter(
                public_id__in=[item["id"] for item in data["attachments"] if item["file"]]
            )
        }
        for item in data["attachments"]:
            found = by_id.get(item["id"])
            if found is None:
                continue
            with found.file.open("rb") as handle:
                archive.writestr(item["file"], handle.read())
    access_record(
        user=actor.user,
        role=actor.role,
        operator=operator,
        object_type=AccessObject.CONTACT,
        object_id=contact.pk,
        contact_id=contact.pk,
        via=via,
        purpose=purpose,
        address=address,
    )
    access_log_flush()
    return buffer.getvalue()

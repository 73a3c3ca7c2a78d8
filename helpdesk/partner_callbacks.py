"""The wire of the partner link: what Nidaa POSTs to a partner's system, and how it is signed.

Every change of a ticket forwarded to a partner agency becomes one JSON body
(built once, when the change commits, and sent byte for byte the same on every
attempt). Each attempt carries a fresh timestamp and the signature

    X-Nidaa-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>

so a receiver checks who sent it and that it is recent. ``docs/partners.md``
describes it for partner developers; ``examples/partner_receiver.py`` checks it
with the standard library alone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from helpdesk.models import Ticket, TicketEvent, TicketEventKind
from helpdesk.payloads import ticket_staff_payload

SIGNATURE_HEADER = "X-Nidaa-Signature"
TIMESTAMP_HEADER = "X-Nidaa-Timestamp"
EVENT_HEADER = "X-Nidaa-Event"
DELIVERY_HEADER = "X-Nidaa-Delivery"
SIGNATURE_SCHEME = "sha256"
# What a receiver should accept between the timestamp and its own clock (documented).
TOLERANCE_SECONDS = 300
SECRET_MIN_LENGTH = 32

# The event kinds a partner hears about. Not NOTIFICATION (sending a callback records
# one: that would echo forever), nor the center's own SLA reminders and escalations.
TOLD_KINDS = frozenset(
    {
        TicketEventKind.TRANSITION,
        TicketEventKind.CLASSIFICATION,
        TicketEventKind.NOTE,
        TicketEventKind.REPLY,
        TicketEventKind.CALLBACK,
        TicketEventKind.INBOUND,
    }
)
# Lifecycle actions with a name of their own; other transitions are "ticket.status_changed".
ACTION_TYPES = {
    "forward_external": "ticket.forwarded",
    "partner_resolve": "ticket.resolved",
    "resolve": "ticket.resolved",
    "close": "ticket.closed",
    "reopen": "ticket.reopened",
    "return": "ticket.returned",
}
KIND_TYPES: dict[str, str] = {
    TicketEventKind.CLASSIFICATION: "ticket.reclassified",
    TicketEventKind.NOTE: "ticket.note_added",
    TicketEventKind.REPLY: "ticket.reply_added",
    TicketEventKind.CALLBACK: "ticket.citizen_called",
    TicketEventKind.INBOUND: "ticket.citizen_replied",
}


def event_type(event: TicketEvent) -> str:
    if event.kind == TicketEventKind.TRANSITION:
        return ACTION_TYPES.get(str(event.data.get("action", "")), "ticket.status_changed")
    return KIND_TYPES.get(str(event.kind), f"ticket.{event.kind}")


def callback_body(event: TicketEvent, ticket: Ticket) -> str:
    """The JSON text sent for ``event``: the event and the ticket as it stands after it."""
    payload: dict[str, Any] = {
        "id": f"evt_{event.pk}",
        "type": event_type(event),
        "occurred_at": event.created_at.isoformat(),
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "action": event.data.get("action"),
            "from": event.from_status,
            "to": event.to_status,
            "note": event.note,
            "public": event.is_public,
            "actor_role": event.actor_role,
        },
        "ticket": ticket_staff_payload(ticket),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 keyed with ``secret`` over ``timestamp.body``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"

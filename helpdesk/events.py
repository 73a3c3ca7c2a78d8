"""The only code that talks to the channel layer.

Services call :func:`publish` inside their transaction; the event leaves only
after the transaction commits, so no client ever sees a change that was rolled
back. Every event type has a schema (the keys its payload must carry) that
:func:`publish` checks and the tests exercise.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# ---- group names -------------------------------------------------------------

AGENTS_GROUP = "agents"  # every on-duty agent console: queue changes
SUPERVISORS_GROUP = "supervisors"  # wallboard


def conversation_group(public_id: uuid.UUID | str) -> str:
    return f"conversation.{public_id}"


def agent_group(user_id: int) -> str:
    return f"agent.{user_id}"


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def section_group(section_id: int) -> str:
    """The workspaces of a section's staff (tier 3)."""
    return f"section.{section_id}"


def role_group(role: str) -> str:
    """Every workspace of one role: dispatchers, supervisors …"""
    return f"role.{role}"


# ---- event types and their schemas ---------------------------------------------

EVENT_SCHEMAS: dict[str, frozenset[str]] = {
    # conversation.<id>: citizen widget and the agents working on it
    "message.new": frozenset({"conversation", "message"}),
    "message.receipt": frozenset({"conversation", "seq", "status"}),
    "typing": frozenset({"conversation", "sender_kind", "active"}),
    "conversation.state": frozenset({"conversation", "state"}),
    "queue.position": frozenset({"conversation", "position", "estimated_wait_seconds"}),
    # agents / agent.<id> / supervisors
    "queue.changed": frozenset({"reason"}),
    "offer.new": frozenset({"conversation", "expires_at"}),
    "offer.withdrawn": frozenset({"conversation"}),
    "assignment.new": frozenset({"conversation"}),
    "assignment.ended": frozenset({"conversation", "reason"}),
    "presence.changed": frozenset({"agent", "presence"}),
    # ticket.<id> and workspaces
    "ticket.changed": frozenset({"ticket", "reference", "status"}),
    "reminder.new": frozenset({"ticket", "reference", "kind"}),
}


class UnknownEvent(ValueError):
    pass


def validate(event_type: str, payload: Mapping[str, Any]) -> None:
    try:
        required = EVENT_SCHEMAS[event_type]
    except KeyError:
        raise UnknownEvent(f"unknown event type {event_type!r}") from None
    missing = required - payload.keys()
    if missing:
        raise UnknownEvent(f"{event_type} is missing {sorted(missing)}")


def channel_message(event_type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The channel-layer message for an event; consumers route it by ``type``."""
    return {"type": "nidaa.event", "event": event_type, "payload": dict(payload)}


def publish(group: str, event_type: str, payload: Mapping[str, Any]) -> None:
    """Send ``event_type`` to ``group`` once the current transaction commits."""
    validate(event_type, payload)
    message = channel_message(event_type, payload)
    transaction.on_commit(lambda: _send(group, message), robust=True)


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)

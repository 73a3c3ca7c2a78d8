"""The only code that talks to the channel layer.

Services call :func:`publish` inside their transaction; the event leaves only
after the transaction commits, so no client ever sees a change that was rolled
back. Every event type has a schema (the keys its payload must carry) that
:func:`publish` checks and the tests exercise.

Where the events go once committed depends on who called the service:

- from the event loop (a consumer), :func:`call` runs the service on the
  database thread and *collects* its committed events; the loop then awaits
  the ``group_send``s itself. The database thread never waits for the channel
  layer, and is free for the next socket's frame.
- from plain synchronous code (an HTTP view, the worker, a management
  command), the events are sent at commit with ``async_to_sync``, as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# ---- group names -------------------------------------------------------------

# Every web process's console hub (one member per process, chat/console/hub.py),
# which hands the queue list to each console of its process.
AGENTS_GROUP = "agents"
SUPERVISORS_GROUP = "supervisors"  # wallboard


def conversation_group(public_id: uuid.UUID | str) -> str:
    """The citizen's sockets of a conversation."""
    return f"conversation.{public_id}"


def conversation_staff_group(public_id: uuid.UUID | str) -> str:
    """The consoles following a conversation (they also see notes and system events)."""
    return f"conversation.{public_id}.staff"


def agent_group(user_id: int) -> str:
    return f"agent.{user_id}"


def staff_user_group(user_id: int) -> str:
    """Every staff socket of one user (closed when the account changes)."""
    return f"staff.{user_id}"


def staff_session_group(session_key: str) -> str:
    """The staff sockets of one signed-in session (closed at its logout).

    The key is hashed: group names are visible to whoever reads the channel layer.
    """
    return f"session.{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def section_group(section_id: int) -> str:
    """The workspaces of a section's staff (tier 3)."""
    return f"section.{section_id}"


def partner_group(partner_id: int) -> str:
    """The worklists of a partner agency's users: only what was forwarded to it."""
    return f"partner.{partner_id}"


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
    "queue.changed": frozenset({"reason", "queue"}),
    # agent.<id>: the desk's events, numbered by ``desk_seq``
    "offer.new": frozenset({"conversation", "expires_at", "item", "desk_seq"}),
    "offer.withdrawn": frozenset({"conversation", "desk_seq"}),
    "assignment.new": frozenset({"conversation", "item", "desk_seq"}),
    "assignment.ended": frozenset({"conversation", "reason", "desk_seq"}),
    "presence.changed": frozenset({"agent", "presence"}),
    # staff.<user id> / session.<hash>: the account or the session no longer signs in
    "session.ended": frozenset({"reason"}),
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


Sent = list[tuple[str, dict[str, Any]]]
# Set while a service runs for the event loop: committed events are appended
# here instead of being sent from the database thread.
_collector: contextvars.ContextVar[Sent | None] = contextvars.ContextVar(
    "nidaa_event_collector", default=None
)
T = TypeVar("T")


def publish(group: str, event_type: str, payload: Mapping[str, Any]) -> None:
    """Send ``event_type`` to ``group`` once the current transaction commits."""
    validate(event_type, payload)
    message = channel_message(event_type, payload)
    # Bound now: the transaction may commit after the collecting scope has ended
    # (a batch commits once for many services).
    collector = _collector.get()
    transaction.on_commit(lambda: _dispatch(collector, group, message), robust=True)


def _dispatch(collector: Sent | None, group: str, message: dict[str, Any]) -> None:
    if collector is not None:
        collector.append((group, message))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)


def collecting(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> tuple[T, Sent]:
    """Run ``function``; return its result and the events it committed, unsent.

    If it raises, the events of what it committed before the error travel on the
    exception (``committed_events``), so that they are still sent.
    """
    sent: Sent = []
    token = _collector.set(sent)
    try:
        return function(*args, **kwargs), sent
    except BaseException as exc:
        exc.committed_events = sent  # type: ignore[attr-defined]
        raise
    finally:
        _collector.reset(token)


async def send_all(sent: Sent) -> None:
    """Send committed events from the event loop.

    Each group receives its events in the order they were committed; different
    groups are sent to concurrently (a round trip each on Redis).
    """
    layer = get_channel_layer()
    if layer is None or not sent:
        return
    by_group: dict[str, list[dict[str, Any]]] = {}
    for group, message in sent:
        by_group.setdefault(group, []).append(message)

    async def in_order(group: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            await layer.group_send(group, message)

    await asyncio.gather(*(in_order(group, messages) for group, messages in by_group.items()))


async def send_now(group: str, event_type: str, payload: Mapping[str, Any]) -> None:
    """An event that stores nothing (typing): straight from the loop, no transaction."""
    validate(event_type, payload)
    await send_all([(group, channel_message(event_type, payload))])


async def call(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a service on the database thread; its events are sent from the loop after commit.

    One thread hop per use case: the service's own ``publish`` calls never hop back.
    """
    try:
        result, sent = await database_sync_to_async(collecting)(function, *args, **kwargs)
    except Exception as exc:
        await send_all(getattr(exc, "committed_events", []))
        raise
    await send_all(sent)
    return result

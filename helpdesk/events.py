"""The only code that talks to the channel layer.

Services call :func:`publish` inside their transaction; the event leaves only
after the transaction commits, so no client ever sees a change that was rolled
back. Every group name is built here, and every event type has a schema: a
``TypedDict`` of its payload, nested shapes included, that :func:`publish` and
:func:`send_now` check field by field (:func:`validate`) before anything is queued
— so what :func:`collecting` and :func:`call` hand back is checked too.
``tests/helpdesk/test_event_schemas.py`` performs every publishing service and
checks each event it sends, and that every event has a consumer that reads it.

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
import functools
import hashlib
import logging
import types
import uuid
from collections.abc import Callable, Mapping
from typing import (
    Any,
    Literal,
    NotRequired,
    TypedDict,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# ---- group names -------------------------------------------------------------
# Built here only: the services that publish and the consumers that join call these,
# so a group's name cannot drift between its writers and its readers.

# Every web process's console hub (one member per process, chat/console/hub.py),
# which hands the queue list to each console of its process.
AGENTS_GROUP = "agents"
SUPERVISORS_GROUP = "supervisors"  # the consoles and wallboards of supervisors


def conversation_group(public_id: uuid.UUID | str) -> str:
    """The citizen's sockets of a conversation."""
    return f"conversation.{public_id}"


def conversation_staff_group(public_id: uuid.UUID | str) -> str:
    """The consoles following a conversation (they also see notes and system events)."""
    return f"conversation.{public_id}.staff"


def agent_group(user_id: int) -> str:
    """The consoles of one agent: the events of their desk."""
    return f"agent.{user_id}"


def staff_user_group(user_id: int) -> str:
    """Every staff socket of one user (closed when the account changes)."""
    return f"staff.{user_id}"


def staff_session_group(session_key: str) -> str:
    """The staff sockets of one signed-in session (closed at its logout).

    The key is hashed: group names are visible to whoever reads the channel layer.
    """
    return f"session.{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"


def section_group(section_id: int) -> str:
    """The workspaces of a section's staff (tier 3)."""
    return f"section.{section_id}"


def partner_group(partner_id: int) -> str:
    """The worklists of a partner agency's users: only what was forwarded to it."""
    return f"partner.{partner_id}"


def role_group(role: str) -> str:
    """Every workspace of one role: dispatchers, supervisors …"""
    return f"role.{role}"


# ---- event payloads ----------------------------------------------------------------
# The payload of each event type, nested shapes included, as the consumers read it
# and (for the staff sockets, which forward it under its own name) as browsers see it:
# docs/protocol.md and docs/agent-console.md describe the same fields. ``publish``
# checks every payload against its schema, key by key and type by type, and refuses
# keys a schema does not name: a field reaches a client only once it is written here.
# The code values are the models' choices (tests/helpdesk/test_event_schemas.py keeps
# them equal); events.py imports no model, so that every layer may import it.

ConversationStateCode = Literal["bot", "queued", "offered", "assigned", "wrap_up", "closed"]
PresenceCode = Literal["off_duty", "available", "away"]
SenderCode = Literal["citizen", "agent", "bot", "system"]


class AttachmentPayload(TypedDict):
    id: str
    url: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    name: str


class LocationPayload(TypedDict):
    lat: float
    lng: float


class QuickReplyPayload(TypedDict):
    label: str
    text: str


class CitizenMessagePayload(TypedDict):
    """A transcript entry as the citizen's socket sends it (``helpdesk.payloads``)."""

    seq: int
    sender: SenderCode
    text: str
    event: str
    created_at: str
    attachments: list[AttachmentPayload]
    location: LocationPayload | None
    data: NotRequired[dict[str, Any]]  # a system event's details
    quick_replies: NotRequired[list[QuickReplyPayload]]
    client_id: NotRequired[str]  # the citizen's own id for a message they sent
    agent_name: NotRequired[str]


class StaffMessagePayload(CitizenMessagePayload):
    """The same entry for the consoles: internal notes and who wrote it."""

    internal: bool
    id: int
    sender_user_id: int | None


class ContactPayload(TypedDict):
    id: int
    name: str
    phone: str


class QueueItemPayload(TypedDict):
    """A conversation as the console lists it (``selectors_queue.queue_item_payload``)."""

    id: str
    channel: str
    state: ConversationStateCode
    language: str
    priority: int
    subject: str
    contact: ContactPayload
    assignee_id: int | None
    created_at: str
    queued_at: str | None
    last_seq: int
    skill: str
    offer_expires_at: str | None


class MessageNew(TypedDict):
    conversation: str
    message: StaffMessagePayload | CitizenMessagePayload


class MessageReceipt(TypedDict):
    conversation: str
    seq: int
    status: Literal["delivered", "read"]


class Typing(TypedDict):
    conversation: str
    sender_kind: Literal["citizen", "agent"]
    active: bool


class ConversationStateChanged(TypedDict):
    conversation: str
    state: ConversationStateCode
    agent_name: NotRequired[str]  # sent by the distributor: the assignee's name on "assigned"


class QueuePosition(TypedDict):
    conversation: str
    position: int
    estimated_wait_seconds: int


class QueueChanged(TypedDict):
    reason: Literal["changed", "settings"]
    queue: list[QueueItemPayload]


class OfferNew(TypedDict):
    conversation: str
    expires_at: str
    item: QueueItemPayload
    desk_seq: int


class OfferWithdrawn(TypedDict):
    conversation: str
    desk_seq: int


class AssignmentNew(TypedDict):
    conversation: str
    item: QueueItemPayload
    desk_seq: int


class AssignmentEnded(TypedDict):
    conversation: str
    reason: str  # agent_closed, citizen_ended, transferred, reassigned, off_duty …
    desk_seq: int


class PresenceChanged(TypedDict):
    agent: int
    presence: PresenceCode
    name: str
    reason: str


class SessionEnded(TypedDict):
    reason: Literal["logged_out", "account_changed"]


class TicketChanged(TypedDict):
    ticket: int
    reference: str
    status: str


class ReminderNew(TypedDict):
    ticket: int
    reference: str
    kind: Literal["reminder", "escalation", "callback"]


# event type → the schema of its payload. The groups each is sent to:
#   conversation.<id> (citizen) and conversation.<id>.staff (consoles following it):
#       message.new, message.receipt, typing, conversation.state; queue.position (citizen)
#   agents: queue.changed · agent.<id>: the desk's events (numbered by ``desk_seq``),
#       presence.changed · supervisors: presence.changed
#   staff.<user id> / session.<hash>: session.ended
#   role.dispatcher, section.<id>, partner.<id>: ticket.changed, reminder.new
EVENT_SCHEMAS: dict[str, type] = {
    "message.new": MessageNew,
    "message.receipt": MessageReceipt,
    "typing": Typing,
    "conversation.state": ConversationStateChanged,
    "queue.position": QueuePosition,
    "queue.changed": QueueChanged,
    "offer.new": OfferNew,
    "offer.withdrawn": OfferWithdrawn,
    "assignment.new": AssignmentNew,
    "assignment.ended": AssignmentEnded,
    "presence.changed": PresenceChanged,
    "session.ended": SessionEnded,
    "ticket.changed": TicketChanged,
    "reminder.new": ReminderNew,
}


class UnknownEvent(ValueError):
    """An event type without a schema, or a payload its schema does not allow."""


class _Mismatch(Exception):
    """Where a value departs from its schema; the path is filled in on the way out
    (built only on failure: a payload that fits costs no string)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str] = []


Check = Callable[[Any], None]


def _unexpected(expected: str, value: Any) -> _Mismatch:
    return _Mismatch(f"expected {expected}, got {type(value).__name__} {value!r:.60}")


def _check_at(step: int | str, check: Check, value: Any) -> None:
    """``check(value)``, a list's item (``step`` its index) or an object's field."""
    try:
        check(value)
    except _Mismatch as exc:
        exc.path.append(f"[{step}]" if isinstance(step, int) else f".{step}")
        raise


@functools.cache
def _fields(schema: Any) -> tuple[frozenset[str], dict[str, Any]]:
    """A TypedDict's required keys and each key's type.

    Read from the annotations: under ``from __future__ import annotations`` Python 3.11
    counts every key of a TypedDict as required (``__required_keys__``).
    """
    hints = get_type_hints(schema, include_extras=True)
    optional = {name for name, hint in hints.items() if get_origin(hint) is NotRequired}
    types_ = {name: get_args(hint)[0] if name in optional else hint for name, hint in hints.items()}
    return frozenset(hints.keys() - optional), types_


def _keys_fit(schema: Any, value: Any) -> bool:
    required, types_ = _fields(schema)
    return isinstance(value, Mapping) and required <= value.keys() <= types_.keys()


@functools.cache
def _checker(annotation: Any) -> Check:
    """A function that checks a value against ``annotation`` (built once per type)."""
    if annotation is Any:
        return lambda value: None
    if annotation is type(None):

        def check_none(value: Any) -> None:
            if value is not None:
                raise _unexpected("null", value)

        return check_none
    if is_typeddict(annotation):
        return _object_checker(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        allowed = get_args(annotation)

        def check_literal(value: Any) -> None:
            if not isinstance(value, str | int) or value not in allowed:
                raise _unexpected(f"one of {allowed}", value)

        return check_literal
    if origin is Union or origin is types.UnionType:
        return _union_checker(get_args(annotation))
    if origin is list:
        item = _checker(get_args(annotation)[0])

        def check_list(value: Any) -> None:
            if not isinstance(value, list):
                raise _unexpected("a list", value)
            for index, entry in enumerate(value):
                _check_at(index, item, entry)

        return check_list
    if origin is dict:
        key_type, value_type = get_args(annotation)
        key, entry = _checker(key_type), _checker(value_type)

        def check_dict(value: Any) -> None:
            if not isinstance(value, dict):
                raise _unexpected("an object", value)
            for name, field in value.items():
                _check_at(name, key, name)
                _check_at(name, entry, field)

        return check_dict
    if annotation is float:

        def check_number(value: Any) -> None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _unexpected("a number", value)

        return check_number
    if annotation in (int, str, bool):

        def check_scalar(value: Any) -> None:
            # JSON's true is no integer, though Python's bool is an int.
            if not isinstance(value, annotation) or (annotation is int and isinstance(value, bool)):
                raise _unexpected(annotation.__name__, value)

        return check_scalar
    raise TypeError(f"no check for {annotation!r} in an event schema")


def _object_checker(schema: Any) -> Check:
    required, types_ = _fields(schema)
    fields = {name: _checker(annotation) for name, annotation in types_.items()}

    def check_object(value: Any) -> None:
        if not isinstance(value, Mapping):
            raise _unexpected(f"a {schema.__name__} object", value)
        missing = required - value.keys()
        if missing:
            raise _Mismatch(f"{schema.__name__} is missing {sorted(missing)}")
        unknown = value.keys() - fields.keys()
        if unknown:
            raise _Mismatch(f"{schema.__name__} has no {sorted(unknown)}")
        for name, field in value.items():
            _check_at(name, fields[name], field)

    return check_object


def _union_checker(options: tuple[Any, ...]) -> Check:
    """The first option that fits. An object is tried only when its keys fit the value's,
    so a staff message is not first checked, and refused, as a citizen's."""
    checks = [(option, is_typeddict(option), _checker(option)) for option in options]

    def check_union(value: Any) -> None:
        reasons = []
        for option, is_object, check in checks:
            if is_object and not _keys_fit(option, value):
                continue
            try:
                check(value)
                return
            except _Mismatch as exc:
                reasons.append(exc)
        if len(reasons) == 1:  # the one option whose keys fit: say where it failed
            raise reasons[0]
        names = " | ".join(getattr(option, "__name__", repr(option)) for option in options)
        raise _unexpected(names, value)

    return check_union


def validate(event_type: str, payload: Mapping[str, Any]) -> None:
    """Raise :class:`UnknownEvent` unless ``payload`` is exactly what ``event_type`` carries."""
    try:
        schema = EVENT_SCHEMAS[event_type]
    except KeyError:
        raise UnknownEvent(f"unknown event type {event_type!r}") from None
    try:
        _checker(schema)(payload)
    except _Mismatch as exc:
        where = "".join(reversed(exc.path))
        raise UnknownEvent(f"{event_type}{where}: {exc.reason}") from None


def handler_name(event_type: str) -> str:
    """The consumer method that reads ``event_type`` (``message.new`` → ``on_message_new``).

    A consumer reads exactly the event types it has such a method for and drops the
    rest, so that an event reaches a browser only when a socket means to send it.
    """
    return "on_" + event_type.replace(".", "_")


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

"""The agent console's socket at ``/ws/agent/`` (see ``docs/agent-console.md``).

Thin: frames are checked against :data:`FRAMES`, one service is called per
frame, and events from the channel layer are forwarded. The console never goes
stale: on every (re)connection the client sends ``resume`` with the last
sequence number it holds per conversation; the answer is a fresh snapshot of
the desk and the queue, then every transcript entry it missed, in order. After
that ``sent_seq`` guarantees each message reaches the console exactly once and
in sequence, whether it came from the replay or live (a gap is filled from the
database before the newer message is sent).
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from helpdesk import events, selectors_queue
from helpdesk.errors import DomainError, InvalidInput
from helpdesk.models import Conversation, Skill
from helpdesk.services import console, distributor, presence
from helpdesk.services.conversations import staff_group

CLOSE_FORBIDDEN = 4403

# frame type → {field: (type, required)}
FRAMES: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    "heartbeat": {},
    "resume": {"conversations": (dict, False)},
    "presence": {"presence": (str, True)},
    "accept": {"conversation": (str, True)},
    "decline": {"conversation": (str, True)},
    "pick": {"conversation": (str, True)},
    "send": {
        "conversation": (str, True),
        "text": (str, True),
        "client_id": (str, True),
        "internal": (bool, False),
    },
    "typing": {"conversation": (str, True), "active": (bool, True)},
    "read": {"conversation": (str, True), "seq": (int, True)},
    "transfer": {
        "conversation": (str, True),
        "to_agent": (int, False),
        "to_skill": (str, False),
        "note": (str, False),
    },
    "wrap_up": {"conversation": (str, True)},
    "close": {"conversation": (str, True), "disposition": (str, True)},
    "history": {"conversation": (str, True)},
    "ticket_prefill": {"conversation": (str, True)},
    "ticket_create": {"conversation": (str, True), "ticket": (dict, True)},
}


def parse(content: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        raise InvalidInput(_("A frame is a JSON object with a “type”."), code="invalid_frame")
    kind = content["type"]
    schema = FRAMES.get(kind)
    if schema is None:
        raise InvalidInput(_("Unknown frame type."), code="unknown_frame")
    fields: dict[str, Any] = {}
    for name, (expected, required) in schema.items():
        value = content.get(name)
        if value is None:
            if required:
                raise InvalidInput(_("Missing field “%(f)s”.") % {"f": name}, code="invalid_frame")
            continue
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise InvalidInput(_("Field “%(f)s” is malformed.") % {"f": name}, code="invalid_frame")
        fields[name] = value
    return kind, fields


def _may_serve(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm("helpdesk.serve_conversations")
    )


def _may_supervise(user: Any) -> bool:
    return bool(user.has_perm("helpdesk.supervise"))


def _transfer(user: Any, fields: dict[str, Any]) -> Conversation:
    to_agent = None
    if "to_agent" in fields:
        to_agent = get_user_model().objects.filter(pk=fields["to_agent"]).first()
        if to_agent is None:
            raise InvalidInput(_("Unknown colleague."), code="unknown_agent")
    to_skill = None
    if fields.get("to_skill"):
        to_skill = Skill.objects.filter(code=fields["to_skill"]).first()
        if to_skill is None:
            raise InvalidInput(_("Unknown queue."), code="unknown_skill")
    return distributor.conversation_transfer(
        user=user,
        conversation=fields["conversation"],
        to_agent=to_agent,
        to_skill=to_skill,
        note=fields.get("note", ""),
    )


def _desk_conversation(user: Any, public_id: str) -> Conversation | None:
    try:
        return console.conversation_for_agent(user=user, conversation=public_id, offered_ok=True)
    except DomainError:
        return None


class AgentConsoleConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if not await database_sync_to_async(_may_serve)(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.sent_seq: dict[str, int] = {}
        self.queue_refresh: asyncio.Task[None] | None = None
        self.queue_reason = ""
        self.queue_dirty = False
        self.groups_joined: list[str] = [events.AGENTS_GROUP, events.agent_group(user.pk)]
        if await database_sync_to_async(_may_supervise)(user):
            self.groups_joined.append(events.SUPERVISORS_GROUP)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await database_sync_to_async(presence.presence_heartbeat)(user=user)

    async def disconnect(self, code: int) -> None:
        # Presence is untouched: the grace period decides whether the agent is gone.
        refresh = getattr(self, "queue_refresh", None)
        if refresh is not None:
            refresh.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        for public_id in list(getattr(self, "sent_seq", {})):
            await self.channel_layer.group_discard(
                staff_group(Conversation(public_id=public_id)), self.channel_name
            )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            kind, fields = parse(content)
            await self.dispatch_frame(kind, fields)
        except DomainError as exc:
            frame = content.get("type") if isinstance(content, dict) else None
            await self.send_json(
                {"type": "error", "code": exc.code, "message": exc.message, "frame": frame}
            )

    async def dispatch_frame(self, kind: str, fields: dict[str, Any]) -> None:
        user = self.user
        call = database_sync_to_async
        if kind == "heartbeat":
            await call(presence.presence_heartbeat)(user=user)
            await self.send_json({"type": "heartbeat"})
        elif kind == "resume":
            await self.resume(fields.get("conversations", {}))
        elif kind == "presence":
            await call(presence.presence_set)(user=user, presence=fields["presence"])
        elif kind == "accept":
            await call(distributor.offer_accept)(user=user, conversation=fields["conversation"])
        elif kind == "decline":
            await call(distributor.offer_decline)(user=user, conversation=fields["conversation"])
        elif kind == "pick":
            await call(distributor.conversation_pick)(
                user=user, conversation=fields["conversation"]
            )
        elif kind == "send":
            message = await call(console.console_reply)(
                user=user,
                conversation=fields["conversation"],
                text=fields["text"],
                client_id=fields["client_id"],
                internal=fields.get("internal", False),
            )
            await self.send_json(
                {
                    "type": "ack",
                    "conversation": fields["conversation"],
                    "client_id": fields["client_id"],
                    "seq": message.seq,
                }
            )
        elif kind == "typing":
            await call(console.console_typing)(
                user=user, conversation=fields["conversation"], active=fields["active"]
            )
        elif kind == "read":
            await call(console.console_read)(
                user=user, conversation=fields["conversation"], seq=fields["seq"]
            )
        elif kind == "transfer":
            await call(_transfer)(user, fields)
        elif kind == "wrap_up":
            await call(distributor.conversation_wrap_up)(
                user=user, conversation=fields["conversation"]
            )
        elif kind == "close":
            await call(distributor.conversation_close)(
                user=user, conversation=fields["conversation"], disposition=fields["disposition"]
            )
        elif kind == "history":
            found = await call(console.conversation_for_agent)(
                user=user, conversation=fields["conversation"], offered_ok=True
            )
            history = await call(selectors_queue.contact_history)(found)
            await self.send_json({"type": "history", **history})
        elif kind == "ticket_prefill":
            prefill = await call(console.ticket_prefill)(
                user=user, conversation=fields["conversation"]
            )
            await self.send_json({"type": "ticket_prefill", "ticket": prefill})
        elif kind == "ticket_create":
            ticket = await call(console.conversation_ticket_create)(
                user=user, conversation=fields["conversation"], fields=fields["ticket"]
            )
            await self.send_json(
                {
                    "type": "ticket_created",
                    "conversation": fields["conversation"],
                    "reference": ticket.reference,
                }
            )

    # ---- never stale ----------------------------------------------------------------

    async def resume(self, last_seen: dict[str, Any]) -> None:
        """Snapshot of desk and queue, then every missed transcript entry, in order."""
        snapshot = await database_sync_to_async(selectors_queue.console_snapshot)(self.user.pk)
        desk = [*snapshot["offers"], *snapshot["conversations"]]
        on_desk = {item["id"] for item in desk}
        for public_id in set(self.sent_seq) - on_desk:
            await self.unfollow(public_id)
        await self.send_json({"type": "snapshot", **snapshot})
        for item in desk:
            seen = last_seen.get(item["id"], 0)
            await self.follow(item["id"], seen if isinstance(seen, int) else 0)

    async def follow(self, public_id: str, seen: int | None = None) -> None:
        """Join a conversation's staff group first, then replay: nothing falls in between."""
        if public_id not in self.sent_seq:
            await self.channel_layer.group_add(
                staff_group(Conversation(public_id=public_id)), self.channel_name
            )
            self.sent_seq[public_id] = 0
        if seen is not None:
            self.sent_seq[public_id] = max(0, seen)
        await self.send_missed(public_id)

    async def unfollow(self, public_id: str) -> None:
        if self.sent_seq.pop(public_id, None) is not None:
            await self.channel_layer.group_discard(
                staff_group(Conversation(public_id=public_id)), self.channel_name
            )

    async def send_missed(self, public_id: str, *, up_to_seq: int | None = None) -> None:
        conversation = await database_sync_to_async(_desk_conversation)(self.user, public_id)
        if conversation is None:
            return
        while True:
            batch = await database_sync_to_async(selectors_queue.staff_messages_after)(
                conversation, after_seq=self.sent_seq.get(public_id, 0), up_to_seq=up_to_seq
            )
            for payload in batch:
                await self.send_json(
                    {"type": "message", "conversation": public_id, "message": payload}
                )
                self.sent_seq[public_id] = payload["seq"]
            if len(batch) < selectors_queue.REPLAY_LIMIT:
                return

    # ---- events from the channel layer -------------------------------------------------

    async def nidaa_event(self, event: dict[str, Any]) -> None:
        kind, payload = event["event"], event["payload"]
        public_id = payload.get("conversation")
        if kind == "message.new":
            if public_id in self.sent_seq and "internal" in payload["message"]:
                await self.deliver_message(public_id, payload["message"])
            return
        if kind in ("offer.new", "assignment.new"):
            await self.send_desk_item(kind, public_id)
            await self.follow(public_id)
            return
        if kind in ("offer.withdrawn", "assignment.ended"):
            await self.unfollow(public_id)
        elif kind == "queue.changed":
            # Refreshed beside the event stream, never in its way: offers and
            # assignments behind this event must not wait for the queue read.
            self.queue_reason = payload["reason"]
            self.queue_dirty = True
            if self.queue_refresh is None or self.queue_refresh.done():
                self.queue_refresh = asyncio.ensure_future(self.send_queue())
            return
        elif kind in ("typing", "message.receipt", "conversation.state"):
            if public_id not in self.sent_seq:
                return
        await self.send_json({"type": kind, **payload})

    async def send_queue(self) -> None:
        """Send the queue list until no event has arrived since the last read."""
        while self.queue_dirty:
            self.queue_dirty = False
            queue = await QUEUE_SNAPSHOTS.get()
            await self.send_json({"type": "queue", "queue": queue, "reason": self.queue_reason})

    async def send_desk_item(self, kind: str, public_id: str) -> None:
        item = await database_sync_to_async(_desk_item)(public_id)
        if item is not None:
            await self.send_json({"type": kind, "conversation": public_id, "item": item})

    async def deliver_message(self, public_id: str, message: dict[str, Any]) -> None:
        seq = int(message["seq"])
        sent = self.sent_seq.get(public_id, 0)
        if seq <= sent:
            return
        if seq == sent + 1:
            await self.send_json({"type": "message", "conversation": public_id, "message": message})
            self.sent_seq[public_id] = seq
            return
        await self.send_missed(public_id, up_to_seq=seq)


def _queue_items() -> list[dict[str, Any]]:
    return [
        selectors_queue.queue_item_payload(c) for c in selectors_queue.queue_waiting_list()[:100]
    ]


class QueueSnapshots:
    """One read of the waiting queue per burst, shared by every console of the process.

    ``queue.changed`` reaches every console. Reading the queue once per console
    per event made consoles × arrivals queries a second on the one database
    thread, and everything else waited behind them (bench/NOTES.md). Events
    that arrive within ``interval`` share one read, and that read always starts
    after the last of them, so no console is left with a list older than its
    event.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._pending: asyncio.Task[list[dict[str, Any]]] | None = None

    async def get(self) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        if self._pending is None or self._pending.get_loop() is not loop:
            self._pending = loop.create_task(self._read())
        return await asyncio.shield(self._pending)

    async def _read(self) -> list[dict[str, Any]]:
        await asyncio.sleep(self.interval)
        # From here on a new event needs a fresh read: this one may miss its change.
        self._pending = None
        return await database_sync_to_async(_queue_items)()


QUEUE_SNAPSHOTS = QueueSnapshots(interval=0.2)


def _desk_item(public_id: str) -> dict[str, Any] | None:
    conversation = (
        Conversation.objects.select_related("contact", "required_skill")
        .filter(public_id=public_id)
        .first()
    )
    return selectors_queue.queue_item_payload(conversation) if conversation else None

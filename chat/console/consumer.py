"""The agent console's socket at ``/ws/agent/`` (see ``docs/agent-console.md``).

Thin: frames are checked against ``chat.frames.CONSOLE_FRAMES``, one service
is called per frame, and events from the channel layer are forwarded. The
console never goes stale: on every (re)connection the client sends ``resume``
with the last sequence number it holds per conversation; the answer is a fresh
snapshot of the desk and the queue, then every transcript entry it missed, in
order. After
that each conversation's :class:`chat.sockets.Replay` (the citizen's socket
uses the same) guarantees each message reaches the console exactly once and in
sequence, whether it came from the replay or live (a gap is filled from the
database before the newer message is sent).

Nothing is missed silently. Every event about the agent's desk (an offer, an
assignment, their end) carries the desk's sequence number ``desk_seq``; a
console that sees a gap, or a heartbeat answer ahead of what it received (the
channel layer drops events for a socket that fell too far behind), is sent
``resync`` and a fresh snapshot, exactly as after a reconnect.

Like the citizen's socket, services run through ``events.call`` (their events
leave from the loop) and replies go through the process's group commit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chat.console.hub import CONSOLES
from chat.frames import CONSOLE_FRAMES, FrameError
from chat.sockets import Replay, StaffSocket, scope_language
from helpdesk import events
from helpdesk.errors import DomainError, InvalidInput
from helpdesk.group_commit import WRITES
from helpdesk.models import AccessObject, AccessVia, Conversation, Skill
from helpdesk.privacy.access import access_log_flush, access_record
from helpdesk.selectors import queue as queue_selectors
from helpdesk.services import console, distributor, presence

CLOSE_FORBIDDEN = 4403
# The session that opened the socket ended: signed out, deactivated, a new password or role.
# Conversations whose last shown seq a console remembers after they left its desk,
# so that one offered again is not replayed from the start on the same connection.
SEEN_REMEMBERED = 500


def _may_serve(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm("helpdesk.serve_conversations")
    )


def _may_supervise(user: Any) -> bool:
    return bool(user.has_perm("helpdesk.supervise"))


def _transfer(user: Any, fields: dict[str, Any]) -> Conversation:
    to_agent = None
    if fields["to_agent"] is not None:
        to_agent = get_user_model().objects.filter(pk=fields["to_agent"]).first()
        if to_agent is None:
            raise InvalidInput(_("Unknown colleague."), code="unknown_agent")
    to_skill = None
    if fields["to_skill"]:
        to_skill = Skill.objects.filter(code=fields["to_skill"]).first()
        if to_skill is None:
            raise InvalidInput(_("Unknown queue."), code="unknown_skill")
    return distributor.conversation_transfer(
        user=user,
        conversation=fields["conversation"],
        to_agent=to_agent,
        to_skill=to_skill,
        note=fields["note"],
    )


def _desk_conversation(user: Any, public_id: str) -> Conversation | None:
    try:
        return console.conversation_for_agent(
            user=user, conversation=public_id, offered_ok=True, ended_ok=True
        )
    except DomainError:
        return None


class AgentConsoleConsumer(StaffSocket):
    async def connect(self) -> None:
        user = self.scope.get("user")
        # Accepted, then closed with 4403: a browser sees the reason, not a bare HTTP 403.
        await self.accept()
        if not await events.call(_may_serve, user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.language = scope_language(self.scope)  # error frames and labels in it
        session_groups = await self.session_begin(user)  # live until the session ends
        self.transcripts: dict[str, Replay] = {}  # the desk's conversations, followed
        self.seen_seq: OrderedDict[str, int] = OrderedDict()
        self.desk_seq = 0
        self.desk_seq_seen_by_heartbeat = 0
        self.synced = False  # until the first resume, the snapshot to come covers the desk
        self.transcripts_behind: set[str] = set()
        self.groups_joined: list[str] = [events.agent_group(user.pk), *session_groups]
        if await events.call(_may_supervise, user):
            self.groups_joined.append(events.SUPERVISORS_GROUP)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await CONSOLES.join(self)  # the queue list: one subscription per process
        await events.call(presence.presence_heartbeat, user=user)

    async def disconnect(self, code: int) -> None:
        # Presence is untouched: the grace period decides whether the agent is gone.
        CONSOLES.leave(self)
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        for public_id in list(getattr(self, "transcripts", {})):
            await self.channel_layer.group_discard(
                events.conversation_staff_group(public_id), self.channel_name
            )

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if not await self.session_checked():
            return
        # A frame the server cannot read earns an error frame; the connection stays.
        with translation.override(self.language):
            try:
                kind, fields = CONSOLE_FRAMES.parse(text_data)
            except FrameError as exc:
                await self.send_error(exc.code, exc.message, exc.frame)
                return
            try:
                await self.dispatch_frame(kind, fields)
            except DomainError as exc:
                await self.send_error(exc.code, exc.message, {"type": kind, **fields})

    async def send_error(self, code: str, message: str, frame: Mapping[str, Any] | None) -> None:
        """``frame``, and the ``conversation`` and ``client_id`` it named: what failed."""
        frame = frame or {}
        error: dict[str, Any] = {
            "type": "error",
            "code": code,
            "message": message,
            "frame": frame.get("type") if isinstance(frame.get("type"), str) else None,
        }
        for name in ("conversation", "client_id"):
            if isinstance(frame.get(name), str):
                error[name] = frame[name]
        await self.send_json(error)

    async def dispatch_frame(self, kind: str, fields: dict[str, Any]) -> None:
        user = self.user
        call = events.call
        if kind == "heartbeat":
            desk_seq, last_seqs = await call(_heartbeat, user)
            await self.send_json({"type": "heartbeat", "desk_seq": desk_seq})
            await self.check_desk(desk_seq)
            await self.check_transcripts(last_seqs)
        elif kind == "resume":
            await self.resume(fields["conversations"])
        elif kind == "presence":
            await call(presence.presence_set, user=user, presence=fields["presence"])
        elif kind == "accept":
            await call(distributor.offer_accept, user=user, conversation=fields["conversation"])
        elif kind == "decline":
            await call(distributor.offer_decline, user=user, conversation=fields["conversation"])
        elif kind == "pick":
            await call(
                distributor.conversation_pick, user=user, conversation=fields["conversation"]
            )
        elif kind == "send":
            message = await WRITES.run(
                console.console_reply,
                key=fields["conversation"],
                user=user,
                conversation=fields["conversation"],
                text=fields["text"],
                client_id=fields["client_id"],
                internal=fields["internal"],
                attachment_ids=fields["attachment_ids"],
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
            await call(
                console.console_typing,
                user=user,
                conversation=fields["conversation"],
                active=fields["active"],
            )
        elif kind == "read":
            await call(
                console.console_read,
                user=user,
                conversation=fields["conversation"],
                seq=fields["seq"],
            )
        elif kind == "transfer":
            await call(_transfer, user, fields)
        elif kind == "wrap_up":
            await call(
                distributor.conversation_wrap_up, user=user, conversation=fields["conversation"]
            )
        elif kind == "close":
            await call(
                distributor.conversation_end,
                conversation=fields["conversation"],
                by="agent",
                user=user,
                disposition=fields["disposition"],
            )
        elif kind == "history":
            found = await call(
                console.conversation_for_agent,
                user=user,
                conversation=fields["conversation"],
                offered_ok=True,
                ended_ok=True,
            )
            history = await call(_contact_history, user, found)
            await self.send_json({"type": "history", **history})
        elif kind == "ticket_prefill":
            prefill = await call(
                console.ticket_prefill, user=user, conversation=fields["conversation"]
            )
            await self.send_json({"type": "ticket_prefill", "ticket": prefill})
        elif kind == "ticket_create":
            ticket = await call(
                console.conversation_ticket_create,
                user=user,
                conversation=fields["conversation"],
                fields=fields["ticket"],
            )
            await self.send_json(
                {
                    "type": "ticket_created",
                    "conversation": fields["conversation"],
                    "reference": ticket.reference,
                    "url": reverse("ticket_detail", args=[ticket.pk]),
                }
            )

    # ---- never stale ----------------------------------------------------------------

    async def resume(self, last_seen: Mapping[str, Any]) -> None:
        """Snapshot of desk and queue, then every missed transcript entry, in order."""
        snapshot = await events.call(
            queue_selectors.console_snapshot, self.user.pk, queue=CONSOLES.latest_queue
        )
        self.desk_seq = snapshot["desk_seq"]
        self.synced = True
        desk = [*snapshot["offers"], *snapshot["conversations"]]
        on_desk = {item["id"] for item in desk}
        for public_id in set(self.transcripts) - on_desk:
            await self.unfollow(public_id)
        await self.send_json({"type": "snapshot", **snapshot})
        for item in desk:
            seen = last_seen.get(item["id"], 0)
            await self.follow(item["id"], seen if isinstance(seen, int) else 0)

    async def resync(self, reason: str) -> None:
        """The console missed a desk event: say so, and send the desk afresh."""
        await self.send_json({"type": "resync", "reason": reason})
        await self.resume({pid: shown.sent_seq for pid, shown in self.transcripts.items()})

    async def check_desk(self, desk_seq: int) -> None:
        """A heartbeat found the desk ahead of us: if still so at the next one, resync.

        (An event may be on its way when the heartbeat reads the counter.)
        """
        if not self.synced or desk_seq <= self.desk_seq:
            self.desk_seq_seen_by_heartbeat = 0
        elif self.desk_seq_seen_by_heartbeat and self.desk_seq < self.desk_seq_seen_by_heartbeat:
            self.desk_seq_seen_by_heartbeat = 0
            await self.resync("events_missed")
        else:
            self.desk_seq_seen_by_heartbeat = desk_seq

    async def check_transcripts(self, last_seqs: dict[str, int]) -> None:
        """A transcript ahead of what was shown, twice in a row: its event was lost.

        (Once may be an event still on its way.) The missed entries are sent from
        the database, as for a gap.
        """
        behind = {
            public_id
            for public_id, last_seq in last_seqs.items()
            if public_id in self.transcripts and last_seq > self.transcripts[public_id].sent_seq
        }
        for public_id in behind & self.transcripts_behind:
            await self.transcripts[public_id].missed()
        self.transcripts_behind = behind

    async def follow(self, public_id: str, seen: int | None = None) -> None:
        """Join a conversation's staff group first, then replay: nothing falls in between."""
        transcript = self.transcripts.get(public_id)
        if transcript is None:
            await self.channel_layer.group_add(
                events.conversation_staff_group(public_id), self.channel_name
            )
            transcript = self.transcripts[public_id] = Replay(
                fetch=partial(self.messages_after, public_id),
                send=partial(self.send_message, public_id),
                # Offered again after it left the desk: carry on from what was shown.
                sent_seq=self.seen_seq.pop(public_id, 0),
            )
        if seen is not None:
            transcript.sent_seq = max(0, seen)
        await transcript.missed()

    async def unfollow(self, public_id: str) -> None:
        transcript = self.transcripts.pop(public_id, None)
        if transcript is not None:
            await self.channel_layer.group_discard(
                events.conversation_staff_group(public_id), self.channel_name
            )
            self.seen_seq[public_id] = transcript.sent_seq
            while len(self.seen_seq) > SEEN_REMEMBERED:
                self.seen_seq.popitem(last=False)

    async def messages_after(
        self, public_id: str, after_seq: int, up_to_seq: int | None
    ) -> list[dict[str, Any]]:
        """The full transcript after ``after_seq``, while the conversation is on the desk."""
        return await events.call(
            _staff_messages_after, self.user, public_id, after_seq=after_seq, up_to_seq=up_to_seq
        )

    async def send_message(self, public_id: str, payload: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "conversation": public_id, "message": payload})

    # ---- events from the channel layer -------------------------------------------------

    async def nidaa_event(self, event: dict[str, Any]) -> None:
        handler = getattr(self, events.handler_name(event["event"]), None)
        if self.live and handler is not None:
            await handler(event["event"], event["payload"])

    async def on_message_new(self, kind: str, payload: dict[str, Any]) -> None:
        transcript = self.transcripts.get(payload["conversation"])
        if transcript is not None and "internal" in payload["message"]:  # the staff copy
            await transcript.deliver(payload["message"])

    async def forward(self, kind: str, payload: dict[str, Any]) -> None:
        await self.send_json({"type": kind, **payload})

    async def forward_followed(self, kind: str, payload: dict[str, Any]) -> None:
        """About a conversation: only while the console follows it."""
        if payload["conversation"] in self.transcripts:
            await self.forward(kind, payload)

    on_presence_changed = forward
    on_typing = on_message_receipt = on_conversation_state = forward_followed

    async def desk_event(self, kind: str, payload: dict[str, Any]) -> None:
        public_id = payload["conversation"]
        desk_seq = int(payload["desk_seq"])
        if not self.synced or desk_seq <= self.desk_seq:
            return  # in the snapshot this console holds, or will ask for
        if desk_seq > self.desk_seq + 1:
            await self.resync("events_missed")
            return
        self.desk_seq = desk_seq
        if kind in ("offer.new", "assignment.new"):
            await self.forward(kind, payload)
            await self.follow(public_id)
        else:
            await self.unfollow(public_id)  # before the frame: nothing more about it follows
            await self.forward(kind, payload)

    on_offer_new = on_offer_withdrawn = on_assignment_new = on_assignment_ended = desk_event


def _heartbeat(user: Any) -> tuple[int, dict[str, int]]:
    """The heartbeat's one hop: alive, the desk's number, each desk transcript's last seq."""
    desk_seq = presence.presence_heartbeat(user=user)
    return desk_seq, queue_selectors.desk_last_seqs(user.pk)


def _staff_messages_after(
    user: Any, public_id: str, *, after_seq: int, up_to_seq: int | None
) -> list[dict[str, Any]]:
    conversation = _desk_conversation(user, public_id)
    if conversation is None:
        return []
    batch = queue_selectors.conversation_messages_after(
        conversation, audience="staff", after_seq=after_seq, up_to_seq=up_to_seq
    )
    if after_seq == 0 and batch:  # the transcript opened on this console
        _log_read(user, AccessObject.CONVERSATION, conversation, "console.transcript")
    return batch


def _contact_history(user: Any, conversation: Conversation) -> dict[str, Any]:
    history = queue_selectors.contact_history(conversation)
    _log_read(user, AccessObject.CONTACT, conversation, "console.history")
    return history


def _log_read(user: Any, kind: AccessObject, conversation: Conversation, purpose: str) -> None:
    object_id = conversation.contact_id if kind == AccessObject.CONTACT else conversation.public_id
    access_record(
        user=user,
        object_type=kind,
        object_id=object_id,
        via=AccessVia.SOCKET,
        purpose=purpose,
        contact_id=conversation.contact_id,
    )
    access_log_flush()

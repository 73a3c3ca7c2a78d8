"""The citizen's chat socket at ``/ws/chat/`` (see ``docs/protocol.md``).

Thin: each frame is validated against its schema, one service is called through
``database_sync_to_async``, and the answer goes back. Conversation events arrive
from the channel layer group of the conversation and are forwarded so that the
citizen sees every message exactly once and in sequence order, whether it came
from the replay after ``hello`` or live.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation
from django.utils.translation import gettext as _

from chat import selectors, services
from chat.frames import FrameError, parse_frame
from chat.session import conversation_for_session, session_from_token
from helpdesk import ratelimit
from helpdesk.errors import DomainError
from helpdesk.models import Conversation
from helpdesk.services.conversations import citizen_group

# Per connection, counted in memory: a runaway tab cannot flood the server.
CONNECTION_FRAMES = 30
CONNECTION_WINDOW_SECONDS = 10.0
# Per address, counted in the shared cache so the limit holds across processes.
CONNECT_LIMIT = ratelimit.Limit("chat.ws.connect", 30, 60)
MESSAGE_LIMIT = ratelimit.Limit("chat.ws.message", 60, 60)

CLOSE_INVALID_SESSION = 4401
CLOSE_RATE_LIMITED = 4429


class CitizenChatConsumer(AsyncJsonWebsocketConsumer):
    conversation: Conversation | None
    sent_seq: int

    async def connect(self) -> None:
        self.conversation = None
        self.language = "ar"
        self.sent_seq = 0
        self.frame_times: deque[float] = deque()
        client = self.scope.get("client") or ("unknown", 0)
        self.address = str(client[0])
        await self.accept()
        if not await sync_to_async(ratelimit.hit)(CONNECT_LIMIT, self.address):
            await self.send_error("rate_limited", _("Too many connections. Try again shortly."))
            await self.close(code=CLOSE_RATE_LIMITED)

    async def disconnect(self, code: int) -> None:
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                citizen_group(self.conversation), self.channel_name
            )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Error messages speak the conversation's language once ``hello`` has named it.
        with translation.override(self.language):
            await self.receive_frame(text_data)

    async def receive_frame(self, text_data: str | None) -> None:
        if not self._within_connection_limit():
            await self.send_error("rate_limited", _("Slow down: too many frames."))
            return
        try:
            frame_type, fields = parse_frame(text_data)
        except FrameError as exc:
            await self.send_error(
                exc.code,
                exc.message,
                field=exc.field,
                frame=exc.frame_type,
                client_msg_id=exc.client_msg_id,
            )
            return
        client_msg_id = fields.get("client_msg_id")
        try:
            await self.dispatch_frame(frame_type, fields)
        except DomainError as exc:
            await self.send_error(
                exc.code, exc.message, frame=frame_type, client_msg_id=client_msg_id
            )
            if exc.code == "invalid_session":
                await self.close(code=CLOSE_INVALID_SESSION)

    async def dispatch_frame(self, frame_type: str, fields: dict[str, Any]) -> None:
        if frame_type == "ping":
            await self.send_json({"type": "pong"})
            return
        if frame_type == "hello":
            await self.hello(token=fields["token"], last_seq=fields["last_seq"])
            return
        conversation = self.conversation
        if conversation is None:
            raise DomainError(_("Send “hello” first."), code="hello_required")
        if frame_type == "message":
            await self.message(conversation, fields)
        elif frame_type == "typing":
            await database_sync_to_async(services.chat_typing)(
                conversation=conversation, active=fields["active"]
            )
        elif frame_type == "receipt":
            await database_sync_to_async(services.chat_receipt)(
                conversation=conversation, seq=fields["seq"], status=fields["status"]
            )
        elif frame_type == "end":
            await database_sync_to_async(services.chat_end)(conversation=conversation)
            await self.send_json({"type": "ended"})
        elif frame_type == "rate":
            await database_sync_to_async(services.chat_rate)(
                conversation=conversation, rating=fields["rating"], comment=fields["comment"]
            )
            await self.send_json({"type": "rated", "rating": fields["rating"]})
        elif frame_type == "transcript":
            await database_sync_to_async(services.chat_transcript_send)(
                conversation=conversation, email=fields["email"]
            )
            await self.send_json({"type": "transcript_sent"})

    async def hello(self, *, token: str, last_seq: int) -> None:
        if self.conversation is not None:
            raise DomainError(_("This connection has already started."), code="already_started")
        session = session_from_token(token)
        conversation = await database_sync_to_async(conversation_for_session)(session)
        # Join the group before reading the backlog: an event published in between
        # is then both replayed and queued, and ``sent_seq`` drops the second copy.
        await self.channel_layer.group_add(citizen_group(conversation), self.channel_name)
        self.conversation = conversation
        self.language = conversation.language
        self.sent_seq = last_seq
        agent_name = await database_sync_to_async(selectors.conversation_agent_name)(conversation)
        await self.send_json(
            {
                "type": "welcome",
                "conversation": str(conversation.public_id),
                "state": conversation.state,
                "language": conversation.language,
                "name": conversation.contact.name,
                "agent_name": agent_name,
            }
        )
        await self.send_missed(conversation)

    async def send_missed(
        self, conversation: Conversation, *, up_to_seq: int | None = None
    ) -> None:
        """Every citizen-visible message after ``sent_seq`` (up to ``up_to_seq``), in order."""
        while True:
            batch = await database_sync_to_async(selectors.conversation_messages_after)(
                conversation, after_seq=self.sent_seq, up_to_seq=up_to_seq
            )
            for payload in batch:
                await self.send_json({"type": "message", "message": payload})
                self.sent_seq = payload["seq"]
            if len(batch) < selectors.REPLAY_LIMIT:
                break
        if up_to_seq is not None:
            self.sent_seq = max(self.sent_seq, up_to_seq)

    async def message(self, conversation: Conversation, fields: dict[str, Any]) -> None:
        if not await sync_to_async(ratelimit.hit)(MESSAGE_LIMIT, self.address):
            raise DomainError(_("Too many messages. Wait a minute."), code="rate_limited")
        latitude, longitude = fields["location"] or (None, None)
        result = await database_sync_to_async(services.chat_message_receive)(
            conversation=conversation,
            client_msg_id=fields["client_msg_id"],
            text=fields["text"],
            attachment_ids=fields["attachment_ids"],
            latitude=latitude,
            longitude=longitude,
        )
        await self.send_json(
            {
                "type": "ack",
                "client_msg_id": fields["client_msg_id"],
                "seq": result.message.seq,
                "duplicate": not result.created,
            }
        )

    # ---- events from the channel layer ------------------------------------------

    async def nidaa_event(self, event: dict[str, Any]) -> None:
        kind, payload = event["event"], event["payload"]
        if self.conversation is None or payload.get("conversation") != str(
            self.conversation.public_id
        ):
            return
        if kind == "message.new":
            await self.deliver_message(payload["message"])
        elif kind == "message.receipt":
            await self.send_json(
                {"type": "receipt", "seq": payload["seq"], "status": payload["status"]}
            )
        elif kind == "typing" and payload["sender_kind"] != "citizen":
            await self.send_json(
                {"type": "typing", "sender": payload["sender_kind"], "active": payload["active"]}
            )
        elif kind == "conversation.state":
            await self.send_json({"type": "state", "state": payload["state"]})
        elif kind == "queue.position":
            await self.send_json(
                {
                    "type": "queue",
                    "position": payload["position"],
                    "estimated_wait_seconds": payload["estimated_wait_seconds"],
                }
            )

    async def deliver_message(self, payload: dict[str, Any]) -> None:
        seq = int(payload["seq"])
        if seq <= self.sent_seq:
            return  # already replayed or sent: never twice
        if seq == self.sent_seq + 1:
            await self.send_json({"type": "message", "message": payload})
            self.sent_seq = seq
            return
        # A gap: internal notes (never shown) or an event from another process
        # that overtook an earlier one. The database has them all, in order.
        assert self.conversation is not None
        await self.send_missed(self.conversation, up_to_seq=seq)

    # ---- helpers -----------------------------------------------------------------

    async def send_error(self, code: str, message: str, **context: Any) -> None:
        frame = {"type": "error", "code": code, "message": message}
        frame.update({key: value for key, value in context.items() if value is not None})
        await self.send_json(frame)

    def _within_connection_limit(self) -> bool:
        now = time.monotonic()
        while self.frame_times and now - self.frame_times[0] > CONNECTION_WINDOW_SECONDS:
            self.frame_times.popleft()
        if len(self.frame_times) >= CONNECTION_FRAMES:
            return False
        self.frame_times.append(now)
        return True

"""The citizen's chat socket at ``/ws/chat/`` (see ``docs/protocol.md``).

Thin: each frame is validated against its schema, one service is called, and
the answer goes back. Conversation events arrive from the channel layer group
of the conversation and are forwarded so that the citizen sees every message
exactly once and in sequence order, whether it came from the replay after
``hello`` or live.

The hot path stays on the event loop: rate limits are counted there
(:func:`helpdesk.ratelimit.ahit`), messages are stored by the process's group
commit (many sockets, one transaction; the ``ack`` only after that commit),
and events are sent from the loop, never from the database thread. A socket
keeps ids and a few words (:class:`chat.session.ChatState`), not model
instances, and this route runs without the session and auth middleware: the
citizen is known by the signed token in ``start``/``hello``, not by a cookie.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from chat import services
from chat.frames import CITIZEN_FRAMES, FrameError
from chat.session import (
    ChatState,
    chat_state_for_session,
    session_from_token,
    session_token,
)
from chat.sockets import LoopConsumer, Replay
from chat.views import SESSION_LIMIT
from helpdesk import events, ratelimit
from helpdesk.errors import DomainError
from helpdesk.group_commit import WRITES
from helpdesk.models import Conversation
from helpdesk.selectors.queue import conversation_messages_after
from helpdesk.services import distributor

# Per connection, counted in memory: a runaway tab cannot flood the server.
CONNECTION_FRAMES = 30
CONNECTION_WINDOW_SECONDS = 10.0
# Per address, counted in the shared cache so the limit holds across processes.
CONNECT_LIMIT = ratelimit.Limit("chat.ws.connect", 30, 60)
MESSAGE_LIMIT = ratelimit.Limit("chat.ws.message", 60, 60)

CLOSE_INVALID_SESSION = 4401
CLOSE_RATE_LIMITED = 4429


def _on_conversation(function: Any, conversation_id: int, **kwargs: Any) -> Any:
    """For the rarer frames (end, rate, receipt, transcript): the service gets its model."""
    conversation = Conversation.objects.select_related("contact").get(pk=conversation_id)
    return function(conversation=conversation, **kwargs)


def _start(**form: Any) -> tuple[str, ChatState]:
    # The form's errors speak its language; this runs in a batch on the database
    # thread, outside the socket's own translation context.
    with translation.override(form["language"]):
        conversation = services.chat_start(**form)
    # As committed; what the distributor does next reaches the socket as events,
    # since it listens to the conversation before the conversation exists.
    return session_token(conversation), ChatState.of(conversation)


class CitizenChatConsumer(LoopConsumer):
    chat: ChatState | None
    transcript: Replay | None

    async def connect(self) -> None:
        self.chat = None
        self.transcript = None
        self.language = "ar"
        # A token bucket: CONNECTION_FRAMES per window, two numbers per socket.
        self.allowance = float(CONNECTION_FRAMES)
        self.allowance_at = time.monotonic()
        client = self.scope.get("client") or ("unknown", 0)
        self.address = str(client[0])
        await self.accept()
        if not await ratelimit.ahit(CONNECT_LIMIT, self.address):
            await self.send_error("rate_limited", _("Too many connections. Try again shortly."))
            await self.close(code=CLOSE_RATE_LIMITED)

    async def disconnect(self, code: int) -> None:
        if self.chat is not None:
            await self.leave(self.chat.public_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Error messages speak the conversation's language once ``hello`` has named it.
        with translation.override(self.language):
            await self.receive_frame(text_data)

    async def receive_frame(self, text_data: str | None) -> None:
        if not self._within_connection_limit():
            await self.send_error("rate_limited", _("Slow down: too many frames."))
            return
        try:
            frame_type, fields = CITIZEN_FRAMES.parse(text_data)
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
        if frame_type in ("start", "hello") and self.chat is not None:
            raise DomainError(_("This connection has already started."), code="already_started")
        if frame_type == "start":
            await self.start(fields)
            return
        if frame_type == "hello":
            session = session_from_token(fields["token"])
            await self.join(session.conversation_public_id)
            try:
                resumed = await events.call(chat_state_for_session, session)
            except DomainError:
                await self.leave(session.conversation_public_id)
                raise
            await self.begin(resumed, last_seq=fields["last_seq"])
            return
        chat = self.chat
        if chat is None:
            raise DomainError(_("Send “hello” first."), code="hello_required")
        if frame_type == "message":
            await self.message(chat, fields)
        elif frame_type == "typing":
            await services.chat_typing(public_id=chat.public_id, active=fields["active"])
        elif frame_type == "receipt":
            await events.call(
                _on_conversation,
                services.chat_receipt,
                chat.conversation_id,
                seq=fields["seq"],
                status=fields["status"],
            )
        elif frame_type == "end":
            await events.call(
                _on_conversation, distributor.conversation_end, chat.conversation_id, by="citizen"
            )
            await self.send_json({"type": "ended"})
        elif frame_type == "rate":
            await events.call(
                _on_conversation,
                services.chat_rate,
                chat.conversation_id,
                rating=fields["rating"],
                comment=fields["comment"],
            )
            await self.send_json({"type": "rated", "rating": fields["rating"]})
        elif frame_type == "transcript":
            outcome = await events.call(
                _on_conversation,
                services.chat_transcript_send,
                chat.conversation_id,
                email=fields["email"],
                code=fields["code"],
            )
            if outcome == "code_sent":
                await self.send_json({"type": "transcript_code_sent", "email": fields["email"]})
            else:
                await self.send_json({"type": "transcript_sent"})

    async def start(self, form: dict[str, Any]) -> None:
        """The pre-chat form on the socket: a new conversation, its token, then as ``hello``."""
        if not await ratelimit.ahit(SESSION_LIMIT, self.address):
            raise DomainError(_("Too many chats started. Try again shortly."), code="rate_limited")
        public_id = str(uuid.uuid4())
        await self.join(public_id)
        try:
            # Through the group commit: a crowd of new citizens shares its commits.
            token, chat = await WRITES.run(_start, key=public_id, public_id=public_id, **form)
        except DomainError:
            await self.leave(public_id)
            raise
        if chat.public_id != public_id:  # a start sent again: the chat it opened before
            await self.leave(public_id)
            await self.join(chat.public_id)
        await self.send_json({"type": "started", "token": token, "conversation": chat.public_id})
        await self.begin(chat, last_seq=0)

    async def join(self, public_id: str) -> None:
        """Join the conversation's group before reading it: an event published in
        between is then both read and queued, and the ``Replay`` drops the second copy."""
        await self.channel_layer.group_add(events.conversation_group(public_id), self.channel_name)

    async def leave(self, public_id: str) -> None:
        await self.channel_layer.group_discard(
            events.conversation_group(public_id), self.channel_name
        )

    async def begin(self, chat: ChatState, *, last_seq: int) -> None:
        self.chat = chat
        self.language = chat.language
        self.transcript = Replay(
            fetch=self.messages_after, send=self.send_message, sent_seq=last_seq
        )
        await self.send_json(
            {
                "type": "welcome",
                "conversation": chat.public_id,
                "state": chat.state,
                "language": chat.language,
                "name": chat.contact_name,
                "agent_name": chat.agent_name,
            }
        )
        if chat.last_seq > last_seq:  # nothing missed: no read at all
            await self.transcript.missed()

    async def messages_after(self, after_seq: int, up_to_seq: int | None) -> list[dict[str, Any]]:
        """What the citizen may see of the transcript after ``after_seq``."""
        assert self.chat is not None
        return await events.call(
            conversation_messages_after,
            self.chat.conversation_id,
            audience="citizen",
            after_seq=after_seq,
            up_to_seq=up_to_seq,
        )

    async def send_message(self, payload: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "message": payload})

    async def message(self, chat: ChatState, fields: dict[str, Any]) -> None:
        if not await ratelimit.ahit(MESSAGE_LIMIT, self.address):
            raise DomainError(_("Too many messages. Wait a minute."), code="rate_limited")
        latitude, longitude = fields["location"] or (None, None)
        result = await WRITES.run(
            services.chat_message_receive,
            key=chat.public_id,
            chat=chat,
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
        payload = event["payload"]
        if self.chat is None or payload.get("conversation") != self.chat.public_id:
            return
        handler = getattr(self, events.handler_name(event["event"]), None)
        if handler is not None:
            await handler(payload)

    async def on_message_new(self, payload: dict[str, Any]) -> None:
        if self.transcript is not None:
            await self.transcript.deliver(payload["message"])

    async def on_message_receipt(self, payload: dict[str, Any]) -> None:
        await self.send_json(
            {"type": "receipt", "seq": payload["seq"], "status": payload["status"]}
        )

    async def on_typing(self, payload: dict[str, Any]) -> None:
        if payload["sender_kind"] != "citizen":  # never their own, echoed
            await self.send_json(
                {"type": "typing", "sender": payload["sender_kind"], "active": payload["active"]}
            )

    async def on_conversation_state(self, payload: dict[str, Any]) -> None:
        await self.send_json({"type": "state", "state": payload["state"]})

    async def on_queue_position(self, payload: dict[str, Any]) -> None:
        await self.send_json(
            {
                "type": "queue",
                "position": payload["position"],
                "estimated_wait_seconds": payload["estimated_wait_seconds"],
            }
        )

    # ---- helpers -----------------------------------------------------------------

    async def send_error(self, code: str, message: str, **context: Any) -> None:
        frame = {"type": "error", "code": code, "message": message}
        frame.update({key: value for key, value in context.items() if value is not None})
        await self.send_json(frame)

    def _within_connection_limit(self) -> bool:
        now = time.monotonic()
        refill = (now - self.allowance_at) * CONNECTION_FRAMES / CONNECTION_WINDOW_SECONDS
        self.allowance = min(float(CONNECTION_FRAMES), self.allowance + refill)
        self.allowance_at = now
        if self.allowance < 1.0:
            return False
        self.allowance -= 1.0
        return True

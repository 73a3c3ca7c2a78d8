"""The base of Nidaa's WebSocket consumers: nothing on the database thread unless asked.

Channels 4.3 closes stale database connections on the database thread before
every handler it dispatches — each client frame and each channel-layer event
— and again after a disconnect: one thread hop per event for every socket,
queued behind the real database work (a chat message delivered to a console
waited for the group commit in progress). Our consumers touch the database
only through ``events.call``, ``database_sync_to_async`` and the group commit,
which close stale connections around each call themselves (Channels'
``DatabaseSyncToAsync``), so these consumers dispatch on the loop alone.

:class:`Replay` is how both the citizen's socket and the agent console show a
transcript exactly once and in order, whether a message comes from the
database or live.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from helpdesk import events, staff_sessions
from helpdesk.models import AgentProfile
from helpdesk.selectors.queue import REPLAY_LIMIT

# A staff socket whose session ended (logout, deactivation, a new password or role).
CLOSE_SESSION_ENDED = 4401


class LoopConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.disconnect(message["code"])
        raise StopConsumer()


# The transcript after a seq (up to another), as the socket's reader may see it.
Fetch = Callable[[int, int | None], Awaitable[list[dict[str, Any]]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Replay:
    """One conversation's transcript as one socket shows it: every ``seq`` once, in order.

    ``sent_seq`` is the last seq shown. The socket joins the conversation's group
    *before* the first :meth:`missed`, so a message published in between is both
    read and queued; :meth:`deliver` drops the second copy. A live message right
    after ``sent_seq`` is sent; one further on means a gap (a note the reader may
    not see, an event from another process that overtook an earlier one, or one
    the layer lost), filled from the database first. ``fetch`` reads what the
    reader may see (:func:`helpdesk.selectors.queue.conversation_messages_after`);
    ``send`` writes one message frame.
    """

    def __init__(self, *, fetch: Fetch, send: Send, sent_seq: int = 0) -> None:
        self.fetch = fetch
        self.send = send
        self.sent_seq = sent_seq

    async def missed(self, *, up_to_seq: int | None = None) -> None:
        """Every message after ``sent_seq`` (up to ``up_to_seq``), in batches, in order."""
        while True:
            batch = await self.fetch(self.sent_seq, up_to_seq)
            for payload in batch:
                await self.send(payload)
                self.sent_seq = int(payload["seq"])
            if len(batch) < REPLAY_LIMIT:
                break
        if up_to_seq is not None:  # what lies between was not for this reader
            self.sent_seq = max(self.sent_seq, up_to_seq)

    async def deliver(self, payload: dict[str, Any]) -> None:
        """A message published live: sent once, after everything before it."""
        seq = int(payload["seq"])
        if seq <= self.sent_seq:
            return  # already replayed or sent: never twice
        if seq == self.sent_seq + 1:
            await self.send(payload)
            self.sent_seq = seq
            return
        await self.missed(up_to_seq=seq)


def _role_of(user_id: int) -> str | None:
    profile = AgentProfile.objects.filter(user_id=user_id).only("role").first()
    return None if profile is None else str(profile.role)


class StaffSocket(LoopConsumer):
    """A staff member's socket: it lives no longer than the session it was opened with.

    ``session_begin`` (in ``connect``, once the user is accepted) joins the groups on
    which ``session.ended`` is published for this session and this user
    (helpdesk/staff_sessions.py); ``session_checked`` (before serving each frame)
    closes the socket when the session is no longer valid, even when the change came
    from a bulk update no signal saw. The subclass adds the two groups to its own.
    """

    live = False  # until session_begin; again once the session ended

    async def session_begin(self, user: Any) -> list[str]:
        """The groups to join for the session's end; the socket is live from here."""
        self.session_key: str | None = getattr(self.scope.get("session"), "session_key", None)
        self.session_user_id = int(user.pk)
        self.role = await events.call(_role_of, user.pk)
        self.live = True
        groups = [events.staff_user_group(user.pk)]
        if self.session_key:
            groups.append(events.staff_session_group(self.session_key))
        return groups

    async def session_checked(self) -> bool:
        """Is the socket still to be served? Closes it (and says why) when not."""
        if not self.live:
            return False  # refused in connect, or the session ended; the close is on its way
        if await events.call(
            staff_sessions.session_valid,
            session_key=self.session_key,
            user_id=self.session_user_id,
            role=self.role,
        ):
            return True
        await self.session_ended(staff_sessions.ACCOUNT_CHANGED)
        return False

    async def on_session_ended(self, kind: str, payload: dict[str, Any]) -> None:
        await self.session_ended(str(payload["reason"]))

    async def session_ended(self, reason: str) -> None:
        """Say why, then close: the page goes back to the sign-in page."""
        self.live = False
        await self.send_json({"type": "session.ended", "reason": reason})
        await self.close(code=CLOSE_SESSION_ENDED)


def scope_language(scope: dict[str, Any]) -> str:
    """The language the person behind a socket reads, as ``LocaleMiddleware`` finds it.

    The language cookie (set by the language switch), then the browser's
    ``Accept-Language``, then the site's default.
    """
    candidates = [scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            header = value.decode("latin-1")
            candidates.extend(code for code, _q in parse_accept_lang_header(header))
    for code in candidates:
        if not code or code == "*":
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)

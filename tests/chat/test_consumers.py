"""The citizen's chat socket: every frame type and every error path."""

from __future__ import annotations

import json
import re
import time
import types
from collections.abc import AsyncIterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core import mail, signing
from django.test import Client

from chat import consumers, frames, views
from chat.services import chat_image_upload
from chat.session import SALT, session_from_token
from helpdesk import events, ratelimit
from helpdesk.models import Contact, Conversation, Message
from helpdesk.services.conversations import message_post
from helpdesk.text import MAX_MESSAGE_LENGTH
from nidaa.asgi import application
from tests.support.chat import (
    LiveChat,
    agent_on_duty,
    keep_conversations_waiting,
    open_around_the_clock,
)
from tests.support.factories import make_org
from tests.support.images import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
HOST = (b"host", b"127.0.0.1")  # the widget's page and the socket on the same site


def socket(
    address: str = "127.0.0.1", origin: tuple[bytes, bytes] = ORIGIN
) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=[origin, HOST])
    communicator.scope["client"] = (address, 50000)
    return communicator


@pytest.fixture
async def ws() -> AsyncIterator[WebsocketCommunicator]:
    communicator = socket()
    connected, _ = await communicator.connect()
    assert connected
    yield communicator
    await communicator.disconnect()


async def hello(ws: WebsocketCommunicator, chat: LiveChat, last_seq: int = 0) -> dict[str, Any]:
    await ws.send_json_to({"type": "hello", "token": chat.token, "last_seq": last_seq})
    welcome = await ws.receive_json_from()
    assert welcome["type"] == "welcome", welcome
    return welcome


async def frames_until_quiet(ws: WebsocketCommunicator) -> list[dict[str, Any]]:
    received = []
    while not await ws.receive_nothing(timeout=0.3):
        received.append(await ws.receive_json_from())
    return received


async def still_alive(ws: WebsocketCommunicator) -> None:
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}


def agent_reply(chat: LiveChat, text: str, **kwargs: Any) -> Message:
    conversation = Conversation.objects.get(pk=chat.conversation.pk)
    return message_post(
        conversation=conversation, sender_kind="agent", text=text, user=chat.agent, **kwargs
    )


async def listen(group: str) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def next_event(channel: str) -> dict[str, Any]:
    return await get_channel_layer().receive(channel)


@pytest.fixture
def open_center(transactional_db: None) -> None:
    """Open around the clock with an agent on duty; new chats wait in the queue."""
    open_around_the_clock(fallback=make_org().pothole)
    keep_conversations_waiting()
    agent_on_duty()


@pytest.fixture
def nobody_on_duty(transactional_db: None) -> None:
    open_around_the_clock(fallback=make_org().pothole)


def start_frame(**fields: Any) -> dict[str, Any]:
    return {"type": "start", "name": "سعيد", "phone": "9123 4567", "language": "ar", **fields}


def conversation_count() -> int:
    return Conversation.objects.count()


def contact_of(public_id: str) -> Contact:
    return Conversation.objects.select_related("contact").get(public_id=public_id).contact


async def test_it_starts_a_chat_then_welcomes_and_replays_it(
    ws: WebsocketCommunicator, open_center: None
) -> None:
    await ws.send_json_to(start_frame())
    started = await ws.receive_json_from()
    assert started["type"] == "started"
    welcome = await ws.receive_json_from()
    assert (welcome["type"], welcome["conversation"]) == ("welcome", started["conversation"])
    assert (welcome["name"], welcome["language"]) == ("سعيد", "ar")
    opened = await ws.receive_json_from()
    assert (opened["type"], opened["message"]["seq"], opened["message"]["event"]) == (
        "message",
        1,
        "opened",
    )
    contact = await database_sync_to_async(contact_of)(started["conversation"])
    assert contact.phone == "+96891234567"
    assert session_from_token(started["token"]).contact_id == contact.pk


async def test_it_resumes_a_socket_started_chat_by_its_token(
    ws: WebsocketCommunicator, open_center: None
) -> None:
    await ws.send_json_to(start_frame())
    started = await ws.receive_json_from()
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "حفرة"})
    assert (await ws.receive_json_from())["type"] == "ack"
    await ws.disconnect()
    again = socket()
    await again.connect()
    try:
        await again.send_json_to({"type": "hello", "token": started["token"], "last_seq": 1})
        assert (await again.receive_json_from())["conversation"] == started["conversation"]
        replay = await frames_until_quiet(again)
        assert [f["message"]["text"] for f in replay if f["type"] == "message"] == ["حفرة"]
    finally:
        await again.disconnect()


async def test_a_start_sent_again_with_its_id_finds_the_chat_the_first_one_opened(
    ws: WebsocketCommunicator, open_center: None
) -> None:
    start_id = "c0ffee00-0000-4000-8000-00000000abcd"
    await ws.send_json_to(start_frame(start_id=start_id))
    first = await ws.receive_json_from()
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "حفرة"})
    assert (await ws.receive_json_from())["type"] == "ack"
    # The answer was lost (say): the client starts again with the same id.
    await ws.disconnect()
    again = socket()
    await again.connect()
    try:
        await again.send_json_to(start_frame(start_id=start_id))
        second = await again.receive_json_from()
        assert second["type"] == "started"
        assert second["conversation"] == first["conversation"]
        replay = await frames_until_quiet(again)
        assert [f["message"]["text"] for f in replay if f["type"] == "message"][-1] == "حفرة"
        assert await database_sync_to_async(conversation_count)() == 1
        # Live on the right conversation: an agent's reply reaches this socket.
        await database_sync_to_async(_assistant_says)(first["conversation"], "وصلت")
        live = await again.receive_json_from(timeout=5)
        assert (live["type"], live["message"]["text"]) == ("message", "وصلت")
    finally:
        await again.disconnect()


def _assistant_says(public_id: str, text: str) -> None:
    message_post(
        conversation=Conversation.objects.get(public_id=public_id), sender_kind="bot", text=text
    )


async def test_a_start_id_too_short_to_be_secret_is_refused(
    ws: WebsocketCommunicator, open_center: None
) -> None:
    await ws.send_json_to(start_frame(start_id="abc"))
    error = await ws.receive_json_from()
    assert (error["type"], error["code"], error["field"]) == ("error", "invalid_frame", "start_id")
    assert await database_sync_to_async(conversation_count)() == 0


async def test_it_sends_a_start_to_leave_a_message_when_nobody_can_answer(
    ws: WebsocketCommunicator, nobody_on_duty: None
) -> None:
    await ws.send_json_to(start_frame())
    error = await ws.receive_json_from()
    assert (error["type"], error["code"], error["frame"]) == ("error", "chat_offline", "start")
    assert await database_sync_to_async(conversation_count)() == 0
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "hi"})
    assert (await ws.receive_json_from())["code"] == "hello_required"


async def test_it_takes_a_start_again_after_a_refused_one(
    ws: WebsocketCommunicator, nobody_on_duty: None
) -> None:
    await ws.send_json_to(start_frame())
    assert (await ws.receive_json_from())["code"] == "chat_offline"
    await database_sync_to_async(agent_on_duty)()
    await ws.send_json_to(start_frame())
    assert (await ws.receive_json_from())["type"] == "started"
    assert (await ws.receive_json_from())["type"] == "welcome"


async def test_it_refuses_a_start_with_an_invalid_mobile_number(
    ws: WebsocketCommunicator, open_center: None
) -> None:
    await ws.send_json_to(start_frame(phone="12"))
    error = await ws.receive_json_from()
    assert (error["code"], error["frame"]) == ("invalid_phone", "start")
    assert await database_sync_to_async(conversation_count)() == 0
    assert not await database_sync_to_async(Contact.objects.exists)()
    await still_alive(ws)


async def test_it_wants_a_name_to_start(ws: WebsocketCommunicator, open_center: None) -> None:
    await ws.send_json_to(start_frame(name="   "))
    assert (await ws.receive_json_from())["code"] == "missing_name"
    await still_alive(ws)


async def test_it_shares_the_session_limit_with_the_http_endpoint(
    open_center: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = time.time()  # one fixed window: a rollover midway would refill the allowance
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: frozen))
    address = "10.4.4.4"

    def post_session() -> int:
        response = Client(REMOTE_ADDR=address).post(
            "/chat/api/session", {"name": "Said"}, content_type="application/json"
        )
        return response.status_code

    for _ in range(views.SESSION_LIMIT.count - 1):
        assert await database_sync_to_async(post_session)() == 201
    communicator = socket(address=address)
    await communicator.connect()
    try:
        await communicator.send_json_to(start_frame())
        assert (await communicator.receive_json_from())["type"] == "started"
        await communicator.disconnect()
        assert await database_sync_to_async(post_session)() == 429
        communicator = socket(address=address)
        await communicator.connect()
        await communicator.send_json_to(start_frame())
        error = await communicator.receive_json_from()
        assert (error["code"], error["frame"]) == ("rate_limited", "start")
    finally:
        await communicator.disconnect()
    assert await database_sync_to_async(conversation_count)() == views.SESSION_LIMIT.count


@pytest.mark.parametrize("second", ["start", "hello"])
async def test_it_refuses_a_second_start_or_hello_after_start(
    ws: WebsocketCommunicator, open_center: None, second: str
) -> None:
    await ws.send_json_to(start_frame())
    started = await ws.receive_json_from()
    await frames_until_quiet(ws)
    again = start_frame() if second == "start" else {"type": "hello", "token": started["token"]}
    await ws.send_json_to(again)
    error = await ws.receive_json_from()
    assert (error["code"], error["frame"]) == ("already_started", second)
    await still_alive(ws)
    assert await database_sync_to_async(conversation_count)() == 1


async def test_it_refuses_a_start_after_hello(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to(start_frame())
    assert (await ws.receive_json_from())["code"] == "already_started"
    assert await database_sync_to_async(conversation_count)() == 1


# ---- hello and resume ----------------------------------------------------------------


async def test_it_welcomes_a_session_and_replays_the_conversation(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    welcome = await hello(ws, live_chat)
    assert welcome["conversation"] == str(live_chat.conversation.public_id)
    assert welcome["name"] == "Said"
    replay = await frames_until_quiet(ws)
    assert [(f["type"], f["message"]["seq"], f["message"]["event"]) for f in replay] == [
        ("message", 1, "opened")
    ]


async def test_it_replays_only_what_the_client_has_not_seen(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    for text in ("one", "two", "three"):
        await database_sync_to_async(agent_reply)(live_chat, text)
    await hello(ws, live_chat, last_seq=2)
    replay = await frames_until_quiet(ws)
    assert [(f["message"]["seq"], f["message"]["text"]) for f in replay] == [
        (3, "two"),
        (4, "three"),
    ]


async def test_it_never_replays_internal_notes(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await database_sync_to_async(agent_reply)(live_chat, "private", is_internal=True)
    await database_sync_to_async(agent_reply)(live_chat, "public")
    await hello(ws, live_chat, last_seq=1)
    replay = await frames_until_quiet(ws)
    assert [f["message"]["text"] for f in replay] == ["public"]


async def test_it_refuses_a_tampered_session_and_closes(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await ws.send_json_to({"type": "hello", "token": live_chat.token + "x"})
    error = await ws.receive_json_from()
    assert error["code"] == "invalid_session"
    assert (await ws.receive_output())["type"] == "websocket.close"


async def test_it_refuses_a_token_for_another_contact(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    forged = signing.dumps(
        {"c": str(live_chat.conversation.public_id), "k": live_chat.conversation.contact_id + 1},
        salt=SALT,
    )
    await ws.send_json_to({"type": "hello", "token": forged})
    assert (await ws.receive_json_from())["code"] == "invalid_session"


async def test_it_refuses_a_second_hello(ws: WebsocketCommunicator, live_chat: LiveChat) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "hello", "token": live_chat.token})
    assert (await ws.receive_json_from())["code"] == "already_started"
    await still_alive(ws)


async def test_it_wants_hello_before_anything_else(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "hi"})
    error = await ws.receive_json_from()
    assert error["code"] == "hello_required"
    assert error["client_msg_id"] == "m1"
    await still_alive(ws)


async def test_it_answers_ping_with_pong(ws: WebsocketCommunicator) -> None:
    await still_alive(ws)


# ---- messages ---------------------------------------------------------------------


async def test_it_acks_a_message_with_its_seq_and_echoes_it(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "حفرة في الشارع"})
    received = await frames_until_quiet(ws)
    ack = next(f for f in received if f["type"] == "ack")
    echo = next(f for f in received if f["type"] == "message")
    assert ack == {"type": "ack", "client_msg_id": "m1", "seq": 2, "duplicate": False}
    assert echo["message"]["seq"] == 2
    assert echo["message"]["client_id"] == "m1"
    assert echo["message"]["text"] == "حفرة في الشارع"


async def test_it_stores_a_resent_message_once_and_acks_the_same_seq(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    frame = {"type": "message", "client_msg_id": "m1", "text": "hello"}
    await ws.send_json_to(frame)
    await frames_until_quiet(ws)
    await ws.send_json_to(frame)
    again = await frames_until_quiet(ws)
    assert again == [{"type": "ack", "client_msg_id": "m1", "seq": 2, "duplicate": True}]
    count = await database_sync_to_async(
        Message.objects.filter(conversation=live_chat.conversation, sender_kind="citizen").count
    )()
    assert count == 1


async def test_it_keeps_the_text_exactly_as_written(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    text = "<script>alert('x')</script> & https://example.org/?a=1"
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": text})
    await frames_until_quiet(ws)
    stored = await database_sync_to_async(Message.objects.get)(
        conversation=live_chat.conversation, seq=2
    )
    assert stored.text == text


async def test_it_sends_an_uploaded_image_by_its_id(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    attachment = await database_sync_to_async(chat_image_upload)(
        conversation=live_chat.conversation, data=png_bytes(), filename="hole.png"
    )
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to(
        {"type": "message", "client_msg_id": "img1", "attachment_ids": [str(attachment.public_id)]}
    )
    echo = next(f for f in await frames_until_quiet(ws) if f["type"] == "message")
    assert [a["id"] for a in echo["message"]["attachments"]] == [str(attachment.public_id)]
    assert echo["message"]["attachments"][0]["content_type"] == "image/jpeg"


async def test_it_refuses_an_image_id_that_is_not_this_conversations_upload(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to(
        {
            "type": "message",
            "client_msg_id": "img1",
            "attachment_ids": ["00000000-0000-4000-8000-000000000000"],
        }
    )
    error = await ws.receive_json_from()
    assert (error["code"], error["client_msg_id"]) == ("unknown_attachment", "img1")
    await still_alive(ws)


async def test_it_stores_a_shared_location(ws: WebsocketCommunicator, live_chat: LiveChat) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    location = {"lat": 23.588, "lng": 58.3829}
    await ws.send_json_to({"type": "message", "client_msg_id": "loc", "location": location})
    echo = next(f for f in await frames_until_quiet(ws) if f["type"] == "message")
    assert echo["message"]["location"] == location


async def test_it_refuses_a_location_off_the_globe(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to(
        {"type": "message", "client_msg_id": "loc", "location": {"lat": 123, "lng": 58}}
    )
    assert (await ws.receive_json_from())["code"] == "invalid_location"
    await still_alive(ws)


async def test_it_refuses_an_empty_message(ws: WebsocketCommunicator, live_chat: LiveChat) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": "   "})
    assert (await ws.receive_json_from())["code"] == "empty"
    await still_alive(ws)


async def test_it_refuses_a_message_over_the_length_limit(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    text = "ب" * (MAX_MESSAGE_LENGTH + 1)
    await ws.send_json_to({"type": "message", "client_msg_id": "m1", "text": text})
    error = await ws.receive_json_from()
    assert (error["code"], error["client_msg_id"]) == ("too_long", "m1")
    await still_alive(ws)


async def test_it_refuses_a_message_once_the_chat_is_closed(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await ws.send_json_to({"type": "end"})
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "message", "client_msg_id": "late", "text": "hello?"})
    assert (await ws.receive_json_from())["code"] == "conversation_closed"


# ---- live events and de-duplication --------------------------------------------------


async def test_it_forwards_an_agent_reply_live(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await database_sync_to_async(agent_reply)(live_chat, "How can I help?")
    frame = await ws.receive_json_from()
    assert frame["type"] == "message"
    assert frame["message"]["text"] == "How can I help?"
    assert frame["message"]["sender"] == "agent"
    assert frame["message"]["agent_name"] == "Aisha"


async def test_it_never_sends_a_seq_twice_when_replay_and_live_overlap(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    reply = await database_sync_to_async(agent_reply)(live_chat, "already replayed")
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    # The same message arriving live after the replay (as it does when it is
    # published between the group join and the backlog read).
    payload = {"conversation": str(live_chat.conversation.public_id), "message": {"seq": reply.seq}}
    await get_channel_layer().group_send(
        events.conversation_group(live_chat.conversation.public_id),
        events.channel_message("message.new", payload),
    )
    assert await ws.receive_nothing(timeout=0.3)


async def test_it_fills_a_gap_in_live_events_from_the_database(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    # Two replies stored, but only the later one's event arrives (the other was
    # overtaken on its way from another process).
    first = await database_sync_to_async(Message.objects.create)(
        conversation=live_chat.conversation, seq=2, sender_kind="agent", text="a", channel="webchat"
    )
    second = await database_sync_to_async(Message.objects.create)(
        conversation=live_chat.conversation, seq=3, sender_kind="agent", text="b", channel="webchat"
    )
    payload = {
        "conversation": str(live_chat.conversation.public_id),
        "message": {"seq": second.seq, "text": "b"},
    }
    await get_channel_layer().group_send(
        events.conversation_group(live_chat.conversation.public_id),
        events.channel_message("message.new", payload),
    )
    received = await frames_until_quiet(ws)
    assert [f["message"]["seq"] for f in received] == [first.seq, second.seq]


async def test_it_ignores_events_for_another_conversation(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await get_channel_layer().group_send(
        events.conversation_group(live_chat.conversation.public_id),
        events.channel_message("conversation.state", {"conversation": "other", "state": "closed"}),
    )
    assert await ws.receive_nothing(timeout=0.3)


@pytest.mark.parametrize(
    ("event", "payload", "frame"),
    [
        (
            "conversation.state",
            {"state": "assigned"},
            {"type": "state", "state": "assigned"},
        ),
        (
            "queue.position",
            {"position": 3, "estimated_wait_seconds": 120},
            {"type": "queue", "position": 3, "estimated_wait_seconds": 120},
        ),
        (
            "typing",
            {"sender_kind": "agent", "active": True},
            {"type": "typing", "sender": "agent", "active": True},
        ),
        (
            "message.receipt",
            {"seq": 2, "status": "read"},
            {"type": "receipt", "seq": 2, "status": "read"},
        ),
    ],
)
async def test_it_forwards_conversation_events_as_frames(
    ws: WebsocketCommunicator,
    live_chat: LiveChat,
    event: str,
    payload: dict[str, Any],
    frame: dict[str, Any],
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    full = {"conversation": str(live_chat.conversation.public_id), **payload}
    events.validate(event, full)
    await get_channel_layer().group_send(
        events.conversation_group(live_chat.conversation.public_id),
        events.channel_message(event, full),
    )
    assert await ws.receive_json_from() == frame


async def test_it_does_not_echo_the_citizens_own_typing(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    full = {"conversation": str(live_chat.conversation.public_id), "sender_kind": "citizen"}
    await get_channel_layer().group_send(
        events.conversation_group(live_chat.conversation.public_id),
        events.channel_message("typing", {**full, "active": True}),
    )
    assert await ws.receive_nothing(timeout=0.3)


# ---- typing, receipts, end, rating, transcript --------------------------------------


async def test_it_tells_the_agents_the_citizen_is_typing(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    channel = await listen(events.conversation_staff_group(live_chat.conversation.public_id))
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "typing", "active": True})
    event = await next_event(channel)
    assert (event["event"], event["payload"]["sender_kind"], event["payload"]["active"]) == (
        "typing",
        "citizen",
        True,
    )


async def test_it_records_a_read_receipt_and_tells_the_agents(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    reply = await database_sync_to_async(agent_reply)(live_chat, "hello")
    channel = await listen(events.conversation_staff_group(live_chat.conversation.public_id))
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "receipt", "seq": reply.seq, "status": "read"})
    event = await next_event(channel)
    assert event["event"] == "message.receipt"
    assert (event["payload"]["seq"], event["payload"]["status"]) == (reply.seq, "read")
    await database_sync_to_async(reply.refresh_from_db)()
    assert reply.read_at is not None and reply.delivered_at is not None


async def test_it_ends_the_chat_for_the_citizen(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "end"})
    received = await frames_until_quiet(ws)
    assert {"type": "ended"} in received
    assert {"type": "state", "state": "closed"} in received
    closed = [f for f in received if f["type"] == "message"]
    assert closed[0]["message"]["event"] == "closed"
    conversation = await database_sync_to_async(Conversation.objects.get)(
        pk=live_chat.conversation.pk
    )
    assert conversation.state == "closed"


def _served_while_another_waits(chat: LiveChat) -> Conversation:
    """The chat is assigned to its agent, who has no room for another; a second citizen waits."""
    from helpdesk.models import OrganisationSettings
    from tests.support.factories import make_waiting

    OrganisationSettings.objects.update(max_lines=10)
    chat.agent.profile.max_concurrent = 1
    chat.agent.profile.save(update_fields=["max_concurrent"])
    Conversation.objects.filter(pk=chat.conversation.pk).update(
        state="assigned", assignee=chat.agent
    )
    return make_waiting()


async def test_when_the_citizen_ends_the_chat_the_freed_agent_is_offered_the_next_in_line(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    waiting = await database_sync_to_async(_served_while_another_waits)(live_chat)
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "end"})
    assert {"type": "ended"} in await frames_until_quiet(ws)
    waiting = await database_sync_to_async(Conversation.objects.get)(pk=waiting.pk)
    assert (waiting.state, waiting.offered_to_id) == ("offered", live_chat.agent.pk)


async def test_it_records_the_rating_after_the_chat(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await ws.send_json_to({"type": "end"})
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "rate", "rating": 5, "comment": "شكراً"})
    assert await ws.receive_json_from() == {"type": "rated", "rating": 5}
    conversation = await database_sync_to_async(Conversation.objects.get)(
        pk=live_chat.conversation.pk
    )
    assert (conversation.rating, conversation.rating_comment) == (5, "شكراً")


async def test_it_refuses_a_rating_while_the_chat_is_open(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "rate", "rating": 4})
    assert (await ws.receive_json_from())["code"] == "not_closed"


async def test_it_refuses_a_rating_out_of_range(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "rate", "rating": 6})
    error = await ws.receive_json_from()
    assert (error["code"], error["field"]) == ("invalid_frame", "rating")


async def test_it_mails_the_transcript_on_request(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await database_sync_to_async(agent_reply)(live_chat, "Your pothole is reported.")
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "transcript", "email": "said@example.org"})
    # An address not given in the pre-chat form gets a code first, and no chat text.
    assert await ws.receive_json_from() == {
        "type": "transcript_code_sent",
        "email": "said@example.org",
    }
    (code_mail,) = mail.outbox
    assert code_mail.to == ["said@example.org"]
    assert "Your pothole is reported." not in code_mail.body
    code = re.search(r"\b(\d{6})\b", code_mail.body).group(1)  # type: ignore[union-attr]
    await ws.send_json_to({"type": "transcript", "email": "said@example.org", "code": code})
    assert await ws.receive_json_from() == {"type": "transcript_sent"}
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["said@example.org"]
    assert "Your pothole is reported." in mail.outbox[1].body


async def test_it_mails_the_transcript_to_the_pre_chat_address_at_once(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await database_sync_to_async(
        lambda: (
            type(live_chat.conversation.contact)
            .objects.filter(pk=live_chat.conversation.contact_id)
            .update(email="said@example.org")
        )
    )()
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "transcript"})
    assert await ws.receive_json_from() == {"type": "transcript_sent"}
    assert [message.to for message in mail.outbox] == [["said@example.org"]]


async def test_it_refuses_a_wrong_confirmation_code_in_the_chats_language(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "transcript", "email": "x@example.org"})
    await ws.receive_json_from()
    await ws.send_json_to({"type": "transcript", "email": "x@example.org", "code": "000000x"})
    error = await ws.receive_json_from()
    assert error["code"] == "wrong_code"
    assert len(mail.outbox) == 1  # the code only


async def test_it_refuses_a_transcript_to_a_bad_address(
    ws: WebsocketCommunicator, live_chat: LiveChat
) -> None:
    await hello(ws, live_chat)
    await frames_until_quiet(ws)
    await ws.send_json_to({"type": "transcript", "email": "not an address"})
    assert (await ws.receive_json_from())["code"] == "invalid_email"
    assert mail.outbox == []


# ---- malformed frames: an error frame each, and the connection survives -------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"type": "shout"}', "unknown_type"),
        ('{"no_type": 1}', "unknown_type"),
        ('{"type": "typing"}', "invalid_frame"),
        ('{"type": "typing", "active": "yes"}', "invalid_frame"),
        ('{"type": "ping", "extra": 1}', "invalid_frame"),
        ('{"type": "message", "client_msg_id": "has space", "text": "x"}', "invalid_frame"),
        ('{"type": "receipt", "seq": 1, "status": "seen"}', "invalid_frame"),
        ('{"type": "hello", "token": 5}', "invalid_frame"),
    ],
)
async def test_it_answers_a_malformed_frame_with_an_error(
    ws: WebsocketCommunicator, raw: str, code: str
) -> None:
    await ws.send_to(text_data=raw)
    assert (await ws.receive_json_from())["code"] == code
    await still_alive(ws)


async def test_it_refuses_an_oversized_frame(ws: WebsocketCommunicator) -> None:
    await ws.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * frames.MAX_FRAME_CHARS}))
    assert (await ws.receive_json_from())["code"] == "frame_too_large"
    await still_alive(ws)


async def test_it_refuses_binary_frames(ws: WebsocketCommunicator) -> None:
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await ws.receive_json_from())["code"] == "binary_not_supported"
    await still_alive(ws)


# ---- rate limits and origin -----------------------------------------------------------


async def test_it_slows_down_a_connection_that_floods(ws: WebsocketCommunicator) -> None:
    for _ in range(consumers.CONNECTION_FRAMES):
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from())["code"] == "rate_limited"


async def test_it_limits_messages_per_address_across_connections(
    live_chat: LiveChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One fixed window for the whole test: a window rolling over midway would
    # hand out a fresh allowance and hide the limit.
    frozen = time.time()
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: frozen))
    limit = consumers.MESSAGE_LIMIT.count
    sent = 0
    errors: list[str] = []
    while sent <= limit:
        communicator = socket(address="10.9.8.7")
        await communicator.connect()
        try:
            await hello(communicator, live_chat)
            await frames_until_quiet(communicator)
            for _ in range(min(consumers.CONNECTION_FRAMES - 2, limit + 1 - sent)):
                await communicator.send_json_to(
                    {"type": "message", "client_msg_id": f"m{sent}", "text": "x"}
                )
                sent += 1
            for frame in await frames_until_quiet(communicator):
                if frame["type"] == "error":
                    errors.append(frame["code"])
        finally:
            await communicator.disconnect()
    assert errors == ["rate_limited"]


async def test_it_refuses_too_many_connections_from_one_address() -> None:
    opened = []
    try:
        for _ in range(consumers.CONNECT_LIMIT.count):
            communicator = socket(address="10.1.2.3")
            assert (await communicator.connect())[0]
            opened.append(communicator)
        extra = socket(address="10.1.2.3")
        await extra.connect()
        opened.append(extra)
        assert (await extra.receive_json_from())["code"] == "rate_limited"
        close = await extra.receive_output()
        assert (close["type"], close["code"]) == ("websocket.close", consumers.CLOSE_RATE_LIMITED)
    finally:
        for communicator in opened:
            await communicator.disconnect()


async def test_it_refuses_a_socket_from_a_foreign_origin() -> None:
    communicator = socket(origin=(b"origin", b"https://evil.example"))
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()

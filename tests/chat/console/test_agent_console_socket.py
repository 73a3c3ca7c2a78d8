"""The agent console's WebSocket: who may connect, offers, replies, and never going stale."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from chat.console.consumer import AgentConsoleConsumer
from helpdesk.inbound import InboundMessage, SenderIdentity
from helpdesk.models import Message
from helpdesk.services.conversations import conversation_receive, message_post
from helpdesk.services.distributor import conversation_end, distribute
from tests.support.asgi_scope import signed_in_session
from tests.support.factories import make_agent, make_org, make_staff, make_waiting

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user: Any) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(AgentConsoleConsumer.as_asgi(), "/ws/agent/")
    communicator.scope["user"] = user
    # As the session middleware leaves it: each frame checks the session is still valid.
    communicator.scope["session"] = await sync_to_async(signed_in_session)(user)
    connected, _code = await communicator.connect()
    return communicator, connected


async def _frames_until(communicator: WebsocketCommunicator, kind: str) -> list[dict]:
    frames = []
    while True:
        frame = await communicator.receive_json_from(timeout=5)
        frames.append(frame)
        if frame["type"] == kind:
            return frames


async def _drain(communicator: WebsocketCommunicator) -> list[dict]:
    frames = []
    while not await communicator.receive_nothing(timeout=0.3):
        frames.append(await communicator.receive_json_from())
    return frames


def _citizen_writes(conversation: Any, text: str) -> None:
    conversation_receive(
        InboundMessage(
            channel="webchat",
            external_id=f"{conversation.public_id}:{text}",
            sender=SenderIdentity(display_name="Said"),
            text=text,
            conversation_public_id=str(conversation.public_id),
            contact_id=conversation.contact_id,
        )
    )


def _messages(frames: list[dict], public_id: str) -> list[tuple[int, str]]:
    return [
        (f["message"]["seq"], f["message"]["text"] or f["message"]["event"])
        for f in frames
        if f["type"] == "message" and f["conversation"] == public_id
    ]


@pytest.fixture
def org_and_agent() -> tuple[Any, Any]:
    org = make_org()
    return org, make_agent(display_name="Aisha")


async def _closed_with(communicator: WebsocketCommunicator) -> int:
    """The close code the server ended the socket with (after accepting it)."""
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return int(output["code"])


async def test_it_closes_with_4403_for_a_user_who_does_not_serve_conversations() -> None:
    dispatcher = await sync_to_async(make_staff)("dispatcher")
    communicator, connected = await _connect(dispatcher)
    # Accepted, then closed: a browser's console can read 4403, not a bare HTTP 403.
    assert connected
    assert await _closed_with(communicator) == 4403
    await communicator.disconnect()


async def test_it_closes_with_4403_for_an_anonymous_visitor() -> None:
    from django.contrib.auth.models import AnonymousUser

    communicator, connected = await _connect(AnonymousUser())
    assert connected
    assert await _closed_with(communicator) == 4403
    await communicator.disconnect()


async def test_it_answers_an_unknown_frame_with_an_error(org_and_agent) -> None:
    _org, agent = org_and_agent
    communicator, connected = await _connect(agent)
    assert connected
    await communicator.send_json_to({"type": "launch_missiles"})
    frame = await communicator.receive_json_from(timeout=5)
    assert (frame["type"], frame["code"]) == ("error", "unknown_frame")
    await communicator.disconnect()


async def test_it_answers_a_frame_it_cannot_read_and_stays_open(org_and_agent) -> None:
    _org, agent = org_and_agent
    communicator, _ = await _connect(agent)
    await communicator.send_to(text_data="{not json")
    await communicator.send_to(bytes_data=b"\x00")
    await communicator.send_json_to({"type": "accept", "conversation": "not-a-uuid"})
    codes = [(await communicator.receive_json_from(timeout=5))["code"] for _ in range(3)]
    assert codes == ["invalid_json", "binary_not_supported", "unknown_conversation"]
    await communicator.send_json_to({"type": "heartbeat"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "heartbeat"
    await communicator.disconnect()


async def test_an_error_names_the_reply_that_failed(org_and_agent) -> None:
    _org, agent = org_and_agent
    waiting = await sync_to_async(make_waiting)(state="assigned", assignee=agent)
    communicator, _ = await _connect(agent)
    public_id = str(waiting.public_id)
    await communicator.send_json_to(
        {"type": "send", "conversation": public_id, "text": "  ", "client_id": "c9"}
    )
    frame = await communicator.receive_json_from(timeout=5)
    assert frame["type"] == "error"
    assert (frame["code"], frame["frame"]) == ("empty", "send")
    assert (frame["conversation"], frame["client_id"]) == (public_id, "c9")
    await communicator.disconnect()


async def test_it_delivers_an_offer_with_its_transcript(org_and_agent) -> None:
    _org, agent = org_and_agent
    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    snapshot = (await _frames_until(communicator, "snapshot"))[-1]
    assert snapshot["offers"] == []
    waiting = await sync_to_async(make_waiting)(subject="Pothole")
    await sync_to_async(_citizen_writes)(waiting, "There is a pothole")
    await sync_to_async(distribute)()
    frames = await _frames_until(communicator, "offer.new")
    frames += await _drain(communicator)
    assert frames[-1]["type"] != "error"
    assert _messages(frames, str(waiting.public_id)) == [(1, "There is a pothole"), (2, "offered")]
    await communicator.disconnect()


async def test_accepting_and_replying_reaches_the_transcript_once(org_and_agent) -> None:
    _org, agent = org_and_agent
    waiting = await sync_to_async(make_waiting)()
    await sync_to_async(distribute)()
    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    await _frames_until(communicator, "snapshot")
    public_id = str(waiting.public_id)
    await communicator.send_json_to({"type": "accept", "conversation": public_id})
    await _frames_until(communicator, "assignment.new")
    reply = {"type": "send", "conversation": public_id, "text": "Hello", "client_id": "c1"}
    await communicator.send_json_to(reply)
    await communicator.send_json_to(reply)
    frames = await _drain(communicator)
    acks = [f for f in frames if f["type"] == "ack"]
    assert len(acks) == 2 and acks[0]["seq"] == acks[1]["seq"]
    texts = [t for _s, t in _messages(frames, public_id)]
    assert texts.count("Hello") == 1
    assert await sync_to_async(Message.objects.filter(text="Hello").count)() == 1
    await communicator.disconnect()


async def test_it_resumes_after_a_dropped_socket_with_every_missed_event_once_in_order(
    org_and_agent,
) -> None:
    _org, agent = org_and_agent
    waiting = await sync_to_async(make_waiting)()
    await sync_to_async(_citizen_writes)(waiting, "first")
    await sync_to_async(distribute)()
    public_id = str(waiting.public_id)

    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    await _frames_until(communicator, "snapshot")
    await communicator.send_json_to({"type": "accept", "conversation": public_id})
    before = await _frames_until(communicator, "assignment.new")
    before += await _drain(communicator)
    seen = max(seq for seq, _t in _messages(before, public_id))
    await communicator.disconnect()  # the laptop sleeps

    supervisor = await sync_to_async(make_staff)("supervisor")
    await sync_to_async(_citizen_writes)(waiting, "second")
    await sync_to_async(message_post)(
        conversation=waiting, sender_kind="agent", user=supervisor, text="note", is_internal=True
    )
    await sync_to_async(_citizen_writes)(waiting, "third")
    second_waiting = await sync_to_async(make_waiting)()
    await sync_to_async(distribute)()  # a new offer arrives while the agent is away

    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {public_id: seen}})
    frames = await _frames_until(communicator, "snapshot")
    frames += await _drain(communicator)
    snapshot = next(f for f in frames if f["type"] == "snapshot")
    assert [o["id"] for o in snapshot["offers"]] == [str(second_waiting.public_id)]
    missed = _messages(frames, public_id)
    assert [t for _s, t in missed] == ["second", "note", "third"]
    assert [s for s, _t in missed] == list(range(seen + 1, seen + 4))

    # Live again: the next message arrives exactly once.
    await sync_to_async(_citizen_writes)(waiting, "fourth")
    live = await _drain(communicator)
    assert [t for _s, t in _messages(live, public_id)] == ["fourth"]
    await communicator.disconnect()


async def test_a_gap_in_live_events_is_filled_from_the_database(org_and_agent) -> None:
    _org, agent = org_and_agent
    waiting = await sync_to_async(make_waiting)(state="assigned", assignee=agent)
    public_id = str(waiting.public_id)
    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    await _frames_until(communicator, "snapshot")
    await _drain(communicator)
    # A message stored without its event (another process crashed before publishing).
    from helpdesk.services.conversations import message_append

    await sync_to_async(message_append)(
        conversation_id=waiting.pk, sender_kind="citizen", channel="webchat", text="lost event"
    )
    await sync_to_async(_citizen_writes)(waiting, "after")
    frames = await _drain(communicator)
    assert [t for _s, t in _messages(frames, public_id)] == ["lost event", "after"]
    await communicator.disconnect()


# ---- never a silent miss -----------------------------------------------------------------


async def _synced(agent: Any) -> tuple[WebsocketCommunicator, dict]:
    communicator, _ = await _connect(agent)
    await communicator.send_json_to({"type": "resume", "conversations": {}})
    snapshot = (await _frames_until(communicator, "snapshot"))[-1]
    await _drain(communicator)
    return communicator, snapshot


async def test_a_console_that_missed_a_desk_event_is_told_and_resynchronised(
    org_and_agent,
) -> None:
    from channels.layers import get_channel_layer

    from helpdesk import events

    _org, agent = org_and_agent
    communicator, snapshot = await _synced(agent)
    waiting = await sync_to_async(make_waiting)()
    # The channel layer dropped desk event desk_seq + 1 (the console's channel was
    # full); the next one arrives.
    await get_channel_layer().group_send(
        events.agent_group(agent.pk),
        events.channel_message(
            "offer.withdrawn",
            {"conversation": str(waiting.public_id), "desk_seq": snapshot["desk_seq"] + 2},
        ),
    )
    frames = await _frames_until(communicator, "snapshot")
    assert [f["type"] for f in frames] == ["resync", "snapshot"]
    assert frames[0]["reason"] == "events_missed"
    await communicator.disconnect()


async def test_a_heartbeat_finds_a_desk_event_that_never_arrived(org_and_agent) -> None:
    from helpdesk.models import AgentProfile

    _org, agent = org_and_agent
    communicator, snapshot = await _synced(agent)
    # The desk moved on but its event was lost (nothing came after it to show a gap).
    await sync_to_async(AgentProfile.objects.filter(user=agent).update)(
        desk_seq=snapshot["desk_seq"] + 1
    )
    await communicator.send_json_to({"type": "heartbeat"})
    first = await _drain(communicator)
    # Once could be an event still on its way; twice is a miss.
    assert [f["type"] for f in first] == ["heartbeat"]
    await communicator.send_json_to({"type": "heartbeat"})
    second = await _frames_until(communicator, "snapshot")
    assert [f["type"] for f in second] == ["heartbeat", "resync", "snapshot"]
    assert second[-1]["desk_seq"] == snapshot["desk_seq"] + 1
    await communicator.disconnect()


async def test_every_desk_event_is_numbered_in_order(org_and_agent) -> None:
    _org, agent = org_and_agent
    communicator, snapshot = await _synced(agent)
    waiting = await sync_to_async(make_waiting)()
    await sync_to_async(distribute)()
    offer = (await _frames_until(communicator, "offer.new"))[-1]
    await communicator.send_json_to({"type": "accept", "conversation": str(waiting.public_id)})
    assigned = (await _frames_until(communicator, "assignment.new"))[-1]
    assert [offer["desk_seq"], assigned["desk_seq"]] == [
        snapshot["desk_seq"] + 1,
        snapshot["desk_seq"] + 2,
    ]
    assert offer["item"]["id"] == str(waiting.public_id)
    assert not [f for f in await _drain(communicator) if f["type"] == "resync"]
    await communicator.disconnect()


async def test_an_offer_the_citizen_walked_away_from_leaves_the_desk(org_and_agent) -> None:
    _org, agent = org_and_agent
    communicator, _snapshot = await _synced(agent)
    waiting = await sync_to_async(make_waiting)()
    await sync_to_async(distribute)()
    await _frames_until(communicator, "offer.new")
    await sync_to_async(conversation_end)(conversation=waiting, by="citizen")
    withdrawn = (await _frames_until(communicator, "offer.withdrawn"))[-1]
    assert withdrawn["conversation"] == str(waiting.public_id)
    assert not [f for f in await _drain(communicator) if f["type"] == "resync"]
    await communicator.disconnect()


async def test_a_conversation_offered_again_is_not_replayed_from_the_start(
    org_and_agent,
) -> None:
    _org, agent = org_and_agent
    communicator, _snapshot = await _synced(agent)
    waiting = await sync_to_async(make_waiting)()
    public_id = str(waiting.public_id)
    await sync_to_async(_citizen_writes)(waiting, "first")
    await sync_to_async(distribute)()
    shown = await _frames_until(communicator, "offer.new")
    shown += await _drain(communicator)
    first_seqs = [seq for seq, _t in _messages(shown, public_id)]
    assert first_seqs
    # Declined: back in the queue, and the only agent on duty is offered it again.
    await communicator.send_json_to({"type": "decline", "conversation": public_id})
    again = await _frames_until(communicator, "offer.new")
    again += await _drain(communicator)
    replayed = [seq for seq, _t in _messages(again, public_id)]
    assert replayed, "the events since the first offer are shown"
    assert min(replayed) > max(first_seqs)
    await communicator.disconnect()


async def test_every_console_gets_the_queue_list_through_one_subscription_per_process(
    org_and_agent,
) -> None:
    from channels.layers import get_channel_layer

    from helpdesk import events
    from helpdesk.services.conversations import conversation_open
    from tests.support.factories import make_contact

    _org, agent = org_and_agent
    colleague = await sync_to_async(make_agent)(display_name="Salim", available=False)
    first, _ = await _synced(agent)
    second, _ = await _synced(colleague)
    # Both consoles, one member of the consoles' group: this process's hub.
    assert await sync_to_async(_members)(get_channel_layer(), events.AGENTS_GROUP) == 1
    await sync_to_async(lambda: conversation_open(channel="webchat", contact=make_contact()))()
    for console in (first, second):
        queue = (await _frames_until(console, "queue"))[-1]
        assert len(queue["queue"]) in (0, 1)  # offered at once to Aisha, or still waiting
    await first.disconnect()
    await second.disconnect()


def _members(layer: Any, group: str) -> int:
    """How many channels a group has, on the in-memory layer or on Redis."""
    if hasattr(layer, "groups"):
        return len(layer.groups.get(group, {}))
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return int(client.zcard(layer._group_key(group)))
    finally:
        client.close()


async def test_a_heartbeat_finds_a_transcript_entry_whose_event_never_arrived(
    org_and_agent,
) -> None:
    from helpdesk.services.conversations import message_append

    _org, agent = org_and_agent
    waiting = await sync_to_async(make_waiting)(state="assigned", assignee=agent)
    public_id = str(waiting.public_id)
    communicator, _snapshot = await _synced(agent)
    # Stored, its event lost, and nothing after it to show a gap.
    await sync_to_async(message_append)(
        conversation_id=waiting.pk, sender_kind="citizen", channel="webchat", text="lost event"
    )
    await communicator.send_json_to({"type": "heartbeat"})
    assert [f["type"] for f in await _drain(communicator)] == ["heartbeat"]
    await communicator.send_json_to({"type": "heartbeat"})
    frames = await _drain(communicator)
    assert [t for _s, t in _messages(frames, public_id)] == ["lost event"]
    await communicator.disconnect()

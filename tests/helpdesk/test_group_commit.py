"""Group commit: many sockets' writes in one transaction, answered after its commit."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection, transaction

from chat.services import chat_message_receive
from chat.session import ChatState
from helpdesk import events
from helpdesk.errors import InvalidInput
from helpdesk.group_commit import GroupCommit
from helpdesk.models import Conversation, Message
from tests.support.factories import make_org, make_waiting

pytestmark = pytest.mark.django_db(transaction=True)


def _chats(count: int) -> list[ChatState]:
    make_org()
    return [ChatState.of(make_waiting(subject=f"c{n}")) for n in range(count)]


async def test_it_stores_every_socket_write_and_answers_each_with_its_own_seq() -> None:
    chats = await sync_to_async(_chats)(5)
    writes = GroupCommit()
    results = await asyncio.gather(
        *(
            writes.run(
                chat_message_receive,
                key=chat.public_id,
                chat=chat,
                client_msg_id=f"m{n}",
                text=f"message {n}",
            )
            for chat in chats
            for n in range(4)
        )
    )
    assert all(result.created for result in results)
    for chat in chats:
        stored = await sync_to_async(list)(
            Message.objects.filter(conversation_id=chat.conversation_id, sender_kind="citizen")
            .order_by("seq")
            .values_list("text", flat=True)
        )
        # One conversation's writes keep the order they were queued in.
        assert stored == [f"message {n}" for n in range(4)]


def _transaction_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        return int(cursor.fetchone()[0])


@pytest.mark.postgres
async def test_a_burst_of_writes_shares_one_transaction() -> None:
    writes = GroupCommit()
    # Queued in the same loop turn: the first batch takes them all.
    ids = await asyncio.gather(*(writes.run(_transaction_id, key=str(n)) for n in range(10)))
    assert len(set(ids)) == 1
    # The next write, alone, commits in a transaction of its own.
    assert await writes.run(_transaction_id, key="later") != ids[0]


def _fails(**_kwargs: Any) -> None:
    raise InvalidInput("no", code="refused")


async def test_one_failing_write_never_costs_its_neighbours() -> None:
    chats = await sync_to_async(_chats)(2)
    writes = GroupCommit()
    good = writes.run(chat_message_receive, key="a", chat=chats[0], client_msg_id="g", text="kept")
    bad = writes.run(_fails, key="b")
    also_good = writes.run(
        chat_message_receive, key="c", chat=chats[1], client_msg_id="h", text="kept too"
    )
    outcomes = await asyncio.gather(good, bad, also_good, return_exceptions=True)
    assert isinstance(outcomes[1], InvalidInput)
    assert outcomes[0].created and outcomes[2].created
    texts = await sync_to_async(set)(
        Message.objects.filter(sender_kind="citizen").values_list("text", flat=True)
    )
    assert texts == {"kept", "kept too"}


async def test_it_sends_a_write_s_events_only_after_the_batch_committed() -> None:
    (chat,) = await sync_to_async(_chats)(1)
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(events.conversation_group(chat.public_id), channel)
    result = await GroupCommit().run(
        chat_message_receive, key=chat.public_id, chat=chat, client_msg_id="e", text="hello"
    )
    event = await asyncio.wait_for(layer.receive(channel), 5)
    assert event["event"] == "message.new"
    assert event["payload"]["message"]["seq"] == result.message.seq
    assert event["payload"]["message"]["text"] == "hello"


def _publish_then_fail(conversation_id: int) -> None:
    conversation = Conversation.objects.get(pk=conversation_id)
    with transaction.atomic():
        events.publish(
            events.conversation_group(conversation.public_id),
            "conversation.state",
            _state(conversation),
        )
    with transaction.atomic():
        events.publish(
            events.conversation_group(conversation.public_id), "typing", _typing(conversation)
        )
        raise InvalidInput("rolled back", code="refused")


def _state(conversation: Conversation) -> dict[str, Any]:
    return {"conversation": str(conversation.public_id), "state": "queued"}


def _typing(conversation: Conversation) -> dict[str, Any]:
    return {"conversation": str(conversation.public_id), "sender_kind": "agent", "active": True}


async def test_a_service_s_committed_events_leave_even_when_it_fails_later() -> None:
    (chat,) = await sync_to_async(_chats)(1)
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(events.conversation_group(chat.public_id), channel)
    with pytest.raises(InvalidInput):
        await events.call(_publish_then_fail, chat.conversation_id)
    event = await asyncio.wait_for(layer.receive(channel), 5)
    assert event["event"] == "conversation.state"
    # The rolled-back transaction's event never leaves.
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)
